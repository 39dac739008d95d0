/**
 * Isotonic regression of 0/1 labels on scores by pool-adjacent-violators (PAV): the
 * non-decreasing step function of the score that minimises the squared error (the Brier score) on
 * the training sample. Zadrozny & Elkan, "Transforming Classifier Scores into Accurate Multiclass
 * Probability Estimates", KDD 2002 (PAV: Ayer et al., Ann. Math. Statist. 1955).
 *
 * Equal scores are pooled first (a function of the score must give them one value). The fit is a
 * step function: a score gets the value of the last block whose lowest score is ≤ it; scores below
 * the first block get the first value. Values can be exactly 0 or 1 at the ends; clip before
 * taking logarithms. Assumes higher scores mean more relevant (the fit is non-decreasing).
 */
import { checkSample } from './input.ts';

/** Parameters of an isotonic fit: the step function's left edges and values (both ascending). */
export interface IsotonicParams {
  /** Lowest training score of each block, strictly ascending. */
  thresholds: number[];
  /** P(relevant) of each block, non-decreasing. */
  values: number[];
}

/** Fits isotonic regression by pool-adjacent-violators in O(n log n) (the sort) + O(n). */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicParams {
  const { n } = checkSample(scores, labels);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => scores[x] - scores[y]);
  const lo: number[] = [];
  const sum: number[] = [];
  const weight: number[] = [];
  for (let k = 0; k < n; ) {
    // One block per distinct score.
    const s = scores[order[k]];
    let total = 0;
    let count = 0;
    while (k < n && scores[order[k]] === s) {
      total += labels[order[k]];
      count++;
      k++;
    }
    lo.push(s);
    sum.push(total);
    weight.push(count);
    // Pool while the previous block's mean is not below this one's (ties pooled: fewer steps, same fit).
    while (lo.length > 1) {
      const j = lo.length - 1;
      if (sum[j - 1] * weight[j] < sum[j] * weight[j - 1]) break;
      sum[j - 1] += sum[j];
      weight[j - 1] += weight[j];
      lo.pop();
      sum.pop();
      weight.pop();
    }
  }
  return { thresholds: lo, values: sum.map((s, j) => s / weight[j]) };
}

/** The calibrated probability of `score` under an isotonic fit (step function, clamped at the ends). */
export function isotonicProbability(params: IsotonicParams, score: number): number {
  const { thresholds, values } = params;
  // Largest j with thresholds[j] <= score.
  let lo = 0;
  let hi = thresholds.length - 1;
  if (Number.isNaN(score)) return Number.NaN;
  if (score < thresholds[0]) return values[0];
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (thresholds[mid] <= score) lo = mid;
    else hi = mid - 1;
  }
  return values[lo];
}
