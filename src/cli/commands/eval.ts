/**
 * `shortlist eval <beir-dir>`: BM25 on a BEIR dataset, scored with trec_eval's definitions; with
 * `--pipeline`, a whole pipeline reported stage by stage (see `src/lab/evaluate.ts`); with
 * `--run <file> --qrels <file>` and no dataset, any TREC run scored like trec_eval (`eval-run.ts`).
 */
import { type Command, Option } from 'commander';
import { rerankStagesHelp } from '../../pipeline/rerank-stages.ts';
import { ShortlistError } from '../../core/errors.ts';
import { parseUnit, withUnit } from '../unit.ts';
import { evaluatePipeline, type PipelineEvalReport } from '../../lab/evaluate.ts';
import { runBm25Experiment, EXPERIMENT_DEFAULTS } from '../../lab/bm25-experiment.ts';
import { writeTrecRun } from '../../eval/trec.ts';
import { parseMetrics } from '../../eval/metrics.ts';
import { INDEX_ANALYZER_NAMES } from '../../text/detect.ts';
import { createProgress, phasedProgress } from '../progress.ts';
import { formatMs, formatTable, printJson } from '../output.ts';
import { parseList, parseNumber, parsePositiveInt } from '../parse.ts';
import { evalRun, parseRelevanceLevel } from './eval-run.ts';

interface EvalFlags {
  split: string;
  metrics: string[];
  k1: number;
  b: number;
  depth: number;
  run?: string;
  analyzer: string;
  onDuplicate: 'error' | 'last';
  cache: boolean;
  perQuery?: boolean;
  json?: boolean;
  pipeline?: string;
  unit?: 'document' | 'passage';
  collection?: string;
  store?: string;
  /** false with --no-adapter. */
  adapter: boolean;
  qrels?: string;
  complete?: boolean;
  relevanceLevel?: number;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description(
      'index a BEIR dataset with BM25 (cached), run its queries and print trec_eval metrics; with --pipeline, every stage of a whole pipeline; with --run <file> --qrels <file> and no dataset, score any TREC run like trec_eval',
    )
    .addHelpText('after', () => `\n${rerankStagesHelp()}`)
    .argument('[beir-dir]', 'BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (leave out with --qrels)')
    .option('--split <name>', 'qrels split to evaluate', EXPERIMENT_DEFAULTS.split)
    .option(
      '--metrics <list>',
      'comma-separated metrics: ndcg, ndcg@k, map, map@k, recall@k, p@k, mrr, mrr@k, r-prec, success@k, bpref, judged@k (or trec_eval names: ndcg_cut_10, P_5, …)',
      parseList,
      [...EXPERIMENT_DEFAULTS.metrics],
    )
    .option('--k1 <x>', 'BM25 term-frequency saturation', parseNumber('--k1'), EXPERIMENT_DEFAULTS.k1)
    .option('--b <x>', 'BM25 length normalisation, 0..1', parseNumber('--b'), EXPERIMENT_DEFAULTS.b)
    .option('--depth <n>', 'documents retrieved per query', parsePositiveInt('--depth'), EXPERIMENT_DEFAULTS.depth)
    .option(
      '--run <file>',
      'with a dataset: also write the run in TREC format (gzipped if it ends in .gz); with --qrels: the TREC run to score (text after the 6th field is ignored, as trec_eval does)',
    )
    .option('--qrels <file>', 'score the --run file against these qrels (TREC `qid 0 docid grade` or BEIR TSV) like trec_eval; no dataset')
    .option(
      '-c, --complete',
      'with --qrels: average over every qrels query, a query missing from the run scoring 0 (trec_eval -c); default: the queries in both files',
    )
    .option('-l, --relevance-level <n>', 'with --qrels: lowest grade counted as relevant (trec_eval -l)', parseRelevanceLevel)
    .addOption(
      new Option('--analyzer <name>', 'text analyzer (auto: detect the language from the first documents)')
        .choices(INDEX_ANALYZER_NAMES)
        .default(EXPERIMENT_DEFAULTS.analyzer),
    )
    .addOption(
      new Option('--on-duplicate <policy>', 'duplicate document ids: fail, or keep the last').choices(['error', 'last']).default('error'),
    )
    .option('--no-cache', 'rebuild the index instead of reusing the cached one')
    .option('-q, --per-query', "also print every query's metrics (trec_eval -q)")
    .option('--json', 'print one JSON object (no progress bar)')
    .option(
      '--pipeline <file|preset>',
      'evaluate a whole pipeline (preset or JSON file), reporting every stage; --depth overrides its depth only when given',
    )
    .option(
      '--collection <dir|url>',
      'with --pipeline: keep (and reuse) the collection at this directory, postgres://…?schema= URL or s3://bucket/prefix instead of a temporary one',
    )
    .option(
      '--store <url>',
      'with --pipeline: build the temporary collection in this Postgres database (postgres://user@host:5432/db; a schema created and dropped after)',
    )
    .option(
      '--unit <unit>',
      'with --pipeline: rank documents or passages (overrides the pipeline\'s "unit"; document qrels judge a passage run by each passage\'s document)',
      parseUnit,
    )
    .option('--no-adapter', 'with --collection: evaluate without the query adapter stored by `shortlist adapt` (the "before" numbers)')
    .action(async (dir: string | undefined, opts: EvalFlags, cmd: Command) => {
      parseMetrics(opts.metrics); // fail on a bad metric name before indexing
      if (opts.qrels !== undefined) {
        if (dir !== undefined)
          throw new ShortlistError(
            'INVALID_ARGUMENT',
            `--qrels scores an existing run and takes no dataset; drop "${dir}" or drop --qrels`,
          );
        if (opts.run === undefined) throw new ShortlistError('INVALID_ARGUMENT', '--qrels needs --run <file>: the TREC run to score');
        if (opts.pipeline !== undefined)
          throw new ShortlistError('INVALID_ARGUMENT', '--qrels scores an existing run; it does not combine with --pipeline');
        const metrics = cmd.getOptionValueSource('metrics') === 'cli' ? opts.metrics : undefined;
        return evalRun({ ...opts, run: opts.run, qrels: opts.qrels, metrics });
      }
      if (dir === undefined)
        throw new ShortlistError('INVALID_ARGUMENT', 'give a BEIR dataset folder, or --run <file> --qrels <file> to score an existing run');
      for (const flag of ['complete', 'relevanceLevel'] as const) {
        if (opts[flag] !== undefined)
          throw new ShortlistError(
            'INVALID_ARGUMENT',
            `--${flag === 'complete' ? 'complete' : 'relevance-level'} applies to --run <file> --qrels <file> only`,
          );
      }
      if (opts.pipeline) return evalPipeline(dir, opts, cmd.getOptionValueSource('depth') === 'cli');
      if (opts.store !== undefined || opts.collection !== undefined)
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          `--${opts.store !== undefined ? 'store' : 'collection'} needs --pipeline (e.g. --pipeline bm25): the plain BM25 evaluation builds its own cached index`,
        );
      const progress = createProgress('indexing', { unit: 'docs', quiet: opts.json });
      const x = await runBm25Experiment(dir, { ...opts, onProgress: (done, total) => progress.update(done, total) });
      progress.stop();
      if (opts.run) await writeTrecRun(opts.run, x.run, { tag: 'shortlist-bm25' });
      const { result, qrelsCheck } = x;
      const warnings = [
        qrelsCheck.unknownQueries.count > 0 &&
          `${qrelsCheck.unknownQueries.count} qrels entries name queries not in queries.jsonl (e.g. ${qrelsCheck.unknownQueries.examples.join(', ')})`,
        qrelsCheck.unknownDocuments.count > 0 &&
          `${qrelsCheck.unknownDocuments.count} qrels entries name documents not in the corpus (e.g. ${qrelsCheck.unknownDocuments.examples.join(', ')})`,
        result.diagnostics.qrelsQueriesWithoutRelevant.count > 0 &&
          `${result.diagnostics.qrelsQueriesWithoutRelevant.count} qrels queries have no relevant document and are not averaged`,
      ].filter((w): w is string => Boolean(w));

      if (opts.json) {
        return printJson({
          dataset: x.dataset,
          split: x.split,
          documents: x.documents,
          queries: x.queries,
          params: x.params,
          depth: x.search.depth,
          index: { cached: x.index.reused, ms: Math.round(x.index.ms), dir: x.index.dir },
          search: { ms: Math.round(x.search.ms), queriesPerSecond: Math.round(x.search.queriesPerSecond) },
          metrics: result.mean,
          perQuery: opts.perQuery ? Object.fromEntries(result.perQuery) : undefined,
          diagnostics: { ...result.diagnostics, qrels: qrelsCheck },
          warnings,
        });
      }
      const out: string[] = [];
      out.push(`${x.dataset} (${x.split}): ${x.documents.toLocaleString('en-US')} documents, ${x.queries} queries`);
      out.push(`BM25 k1=${x.params.k1} b=${x.params.b}, analyzer ${x.params.analyzer}, depth ${x.search.depth}`);
      out.push(
        `index: ${x.index.reused ? 'cached' : 'built'} in ${formatMs(x.index.ms)}; search: ${formatMs(x.search.ms)} (${Math.round(x.search.queriesPerSecond).toLocaleString('en-US')} queries/s)`,
      );
      out.push('');
      if (opts.perQuery) {
        const rows = [...result.perQuery].map(([qid, m]) => [qid, ...result.metrics.map((k) => m[k].toFixed(4))]);
        out.push(formatTable(['query', ...result.metrics], rows), '');
      }
      out.push(
        formatTable(
          ['metric', 'value'],
          result.metrics.map((m) => [m, result.mean[m].toFixed(4)]),
        ),
      );
      for (const w of warnings) out.push(`warning: ${w}`);
      if (opts.run) out.push(`run written to ${opts.run}`);
      process.stdout.write(out.join('\n') + '\n');
    });
}

async function evalPipeline(dir: string, opts: EvalFlags, depthGiven: boolean): Promise<void> {
  const progress = phasedProgress(opts.json);
  const x = await evaluatePipeline(dir, withUnit(opts.pipeline!, opts.unit), {
    split: opts.split,
    depth: depthGiven ? opts.depth : undefined,
    metrics: opts.metrics,
    collection: opts.collection,
    store: opts.store,
    adapter: opts.adapter,
    onProgress: progress.onProgress,
  });
  progress.stop();
  if (opts.run) for (const [stage, run] of x.runs) await writeTrecRun(stageRunPath(opts.run, stage), run, { tag: `shortlist-${stage}` });
  if (opts.json) {
    const { runs: _runs, ...rest } = x;
    return printJson(rest);
  }
  process.stdout.write(pipelineReport(x) + '\n');
}

/** The text report of a pipeline evaluation: one metrics row per stage, then latency per stage. */
function pipelineReport(x: PipelineEvalReport): string {
  const p = x.pipeline;
  const out: string[] = [];
  out.push(`${x.dataset} (${x.split}): ${x.documents.toLocaleString('en-US')} documents, ${x.queries} queries`);
  out.push(
    `pipeline: ${p.retrievers.map((r) => (r.type === 'dense' ? `dense(${r.model ?? `${r.remote?.provider}:${r.remote?.model}`})` : r.name)).join(' + ')}${p.retrievers.length > 1 ? ` → ${p.fusion.method}` : ''}, unit ${p.unit}, depth ${p.depth}${p.rerank.map((s) => ` → ${s.type}(${s.model}) keep ${s.keep ?? p.k}`).join('')}`,
  );
  out.push('');
  out.push(
    formatTable(
      ['stage', 'candidates', ...x.metrics],
      x.stages.map((s) => [s.stage, s.candidates.toFixed(1), ...x.metrics.map((m) => s.metrics[m].toFixed(4))]),
    ),
  );
  out.push('');
  out.push(
    formatTable(
      ['latency', 'p50 ms', 'p95 ms', 'mean ms'],
      x.latency.map((l) => [l.stage, l.p50.toFixed(2), l.p95.toFixed(2), l.mean.toFixed(2)]),
    ),
  );
  const remote = Object.entries(x.stageStats);
  if (remote.length > 0) {
    out.push('');
    out.push(
      formatTable(
        ['requests', 'calls', 'cached', 'retries', 'prompt tokens', 'completion tokens', 'cost $', 'request ms'],
        remote.map(([stage, s]) => [
          stage,
          String(s.calls),
          String(s.cacheHits),
          String(s.retries),
          String(s.promptTokens),
          String(s.completionTokens),
          s.costUsd.toFixed(4),
          s.latencyMs.toFixed(1),
        ]),
      ),
    );
  }
  return out.join('\n');
}

/** `run.txt` → `run.<stage>.txt` (one run file per stage). */
function stageRunPath(path: string, stage: string): string {
  const m = /^(.*?)(\.[^./]+(\.gz)?)?$/.exec(path)!;
  return `${m[1]}.${stage}${m[2] ?? ''}`;
}
