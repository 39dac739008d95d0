/** Validation shared by the calibration fitters and metrics: finite scores, 0/1 labels, equal lengths. */
import { ShortlistError } from '../../core/errors.ts';

/** Counts of a validated (scores, labels) sample. */
export interface SampleCounts {
  n: number;
  positives: number;
}

/**
 * Checks that `scores` are finite, `labels` are 0 or 1 and both have the same non-zero length;
 * throws INVALID_ARGUMENT naming the first bad index. `what` names the scores in messages.
 */
export function checkSample(scores: ArrayLike<number>, labels: ArrayLike<number>, what = 'score'): SampleCounts {
  if (scores.length !== labels.length) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `calibration needs one label per ${what}; got ${scores.length} ${what}s and ${labels.length} labels`,
    );
  }
  if (scores.length === 0) throw new ShortlistError('INVALID_ARGUMENT', `calibration needs at least one (${what}, label) pair; got none`);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]))
      throw new ShortlistError('INVALID_ARGUMENT', `${what} ${i} is ${scores[i]}; ${what}s must be finite numbers`);
    const y = labels[i];
    if (y !== 0 && y !== 1) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `label ${i} is ${y}; labels must be 0 (not relevant) or 1 (relevant): binarise graded qrels first (grade >= 1 → 1)`,
      );
    }
    positives += y;
  }
  return { n: scores.length, positives };
}

/** Checks that every value of `probs` lies in [0, 1] (and `labels` as {@link checkSample}). */
export function checkProbabilities(probs: ArrayLike<number>, labels: ArrayLike<number>): SampleCounts {
  const counts = checkSample(probs, labels, 'probability');
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] < 0 || probs[i] > 1) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `probability ${i} is ${probs[i]}, outside [0, 1]; calibrate raw scores first (or map them with a sigmoid)`,
      );
    }
  }
  return counts;
}
