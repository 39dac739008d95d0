/**
 * Scores a run against qrels: per-query values and means with trec_eval `-c` semantics, plus
 * diagnostics about queries that did not line up, so nothing is dropped silently.
 *
 * Pipeline: 1. parse the metric names 2. pick the queries to average over: every qrels query
 * with at least one relevant document 3. for each, re-sort its run entries in trec_eval order
 * and look up grades (a query absent from the run is an empty ranking: 0 on every metric)
 * 4. run the kernels of `metrics.ts` 5. average over the queries of step 2 6. count run queries
 * without qrels, qrels queries without relevant documents, qrels queries missing from the run.
 */
import { ShortlistError } from '../core/errors.ts';
import { computeMetric, judgeRanking, parseMetrics, type MetricSpec } from './metrics.ts';
import type { Qrels, Run, RunEntry } from './types.ts';

/** How many example ids a diagnostic keeps. */
const EXAMPLES = 5;

/** A count of ids with the first few as examples. */
export interface IdSample {
  count: number;
  examples: string[];
}

/** What did not line up between the run and the qrels. */
export interface EvalDiagnostics {
  /** Queries averaged over. */
  evaluatedQueries: number;
  /** Run queries with no qrels entry: not evaluated. */
  runQueriesNotInQrels: IdSample;
  /** Qrels queries whose judgments are all grade <= 0: excluded from the mean (see {@link EvaluateOptions.noRelevant}). */
  qrelsQueriesWithoutRelevant: IdSample;
  /** Evaluated qrels queries that the run does not contain: each scores 0 on every metric. */
  qrelsQueriesMissingFromRun: IdSample;
}

/** The result of {@link evaluate}. */
export interface EvalResult {
  /** Canonical metric names, in the order asked, e.g. `['ndcg@10', 'map']`. */
  metrics: string[];
  /** Per evaluated query (qrels order): metric name → value. */
  perQuery: Map<string, Record<string, number>>;
  /** Metric name → mean over the evaluated queries (trec_eval `-c`). */
  mean: Record<string, number>;
  diagnostics: EvalDiagnostics;
}

/** Options for {@link evaluate}. */
export interface EvaluateOptions {
  /**
   * Qrels queries that have judgments but none with grade >= 1: `'exclude'` leaves them out of
   * the mean (their metrics are undefined); `'zero'` averages them in as 0 on every metric, which
   * is exactly what `trec_eval -c` does (it counts every query of the qrels file).
   * @default 'exclude'
   */
  noRelevant?: 'exclude' | 'zero';
}

/**
 * Evaluates `run` against `qrels` on `metrics` (names like `ndcg@10`, or parsed specs) with
 * trec_eval's definitions and `-c` averaging. Throws INVALID_ARGUMENT for an unknown metric and
 * EMPTY_INPUT when the qrels hold no relevant judgment at all.
 */
export function evaluate(run: Run, qrels: Qrels, metrics: readonly (string | MetricSpec)[], options: EvaluateOptions = {}): EvalResult {
  const specs = parseMetrics(metrics);
  const names = specs.map((s) => s.name);
  const zeroNoRel = (options.noRelevant ?? 'exclude') === 'zero';
  const noRel = sample();
  const missing = sample();
  const notInQrels = sample();
  const perQuery = new Map<string, Record<string, number>>();
  const sums = new Float64Array(specs.length);

  for (const [qid, judgments] of qrels) {
    if (!hasRelevant(judgments)) {
      add(noRel, qid);
      if (!zeroNoRel) continue;
    }
    const entries = run.get(qid);
    if (entries === undefined) add(missing, qid);
    const values = evaluateQuery(entries ?? [], judgments, specs, qid);
    for (let m = 0; m < specs.length; m++) sums[m] += values[names[m]];
    perQuery.set(qid, values);
  }
  for (const qid of run.keys()) if (!qrels.has(qid)) add(notInQrels, qid);

  const n = perQuery.size;
  if (n === 0) {
    throw new ShortlistError(
      'EMPTY_INPUT',
      'the qrels hold no relevant judgment (grade >= 1), so no query can be evaluated; check the qrels file and split',
    );
  }
  const mean: Record<string, number> = {};
  for (let m = 0; m < specs.length; m++) mean[names[m]] = sums[m] / n;
  return {
    metrics: names,
    perQuery,
    mean,
    diagnostics: {
      evaluatedQueries: n,
      runQueriesNotInQrels: notInQrels,
      qrelsQueriesWithoutRelevant: noRel,
      qrelsQueriesMissingFromRun: missing,
    },
  };
}

/** Every metric of `specs` for one query's entries (any order) and judgments. */
export function evaluateQuery(
  entries: readonly RunEntry[],
  judgments: ReadonlyMap<string, number> | undefined,
  specs: readonly MetricSpec[],
  qid?: string,
): Record<string, number> {
  const ranking = judgeRanking(entries, judgments, qid);
  const out: Record<string, number> = {};
  for (const spec of specs) out[spec.name] = computeMetric(spec, ranking);
  return out;
}

/** Qrels entries that name queries or documents the dataset does not have. */
export interface QrelsCheck {
  /** Judgments looked at. */
  entries: number;
  /** Judgments whose query id is not among the queries; `examples` are query ids. */
  unknownQueries: IdSample;
  /** Judgments whose document id is not in the corpus; `examples` are `qid/docid`. */
  unknownDocuments: IdSample;
}

/**
 * Counts qrels entries that point at unknown queries or unknown documents (with a few
 * examples), so a caller can report them instead of dropping them silently.
 */
export function checkQrels(qrels: Qrels, queryIds: { has(id: string): boolean }, docIds: { has(id: string): boolean }): QrelsCheck {
  const unknownQueries = sample();
  const unknownDocuments = sample();
  let entries = 0;
  for (const [qid, docs] of qrels) {
    const knownQuery = queryIds.has(qid);
    for (const docid of docs.keys()) {
      entries++;
      if (!knownQuery) {
        unknownQueries.count++;
        if (unknownQueries.examples.length < EXAMPLES && !unknownQueries.examples.includes(qid)) unknownQueries.examples.push(qid);
      }
      if (!docIds.has(docid)) add(unknownDocuments, `${qid}/${docid}`);
    }
  }
  return { entries, unknownQueries, unknownDocuments };
}

function hasRelevant(judgments: ReadonlyMap<string, number>): boolean {
  for (const g of judgments.values()) if (g >= 1) return true;
  return false;
}

function sample(): IdSample {
  return { count: 0, examples: [] };
}

function add(s: IdSample, id: string): void {
  s.count++;
  if (s.examples.length < EXAMPLES) s.examples.push(id);
}
