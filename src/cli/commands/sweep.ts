/**
 * `shortlist sweep <beir-dir> --pipeline p.json`: how deep should the first stage retrieve? Runs the
 * pipeline once at the largest depth and replays the smaller ones (see `src/lab/sweep.ts`).
 */
import type { Command } from 'commander';
import { sweep, SWEEP_DEFAULTS, type SweepReport } from '../../lab/sweep.ts';
import { phasedProgress } from '../progress.ts';
import { parseUnit, withUnit } from '../unit.ts';
import { formatTable, printJson } from '../output.ts';
import { parseList, parseNumber, parsePositiveInt } from '../parse.ts';

interface SweepFlags {
  pipeline: string;
  depths: number[];
  epsilon: number;
  latencyBudget?: number;
  split: string;
  collection?: string;
  unit?: 'document' | 'passage';
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description('for each first-stage depth K: Recall@K, nDCG@10 / MRR@10 after reranking and latency per stage; recommends a depth')
    .argument('<beir-dir>', 'BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv')
    .requiredOption('--pipeline <file|preset>', 'the pipeline (preset or JSON file); its depth is replaced by each swept depth')
    .option('--depths <list>', 'comma-separated first-stage depths', parseDepths, [...SWEEP_DEFAULTS.depths])
    .option(
      '--epsilon <x>',
      'recommend the smallest depth whose nDCG@10 is within this of the best',
      parseNumber('--epsilon'),
      SWEEP_DEFAULTS.epsilon,
    )
    .option(
      '--latency-budget <ms>',
      'instead, recommend the best depth whose total p95 latency fits this many ms',
      parseNumber('--latency-budget'),
    )
    .option('--split <name>', 'qrels split to evaluate', 'test')
    .option('--unit <unit>', 'rank documents or passages (overrides the pipeline\'s "unit")', parseUnit)
    .option('--collection <dir>', 'keep (and reuse) the collection in this directory instead of a temporary one')
    .option('--json', 'print one JSON object (no progress bar)')
    .action(async (dir: string, opts: SweepFlags) => {
      const progress = phasedProgress(opts.json);
      const x = await sweep(dir, withUnit(opts.pipeline, opts.unit), {
        depths: opts.depths,
        epsilon: opts.epsilon,
        latencyBudgetMs: opts.latencyBudget,
        split: opts.split,
        collection: opts.collection,
        onProgress: progress.onProgress,
      });
      progress.stop();
      if (opts.json) return printJson(x);
      process.stdout.write(sweepReport(x) + '\n');
    });
}

/** The text report: one row per depth (metrics, then mean / p95 ms per stage), then the recommendation. */
export function sweepReport(x: SweepReport): string {
  const stages = x.rows[0]?.latency.map((l) => l.stage) ?? [];
  const header = ['K', 'recall@K', 'ndcg@10', 'mrr@10', ...stages.map((s) => `${s} ms mean/p95`)];
  const rows = x.rows.map((r) => [
    r.depth,
    r.recall.toFixed(4),
    r.ndcg10.toFixed(4),
    r.mrr10.toFixed(4),
    ...stages.map((s) => {
      const l = r.latency.find((v) => v.stage === s)!;
      return `${l.mean.toFixed(2)} / ${l.p95.toFixed(2)}`;
    }),
  ]);
  const out = [
    `${x.dataset} (${x.split}): ${x.documents.toLocaleString('en-US')} documents, ${x.queries} queries`,
    `first stage: ${x.firstStage}${x.rerankStages.map((s) => ` → ${s}`).join('')}; scored once at K=${x.rows[x.rows.length - 1]?.depth} (${x.rerankScored.join(' / ') || 0} model calls), smaller K replayed`,
    'latency: first stage measured at the largest K; hydrate and rerank estimated from per-document time',
    '',
    formatTable(header, rows),
    '',
    x.recommendation.depth === undefined
      ? `recommendation: none — ${x.recommendation.reason}`
      : `recommendation: K=${x.recommendation.depth} (${x.recommendation.reason})`,
  ];
  return out.join('\n');
}

function parseDepths(value: string): number[] {
  return parseList(value).map(parsePositiveInt('--depths'));
}
