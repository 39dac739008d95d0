/**
 * How well probabilities are calibrated: the Brier score (Brier, "Verification of Forecasts
 * Expressed in Terms of Probability", Monthly Weather Review 78, 1950) and the expected calibration
 * error over equal-width confidence bins (Naeini, Cooper & Hauskrecht, AAAI 2015; as used by Guo,
 * Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks", ICML 2017, with 15 bins).
 * For binary relevance the "confidence" is P(relevant) and the "accuracy" of a bin is the
 * fraction of relevant items in it.
 */
import { ShortlistError } from '../../core/errors.ts';
import { checkProbabilities } from '../../pipeline/calibration/input.ts';

/** Default number of equal-width bins for ECE and reliability diagrams (Guo et al. 2017 use 15). */
export const DEFAULT_BINS = 15;

/** One equal-width bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower edge (exclusive, except for the first bin). */
  lower: number;
  /** Upper edge (inclusive). */
  upper: number;
  /** Items whose probability falls in the bin. */
  count: number;
  /** Mean predicted probability of those items (NaN when empty). */
  meanPredicted: number;
  /** Fraction of those items that are relevant (NaN when empty). */
  fractionPositive: number;
}

/** Brier score: mean of (p − y)² over the sample; 0 is perfect, 0.25 is a constant 0.5. */
export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { n } = checkProbabilities(probs, labels);
  let s = 0;
  for (let i = 0; i < n; i++) s += (probs[i] - labels[i]) ** 2;
  return s / n;
}

/**
 * The reliability diagram: `bins` equal-width bins over [0, 1]; p falls in bin
 * min(⌊p·bins⌋, bins − 1), so p = 1 is in the last bin.
 */
export function reliabilityBins(probs: ArrayLike<number>, labels: ArrayLike<number>, bins: number = DEFAULT_BINS): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw new ShortlistError('INVALID_ARGUMENT', `bins must be a positive whole number, got ${bins}`);
  const { n } = checkProbabilities(probs, labels);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const k = Math.min(Math.floor(probs[i] * bins), bins - 1);
    count[k]++;
    sumP[k] += probs[i];
    sumY[k] += labels[i];
  }
  return Array.from(count, (c, k) => ({
    lower: k / bins,
    upper: (k + 1) / bins,
    count: c,
    meanPredicted: c > 0 ? sumP[k] / c : Number.NaN,
    fractionPositive: c > 0 ? sumY[k] / c : Number.NaN,
  }));
}

/** Expected calibration error: Σ_bins (n_bin / n)·|fraction relevant − mean predicted| over equal-width bins. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins: number = DEFAULT_BINS): number {
  let ece = 0;
  const n = probs.length;
  for (const b of reliabilityBins(probs, labels, bins)) {
    if (b.count > 0) ece += (b.count / n) * Math.abs(b.fractionPositive - b.meanPredicted);
  }
  return ece;
}
