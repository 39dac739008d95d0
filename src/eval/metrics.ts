/**
 * Retrieval metrics with trec_eval's exact definitions, as pure kernels over one query's judged
 * ranking, plus the parser for metric names.
 *
 * Definitions follow NIST trec_eval 10.0 (https://github.com/usnistgov/trec_eval):
 * - the ranking is the run re-sorted by score descending, ties by docid in descending byte order
 *   (`form_res_rels.c`, `comp_sim_docno`); the run's rank column is ignored;
 * - a document is relevant when its grade is >= 1 (`-l 1`, the default); unjudged = non-relevant;
 * - nDCG (`m_ndcg_cut.c`): gain = grade (only grades > 0 count), discount log2(rank + 1), ideal
 *   ranking from every judged document of the query, cut at the same k;
 * - AP (`m_map.c`, `m_map_cut.c`): sum of precision at each relevant rank (<= k) / all relevant;
 * - recall@k (`m_recall.c`): relevant in top k / all relevant; P@k (`m_P.c`): relevant in top k / k;
 * - recip_rank (`m_recip_rank.c`): 1 / rank of the first relevant document, 0 if none;
 * - R-prec (`m_Rprec.c`): relevant in the top R / R, R = number of relevant documents;
 * - nDCG without a cutoff (`m_ndcg.c`): over the whole ranking, ideal from every judged document;
 * - success@k (`m_success.c`): 1 if a relevant document is in the top k, else 0;
 * - bpref (`m_bpref.c`, Buckley & Voorhees, SIGIR 2004): per retrieved relevant document,
 *   1 - min(judged non-relevant ranked above it, min(R, N)) / min(R, N), summed and divided by R
 *   (N = judged non-relevant documents of the query); unjudged documents are skipped;
 * - judged@k (shortlist's; exactly 1 - trec_eval's `unj_k`): 1 - (unjudged documents in the top
 *   k) / k, so positions past the end of a short ranking count as judged, as in trec_eval.
 *
 * A grade below 0 in the qrels (trec_eval's `RELVALUE_NONPOOL`, -1) counts as unjudged, and the
 * relevance level (`-l`, default 1) is the lowest grade counted as relevant for every measure but
 * nDCG, whose gains are the grades themselves.
 */
import { ShortlistError } from '../core/errors.ts';
import type { RunEntry } from './types.ts';

/** The metric families. */
export const METRIC_KINDS = Object.freeze(['ndcg', 'map', 'recall', 'p', 'mrr', 'r-prec', 'success', 'bpref', 'judged'] as const);

/** A metric family; see {@link METRIC_KINDS}. */
export type MetricKind = (typeof METRIC_KINDS)[number];

/** Metric names as users write them (`k` a positive integer); matched case-insensitively. */
export const METRIC_FORMS = Object.freeze([
  'ndcg',
  'ndcg@k',
  'map',
  'map@k',
  'recall@k',
  'p@k',
  'mrr',
  'mrr@k',
  'r-prec',
  'success@k',
  'bpref',
  'judged@k',
] as const);

/** A parsed metric: canonical `name` (e.g. `ndcg@10`), family and optional cutoff. */
export interface MetricSpec {
  name: string;
  kind: MetricKind;
  /** The cutoff; absent for `ndcg`, `map`, `mrr`, `r-prec` and `bpref` over the whole ranking. */
  k?: number;
}

/** Which families need a cutoff (`true`), allow one (`'optional'`) or take none (`false`). */
const CUTOFF: Readonly<Record<MetricKind, boolean | 'optional'>> = Object.freeze({
  ndcg: 'optional',
  map: 'optional',
  recall: true,
  p: true,
  mrr: 'optional',
  'r-prec': false,
  success: true,
  bpref: false,
  judged: true,
});

/** Other spellings, including trec_eval's own names (`ndcg_cut_10`, `P_10`, `recip_rank`, `Rprec`). */
const ALIASES: Readonly<Record<string, MetricKind>> = Object.freeze({
  ndcg: 'ndcg',
  ndcg_cut: 'ndcg',
  map: 'map',
  map_cut: 'map',
  ap: 'map',
  recall: 'recall',
  r: 'recall',
  p: 'p',
  precision: 'p',
  mrr: 'mrr',
  recip_rank: 'mrr',
  rr: 'mrr',
  'r-prec': 'r-prec',
  rprec: 'r-prec',
  'r-precision': 'r-prec',
  success: 'success',
  bpref: 'bpref',
  judged: 'judged',
});

/**
 * Parses a metric name such as `nDCG@10`, `map`, `P@5`, `MRR@10`, `r-prec` (or trec_eval's
 * `ndcg_cut_10`, `P_10`, `recip_rank`). Throws INVALID_ARGUMENT listing the valid forms.
 */
export function parseMetric(input: string): MetricSpec {
  const text = input.trim().toLowerCase();
  const m = /^([a-z_-]+?)(?:(?:@|_|\.)(\d+))?$/.exec(text);
  const kind = m ? ALIASES[m[1]] : undefined;
  const bad = (why: string): ShortlistError =>
    new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown metric "${input}" (${why}); valid forms: ${METRIC_FORMS.join(', ')} (k a positive integer, e.g. ndcg@10)`,
    );
  if (!m || kind === undefined) throw bad('not a metric name');
  const need = CUTOFF[kind];
  if (m[2] === undefined) {
    if (need === true) throw bad(`${kind} needs a cutoff, e.g. ${kind}@10`);
    return { name: kind, kind };
  }
  if (need === false) throw bad(`${kind} takes no cutoff`);
  const k = Number(m[2]);
  if (!Number.isSafeInteger(k) || k < 1) throw bad('the cutoff must be a positive integer');
  return { name: `${kind}@${k}`, kind, k };
}

/** Parses several metric names, dropping repeats (by canonical name), order kept. */
export function parseMetrics(inputs: readonly (string | MetricSpec)[]): MetricSpec[] {
  if (inputs.length === 0) throw new ShortlistError('INVALID_ARGUMENT', `no metrics given; valid forms: ${METRIC_FORMS.join(', ')}`);
  const out = new Map<string, MetricSpec>();
  for (const x of inputs) {
    const spec = typeof x === 'string' ? parseMetric(x) : x;
    if (!out.has(spec.name)) out.set(spec.name, spec);
  }
  return [...out.values()];
}

/**
 * Compares two strings the way C's `strcmp` compares their UTF-8 bytes (= code point order).
 * JavaScript's `<` compares UTF-16 code units, which differs only where surrogate pairs meet
 * characters U+E000..U+FFFF; this function fixes that case.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      if (x <= 0xdfff) x += 0x10000;
      if (y <= 0xdfff) y += 0x10000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * trec_eval's ranking order (`comp_sim_docno` in `form_res_rels.c`): score descending, equal
 * scores by docid in descending byte order.
 */
export function compareTrecEval(a: RunEntry, b: RunEntry): number {
  if (a.score > b.score) return -1;
  if (a.score < b.score) return 1;
  return compareBytes(b.docid, a.docid);
}

/** One query's run, judged: grades in trec_eval rank order, and what the qrels hold. */
export interface JudgedRanking {
  /** Grade of the document at each rank (0-based index = rank - 1); unjudged documents are 0. */
  grades: Int32Array;
  /** Number of judged documents with grade >= the relevance level. */
  numRel: number;
  /** The positive grades of all judged documents, sorted descending: the ideal ranking for nDCG. */
  ideal: Int32Array;
  /** 1 where the document at that rank is judged (grade >= 0 in the qrels), else 0. */
  judged: Uint8Array;
  /** Number of judged documents with 0 <= grade < the relevance level (bpref's N). */
  numNonrel: number;
  /** Lowest grade counted as relevant (trec_eval `-l`). @default 1 */
  level: number;
}

/**
 * Sorts a query's entries in trec_eval order and looks up each document's grade. Throws
 * INVALID_ARGUMENT for a NaN score or a document listed twice (trec_eval refuses both).
 */
export function judgeRanking(
  entries: readonly RunEntry[],
  judgments: ReadonlyMap<string, number> | undefined,
  qid = '?',
  level = 1,
): JudgedRanking {
  for (const e of entries) {
    if (Number.isNaN(e.score)) throw new ShortlistError('INVALID_ARGUMENT', `query "${qid}": document "${e.docid}" has a NaN score`);
  }
  const sorted = entries.slice().sort(compareTrecEval);
  const grades = new Int32Array(sorted.length);
  const judged = new Uint8Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const g = judgments?.get(sorted[i].docid);
    if (g !== undefined && g >= 0) {
      grades[i] = g;
      judged[i] = 1;
    }
  }
  if (sorted.length > 1) assertUniqueDocids(sorted, qid);
  return { grades, judged, level, ...idealOf(judgments, level) };
}

function assertUniqueDocids(entries: readonly RunEntry[], qid: string): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.docid)) throw new ShortlistError('INVALID_ARGUMENT', `query "${qid}": document "${e.docid}" is listed twice; keep one`);
    seen.add(e.docid);
  }
}

function idealOf(
  judgments: ReadonlyMap<string, number> | undefined,
  level: number,
): { numRel: number; numNonrel: number; ideal: Int32Array } {
  if (!judgments) return { numRel: 0, numNonrel: 0, ideal: new Int32Array(0) };
  const pos: number[] = [];
  let numRel = 0;
  let numNonrel = 0;
  for (const g of judgments.values()) {
    if (g > 0) pos.push(g);
    if (g >= level) numRel++;
    else if (g >= 0) numNonrel++;
  }
  const ideal = Int32Array.from(pos).sort().reverse();
  return { numRel, numNonrel, ideal };
}

let LOG2 = new Float64Array(0);

/** log2(i + 2) for i in [0, n): the discount of rank i + 1, cached. */
function log2Table(n: number): Float64Array {
  if (LOG2.length < n) {
    const t = new Float64Array(Math.max(n, LOG2.length * 2, 1024));
    for (let i = 0; i < t.length; i++) t[i] = Math.log2(i + 2);
    LOG2 = t;
  }
  return LOG2;
}

/** nDCG@k, trec_eval `ndcg_cut` (m_ndcg_cut.c): linear gain, log2(rank + 1) discount, ideal from all judged documents. */
export function ndcgAt(grades: Int32Array, ideal: Int32Array, k: number): number {
  const n = Math.min(k, grades.length);
  const m = Math.min(k, ideal.length);
  const log2 = log2Table(Math.max(n, m));
  let dcg = 0;
  for (let i = 0; i < n; i++) {
    const g = grades[i];
    if (g > 0) dcg += g / log2[i];
  }
  let idcg = 0;
  for (let i = 0; i < m; i++) idcg += ideal[i] / log2[i];
  return idcg > 0 ? dcg / idcg : 0;
}

/** Average precision over the top k (all ranks by default), trec_eval `map` / `map_cut` (m_map.c, m_map_cut.c). */
export function averagePrecision(grades: Int32Array, numRel: number, k = Infinity, level = 1): number {
  if (numRel === 0) return 0;
  const n = Math.min(k, grades.length);
  let found = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (grades[i] >= level) {
      found++;
      sum += found / (i + 1);
    }
  }
  return sum / numRel;
}

/** Relevant documents in the top k divided by all relevant ones, trec_eval `recall` (m_recall.c). */
export function recallAt(grades: Int32Array, numRel: number, k: number, level = 1): number {
  if (numRel === 0) return 0;
  return relevantInTop(grades, k, level) / numRel;
}

/** Relevant documents in the top k divided by k (even when fewer were retrieved), trec_eval `P` (m_P.c). */
export function precisionAt(grades: Int32Array, k: number, level = 1): number {
  return relevantInTop(grades, k, level) / k;
}

/** 1 / rank of the first relevant document within the top k (all ranks by default), 0 if none; trec_eval `recip_rank` (m_recip_rank.c). */
export function reciprocalRank(grades: Int32Array, k = Infinity, level = 1): number {
  const n = Math.min(k, grades.length);
  for (let i = 0; i < n; i++) if (grades[i] >= level) return 1 / (i + 1);
  return 0;
}

/** Relevant documents in the top R divided by R, R = number of relevant documents; trec_eval `Rprec` (m_Rprec.c). */
export function rPrecision(grades: Int32Array, numRel: number, level = 1): number {
  if (numRel === 0) return 0;
  return relevantInTop(grades, numRel, level) / numRel;
}

/** 1 if a relevant document is in the top k, else 0; trec_eval `success` (m_success.c). */
export function successAt(grades: Int32Array, k: number, level = 1): number {
  return relevantInTop(grades, k, level) > 0 ? 1 : 0;
}

/**
 * bpref, trec_eval `bpref` (m_bpref.c; Buckley & Voorhees, "Retrieval evaluation with incomplete
 * information", SIGIR 2004): unjudged documents are skipped; each retrieved relevant document
 * scores 1 - min(judged non-relevant above it, min(R, N)) / min(R, N); the sum is divided by R.
 */
export function bpref(grades: Int32Array, judged: Uint8Array, numRel: number, numNonrel: number, level = 1): number {
  if (numRel === 0) return 0;
  const bound = Math.min(numRel, numNonrel);
  let nonrelAbove = 0;
  let sum = 0;
  for (let i = 0; i < grades.length; i++) {
    if (judged[i] === 0) continue;
    if (grades[i] >= level) sum += nonrelAbove > 0 ? 1 - Math.min(nonrelAbove, bound) / bound : 1;
    else nonrelAbove++;
  }
  return sum / numRel;
}

/**
 * 1 - (unjudged documents in the top k) / k: exactly 1 - trec_eval's `unj_k`, so positions past
 * the end of a ranking shorter than k count as judged (an empty ranking scores 1).
 */
export function judgedAt(judged: Uint8Array, k: number): number {
  const n = Math.min(k, judged.length);
  let unjudged = 0;
  for (let i = 0; i < n; i++) unjudged += 1 - judged[i];
  return 1 - unjudged / k;
}

function relevantInTop(grades: Int32Array, k: number, level = 1): number {
  const n = Math.min(k, grades.length);
  let c = 0;
  for (let i = 0; i < n; i++) if (grades[i] >= level) c++;
  return c;
}

/** The value of one metric on one judged ranking. */
export function computeMetric(spec: MetricSpec, r: JudgedRanking): number {
  switch (spec.kind) {
    case 'ndcg':
      return ndcgAt(r.grades, r.ideal, spec.k ?? Infinity);
    case 'map':
      return averagePrecision(r.grades, r.numRel, spec.k ?? Infinity, r.level);
    case 'recall':
      return recallAt(r.grades, r.numRel, spec.k ?? Infinity, r.level);
    case 'p':
      return precisionAt(r.grades, spec.k ?? r.grades.length, r.level);
    case 'mrr':
      return reciprocalRank(r.grades, spec.k ?? Infinity, r.level);
    case 'r-prec':
      return rPrecision(r.grades, r.numRel, r.level);
    case 'success':
      return successAt(r.grades, spec.k ?? Infinity, r.level);
    case 'bpref':
      return bpref(r.grades, r.judged, r.numRel, r.numNonrel, r.level);
    case 'judged':
      return judgedAt(r.judged, spec.k ?? r.judged.length);
  }
}
