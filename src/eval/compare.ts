/**
 * Compares two runs (ours or any other system's TREC runs) on the same qrels, metric by metric.
 *
 * Pipeline: 1. evaluate both runs with trec_eval `-c` semantics (`evaluate.ts`): the queries are
 * the qrels queries with at least one relevant document, and a query a run lacks scores 0
 * 2. pair the per-query values of A and B on those queries 3. per metric: means, Δ = mean(B) −
 * mean(A), Fisher's randomization test and the paired t-test (`significance.ts`), and win/tie/loss
 * of B against A.
 */
import { ShortlistError } from '../core/errors.ts';
import { readLineBatches } from '../core/jsonl.ts';
import { readBeirQrels } from './beir.ts';
import { evaluate, type EvalDiagnostics } from './evaluate.ts';
import { parseMetrics } from './metrics.ts';
import { pairedTTest, randomizationTest, SIGNIFICANCE_DEFAULTS, winTieLoss } from './significance.ts';
import { readTrecQrels, type QrelsReadOptions } from './trec.ts';
import type { Qrels, Run } from './types.ts';

/** Defaults of {@link compareRuns}; the `compare` CLI uses the same. */
export const COMPARE_DEFAULTS = Object.freeze({
  metrics: Object.freeze(['ndcg@10', 'map', 'recall@100']) as readonly string[],
  permutations: SIGNIFICANCE_DEFAULTS.permutations,
  seed: SIGNIFICANCE_DEFAULTS.seed,
  tieTolerance: SIGNIFICANCE_DEFAULTS.tieTolerance,
});

/** Options for {@link compareRuns}. */
export interface CompareOptions {
  /**
   * Metrics to compare (names as `evaluate` takes them).
   * @default ['ndcg@10', 'map', 'recall@100']
   */
  metrics?: readonly string[];
  /**
   * Random sign vectors of the randomization test (exact enumeration when 2^queries ≤ this).
   * @default 10000
   */
  permutations?: number;
  /**
   * Seed of the randomization test; each metric's test restarts from it, so a metric's p does not
   * depend on which other metrics are asked for.
   * @default 1
   */
  seed?: number;
  /**
   * Per-query |B − A| at or below this counts as a tie.
   * @default 1e-9
   */
  tieTolerance?: number;
}

/** One metric's comparison of B against A. */
export interface MetricComparison {
  metric: string;
  /** Mean of A over the evaluated queries. */
  meanA: number;
  /** Mean of B over the evaluated queries. */
  meanB: number;
  /** mean(B) − mean(A). */
  delta: number;
  /** Two-sided p of Fisher's paired randomization test. */
  randomizationP: number;
  /** True when the randomization p was computed by full enumeration. */
  exact: boolean;
  /** The paired t statistic of B − A. */
  t: number;
  /** Two-sided p of the paired t-test. */
  tTestP: number;
  /** Queries where B beats A. */
  wins: number;
  /** Queries where |B − A| ≤ the tie tolerance. */
  ties: number;
  /** Queries where A beats B. */
  losses: number;
}

/** The result of {@link compareRuns}. */
export interface CompareResult {
  /** Queries paired (qrels queries with a relevant document). */
  queries: number;
  metrics: string[];
  permutations: number;
  seed: number;
  comparisons: MetricComparison[];
  /** What did not line up between each run and the qrels. */
  diagnostics: { a: EvalDiagnostics; b: EvalDiagnostics };
}

/** Compares run B against run A on `qrels`: per metric means, Δ, randomization and t-test p, win/tie/loss. */
export function compareRuns(a: Run, b: Run, qrels: Qrels, options: CompareOptions = {}): CompareResult {
  const metrics = parseMetrics(options.metrics ?? COMPARE_DEFAULTS.metrics).map((s) => s.name);
  const permutations = options.permutations ?? COMPARE_DEFAULTS.permutations;
  const seed = options.seed ?? COMPARE_DEFAULTS.seed;
  const tolerance = options.tieTolerance ?? COMPARE_DEFAULTS.tieTolerance;
  const ea = evaluate(a, qrels, metrics);
  const eb = evaluate(b, qrels, metrics);
  const qids = [...ea.perQuery.keys()];
  const comparisons = metrics.map((metric): MetricComparison => {
    const xa = Float64Array.from(qids, (q) => ea.perQuery.get(q)![metric]);
    const xb = Float64Array.from(qids, (q) => valueOf(eb.perQuery, q, metric));
    const rt = randomizationTest(xa, xb, { permutations, seed });
    const tt = pairedTTest(xa, xb);
    return {
      metric,
      meanA: ea.mean[metric],
      meanB: eb.mean[metric],
      delta: eb.mean[metric] - ea.mean[metric],
      randomizationP: rt.p,
      exact: rt.exact,
      t: tt.t,
      tTestP: tt.p,
      ...winTieLoss(xa, xb, tolerance),
    };
  });
  return { queries: qids.length, metrics, permutations, seed, comparisons, diagnostics: { a: ea.diagnostics, b: eb.diagnostics } };
}

function valueOf(perQuery: Map<string, Record<string, number>>, qid: string, metric: string): number {
  const v = perQuery.get(qid)?.[metric];
  if (v === undefined) throw new ShortlistError('INTERNAL', `query "${qid}" was evaluated for one run but not the other`);
  return v;
}

/** The two qrels layouts {@link readQrels} tells apart. */
export type QrelsFormat = 'trec' | 'beir';

/**
 * Detects a qrels file's layout from its first data line (plain or gzip): four whitespace fields
 * `qid 0 docid grade` is TREC; three fields (BEIR's `query-id<TAB>corpus-id<TAB>score`, with or
 * without its header) is BEIR. Throws INVALID_INPUT for anything else.
 */
export async function detectQrelsFormat(file: string): Promise<QrelsFormat> {
  for await (const { lines, firstLine } of readLineBatches(file)) {
    for (let i = 0; i < lines.length; i++) {
      const t = lines[i].trim();
      if (t.length === 0 || t.startsWith('#')) continue;
      const n = t.split(/\s+/).length;
      if (n === 4) return 'trec';
      if (n === 3) return 'beir';
      throw new ShortlistError(
        'INVALID_INPUT',
        `cannot tell the qrels format: expected TREC \`qid 0 docid grade\` (4 fields) or BEIR \`query-id<TAB>corpus-id<TAB>score\` (3 fields), found ${n} fields`,
        { location: { file, line: firstLine + i } },
      );
    }
  }
  throw new ShortlistError(
    'EMPTY_INPUT',
    `${file} holds no judgments; expected TREC \`qid 0 docid grade\` or BEIR \`query-id<TAB>corpus-id<TAB>score\` lines`,
  );
}

/** Reads a qrels file in TREC or BEIR layout, detected by {@link detectQrelsFormat}. */
export async function readQrels(file: string, options: QrelsReadOptions = {}): Promise<{ format: QrelsFormat; qrels: Qrels }> {
  const format = await detectQrelsFormat(file);
  const qrels = format === 'trec' ? await readTrecQrels(file, options) : await readBeirQrels(file, options);
  return { format, qrels };
}
