/**
 * `shortlist compare <run-a> <run-b> --qrels <file>`: two TREC runs (any system's) compared metric
 * by metric with a paired randomization test, a paired t-test and win/tie/loss counts.
 */
import type { Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { compareRuns, COMPARE_DEFAULTS, readQrels, type CompareResult } from '../../eval/compare.ts';
import { parseMetrics } from '../../eval/metrics.ts';
import { readTrecRun } from '../../eval/trec.ts';
import { formatTable, printJson } from '../output.ts';
import { parseList, parsePositiveInt } from '../parse.ts';

interface CompareFlags {
  qrels: string;
  metrics: string[];
  permutations: number;
  seed: number;
  json?: boolean;
}

/** Registers `compare` on the program. */
export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'compare two TREC runs on the same qrels: means, difference (B − A), paired randomization test, paired t-test, win/tie/loss per query',
    )
    .argument('<run-a>', 'TREC run of the baseline system A (plain or .gz)')
    .argument('<run-b>', 'TREC run of system B')
    .requiredOption('--qrels <file>', 'relevance judgments: TREC `qid 0 docid grade` or BEIR tsv (detected)')
    .option('--metrics <list>', 'comma-separated metrics: ndcg@k, map, map@k, recall@k, p@k, mrr, mrr@k, r-prec', parseList, [
      ...COMPARE_DEFAULTS.metrics,
    ])
    .option(
      '--permutations <n>',
      'random sign flips of the randomization test (exact enumeration when 2^queries <= n)',
      parsePositiveInt('--permutations'),
      COMPARE_DEFAULTS.permutations,
    )
    .option('--seed <n>', 'seed of the randomization test', parseSeed, COMPARE_DEFAULTS.seed)
    .option('--json', 'print one JSON object')
    .action(async (runA: string, runB: string, opts: CompareFlags) => {
      parseMetrics(opts.metrics); // fail on a bad metric name before reading files
      const [a, b, { format, qrels }] = await Promise.all([readTrecRun(runA), readTrecRun(runB), readQrels(opts.qrels)]);
      const result = compareRuns(a, b, qrels, opts);
      if (opts.json) return printJson({ runA, runB, qrels: opts.qrels, qrelsFormat: format, ...result });
      process.stdout.write(compareReport(runA, runB, result) + '\n');
    });
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new ShortlistError('INVALID_ARGUMENT', `--seed must be a whole number from 0 to 4294967295, got "${value}"`);
  }
  return n;
}

/** The text report: one row per metric, then what did not line up. */
function compareReport(runA: string, runB: string, r: CompareResult): string {
  const out = [
    `A: ${runA}`,
    `B: ${runB}`,
    `${r.queries} queries (qrels queries with a relevant document); randomization test: ${r.comparisons.some((c) => !c.exact) ? `${r.permutations} permutations, seed ${r.seed}` : 'exact'}`,
    '',
  ];
  out.push(
    formatTable(
      ['metric', 'A', 'B', 'B − A', 'p (rand)', 'p (t-test)', 'win', 'tie', 'loss'],
      r.comparisons.map((c) => [
        c.metric,
        c.meanA.toFixed(4),
        c.meanB.toFixed(4),
        signed(c.delta),
        formatP(c.randomizationP),
        formatP(c.tTestP),
        c.wins,
        c.ties,
        c.losses,
      ]),
    ),
  );
  for (const [name, d] of [
    ['A', r.diagnostics.a],
    ['B', r.diagnostics.b],
  ] as const) {
    if (d.qrelsQueriesMissingFromRun.count > 0) {
      out.push(
        `warning: run ${name} lacks ${d.qrelsQueriesMissingFromRun.count} evaluated queries (scored 0), e.g. ${d.qrelsQueriesMissingFromRun.examples.join(', ')}`,
      );
    }
    if (d.runQueriesNotInQrels.count > 0)
      out.push(`note: run ${name} has ${d.runQueriesNotInQrels.count} queries without qrels (not evaluated)`);
  }
  return out.join('\n');
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
