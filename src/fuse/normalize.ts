/**
 * Per-list score normalisers for convex fusion, as pure functions over one list's scores (any
 * order; the output is aligned with the input). Bruch, Gai & Ingber, "An Analysis of Fusion
 * Functions for Hybrid Retrieval", ACM TOIS, 2023 (doi:10.1145/3596512; arXiv:2210.11934) define
 * min-max and z-score normalisation for fusion; DBSF is Qdrant's
 * "distribution-based score fusion" (`distr_norm` in qdrant/qdrant
 * lib/segment/src/common/score_fusion.rs; described by M. Mazzeschi, "hybrid-dbsf", 2023).
 *
 *   minmax(s) = (s − min) / (max − min)                              all equal → 1
 *   zscore(s) = (s − μ) / σ,  σ the population standard deviation    σ = 0 → 0
 *   dbsf(s)   = (s − (μ − 3σ)) / 6σ,  σ the sample (n − 1) deviation  one score or σ = 0 → 0.5
 *   none(s)   = s
 *
 * Degenerate lists get defined values, never NaN: a min-max list whose scores are all equal (one
 * hit included) scores 1 everywhere, since each is as good as the list's best; z-score puts
 * every score of a σ = 0 list at the mean, 0; DBSF gives 0.5, as Qdrant does.
 */
import { invalid } from './types.ts';

/** The normaliser names convex fusion accepts. */
export type NormalizerName = 'minmax' | 'zscore' | 'dbsf' | 'none';

/** A normaliser: one list's raw scores → normalised scores, same order. */
export type Normalizer = (scores: readonly number[]) => Float64Array;

/** Min-max: maps the list's range onto [0, 1]; a list whose scores are all equal maps to 1. */
export function minMax(scores: readonly number[]): Float64Array {
  const out = new Float64Array(scores.length);
  if (scores.length === 0) return out;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const range = max - min;
  for (let i = 0; i < scores.length; i++) out[i] = range > 0 ? (scores[i] - min) / range : 1;
  return out;
}

/** Z-score: (s − μ) / σ with the population σ of the list; a list with σ = 0 maps to 0. */
export function zScore(scores: readonly number[]): Float64Array {
  const out = new Float64Array(scores.length);
  if (scores.length === 0) return out;
  const { mean, sumSq } = moments(scores);
  const sd = Math.sqrt(sumSq / scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = sd > 0 ? (scores[i] - mean) / sd : 0;
  return out;
}

/**
 * DBSF as Qdrant computes it: sample σ (n − 1), bounds μ ± 3σ mapped onto [0, 1]; one score or
 * σ = 0 → 0.5. Qdrant does not clip, so a score beyond 3σ (possible from 11 scores up) leaves
 * [0, 1]; pass `clip: true` to clamp to [0, 1].
 */
export function dbsf(scores: readonly number[], clip = false): Float64Array {
  const out = new Float64Array(scores.length);
  if (scores.length === 0) return out;
  if (scores.length === 1) {
    out[0] = 0.5;
    return out;
  }
  const { mean, sumSq } = moments(scores);
  const sd = Math.sqrt(sumSq / (scores.length - 1));
  const lo = mean - 3 * sd;
  const hi = mean + 3 * sd;
  for (let i = 0; i < scores.length; i++) {
    const v = hi > lo ? (scores[i] - lo) / (hi - lo) : 0.5;
    out[i] = clip ? Math.min(1, Math.max(0, v)) : v;
  }
  return out;
}

/** No normalisation: the raw scores, copied. */
export function identity(scores: readonly number[]): Float64Array {
  return Float64Array.from(scores);
}

/** Every normaliser by name (DBSF unclipped, as in Qdrant). */
export const NORMALIZERS = Object.freeze({
  minmax: minMax,
  zscore: zScore,
  dbsf: (scores: readonly number[]) => dbsf(scores),
  none: identity,
} as const satisfies Record<NormalizerName, Normalizer>);

/** The normaliser called `name`; throws INVALID_ARGUMENT listing the valid names otherwise. */
export function getNormalizer(name: string): Normalizer {
  if (Object.hasOwn(NORMALIZERS, name)) return NORMALIZERS[name as NormalizerName];
  throw invalid(`unknown normalizer "${name}"; valid normalizers: ${Object.keys(NORMALIZERS).join(', ')}`);
}

/** Mean and sum of squared deviations, two-pass (exact enough for score lists of any scale). */
function moments(scores: readonly number[]): { mean: number; sumSq: number } {
  let sum = 0;
  for (const s of scores) sum += s;
  const mean = sum / scores.length;
  let sumSq = 0;
  for (const s of scores) sumSq += (s - mean) * (s - mean);
  return { mean, sumSq };
}
