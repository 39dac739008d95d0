/**
 * `trecEval(run, qrels, options)`: what `trec_eval -q [-c] [-l N]` computes for any run, with
 * trec_eval's query set, its counts and its averaging (NIST trec_eval 10.0,
 * https://github.com/usnistgov/trec_eval).
 *
 * Pipeline: 1. parse the measures 2. pick the queries: those in both the run and the qrels, or
 * with `complete` (`-c`) every qrels query (a query absent from the run is an empty ranking)
 * 3. judge each query's ranking at the relevance level 4. the counts `num_ret`, `num_rel`,
 * `num_rel_ret` per query, summed over queries for `all`; every other measure averaged.
 */
import { ShortlistError } from '../core/errors.ts';
import { compareBytes, computeMetric, judgeRanking, parseMetrics, type MetricSpec } from './metrics.ts';
import { formatFixed, trecEvalName } from './trec-eval-output.ts';
import type { Qrels, Run } from './types.ts';

/** The counts trec_eval prints before its measures; summed (not averaged) over queries. */
export const TREC_EVAL_COUNTS = Object.freeze(['num_ret', 'num_rel', 'num_rel_ret'] as const);

/** Measures `shortlist eval --run … --qrels …` prints when none are asked for. */
export const TREC_EVAL_DEFAULT_MEASURES = Object.freeze([
  'map',
  'r-prec',
  'bpref',
  'mrr',
  ...[5, 10, 15, 20, 30, 100, 200, 500, 1000].map((k) => `p@${k}`),
  ...[5, 10, 15, 20, 30, 100, 200, 500, 1000].map((k) => `recall@${k}`),
  'ndcg',
  ...[5, 10, 15, 20, 30, 100, 200, 500, 1000].map((k) => `ndcg@${k}`),
  'success@1',
  'success@5',
  'success@10',
  'judged@5',
  'judged@10',
  'judged@20',
]);

/** Options of {@link trecEval}. */
export interface TrecEvalOptions {
  /** Measures (shortlist or trec_eval names). @default {@link TREC_EVAL_DEFAULT_MEASURES} */
  measures?: readonly (string | MetricSpec)[];
  /**
   * trec_eval `-c`: average over every query of the qrels, a query missing from the run scoring
   * as an empty ranking. `false` averages over the queries in both files, as trec_eval does
   * without `-c`. @default false
   */
  complete?: boolean;
  /** trec_eval `-l`: the lowest grade counted as relevant (all measures but nDCG's gains). @default 1 */
  relevanceLevel?: number;
}

/** One query's (or `all`'s) values: trec_eval measure name → value, counts first. */
export type TrecEvalValues = Map<string, number>;

/** The result of {@link trecEval}. */
export interface TrecEvalResult {
  /** trec_eval names of the measures, counts first, in output order. */
  measures: string[];
  /** Per evaluated query, in trec_eval's order (query ids by byte order). */
  perQuery: Map<string, TrecEvalValues>;
  /** `all`: counts summed, measures averaged over the evaluated queries. */
  all: TrecEvalValues;
  /** Number of queries evaluated (`num_q`). */
  numQ: number;
}

/** Scores `run` against `qrels` the way `trec_eval -q` does. Throws EMPTY_INPUT when no query can be evaluated. */
export function trecEval(run: Run, qrels: Qrels, options: TrecEvalOptions = {}): TrecEvalResult {
  const specs = parseMetrics(options.measures ?? TREC_EVAL_DEFAULT_MEASURES);
  const level = options.relevanceLevel ?? 1;
  if (!Number.isSafeInteger(level)) throw new ShortlistError('INVALID_ARGUMENT', `relevance level ${level} is not an integer`);
  const names = specs.map((s) => trecEvalName(s));
  const qids = [...qrels.keys()].filter((q) => options.complete || run.has(q)).sort(compareBytes);
  if (qids.length === 0) {
    throw new ShortlistError(
      'EMPTY_INPUT',
      options.complete
        ? 'the qrels hold no query'
        : 'no query is in both the run and the qrels; check that the two files use the same query ids (or pass -c/--complete to score the qrels queries the run lacks as 0)',
    );
  }
  const perQuery = new Map<string, TrecEvalValues>();
  const all: TrecEvalValues = new Map();
  for (const n of [...TREC_EVAL_COUNTS, ...names]) all.set(n, 0);
  for (const qid of qids) {
    const r = judgeRanking(run.get(qid) ?? [], qrels.get(qid), qid, level);
    let relRet = 0;
    for (const g of r.grades) if (g >= level) relRet++;
    const values: TrecEvalValues = new Map([
      ['num_ret', r.grades.length],
      ['num_rel', r.numRel],
      ['num_rel_ret', relRet],
    ]);
    for (let m = 0; m < specs.length; m++) values.set(names[m], computeMetric(specs[m], r));
    for (const [n, v] of values) all.set(n, all.get(n)! + v);
    perQuery.set(qid, values);
  }
  for (const n of names) all.set(n, all.get(n)! / qids.length);
  return { measures: [...TREC_EVAL_COUNTS, ...names], perQuery, all, numQ: qids.length };
}

/**
 * The lines trec_eval prints (`%-22s\t%s\t%s`): with `perQuery` (`-q`) every query's block first,
 * then `all` with `num_q`; counts as integers, measures to 4 decimals.
 */
export function* formatTrecEval(result: TrecEvalResult, options: { perQuery?: boolean } = {}): Generator<string> {
  const line = (name: string, qid: string, v: number): string =>
    `${name.padEnd(22)}\t${qid}\t${name === 'num_q' || (TREC_EVAL_COUNTS as readonly string[]).includes(name) ? String(v) : formatFixed(v, 4)}`;
  if (options.perQuery) {
    for (const [qid, values] of result.perQuery) for (const n of result.measures) yield line(n, qid, values.get(n)!);
  }
  yield line('num_q', 'all', result.numQ);
  for (const n of result.measures) yield line(n, 'all', result.all.get(n)!);
}
