/**
 * Held-out evaluation of a calibration: a seeded split that keeps each query's items together,
 * and Brier score / ECE before and after calibration on the held-out part.
 */
import { ShortlistError } from '../../core/errors.ts';
import { mulberry32 } from '../../core/random.ts';
import type { Calibrator } from '../../pipeline/calibration/fit.ts';
import { checkSample } from '../../pipeline/calibration/input.ts';
import { brierScore, DEFAULT_BINS, expectedCalibrationError, reliabilityBins, type ReliabilityBin } from './metrics.ts';
import { sigmoid } from '../../pipeline/calibration/platt.ts';

/** Options for {@link heldOutSplit}. */
export interface SplitOptions {
  /**
   * Fraction of the groups (or items) held out for evaluation.
   * @default 0.3
   */
  heldOut?: number;
  /**
   * Seed of the shuffle.
   * @default 1
   */
  seed?: number;
  /**
   * A group id per item (e.g. the query id): whole groups go to one side, so items of one query
   * never sit on both sides. Without it every item is its own group.
   * @default undefined
   */
  groups?: readonly string[];
}

/** Indices of the fitting and held-out parts. */
export interface Split {
  fit: Uint32Array;
  heldOut: Uint32Array;
}

/** A seeded split of `n` items into a fitting part and a held-out part (by group when given). */
export function heldOutSplit(n: number, options: SplitOptions = {}): Split {
  const fraction = options.heldOut ?? 0.3;
  if (!(fraction > 0 && fraction < 1))
    throw new ShortlistError('INVALID_ARGUMENT', `heldOut must be between 0 and 1 (exclusive), got ${fraction}`);
  const groups = options.groups;
  if (groups !== undefined && groups.length !== n)
    throw new ShortlistError('INVALID_ARGUMENT', `groups needs one id per item: ${groups.length} ids for ${n} items`);
  const key = (i: number) => (groups === undefined ? String(i) : groups[i]);
  const ids = [...new Set(Array.from({ length: n }, (_, i) => key(i)))];
  const rand = mulberry32(options.seed ?? 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const take = Math.min(Math.max(Math.round(fraction * ids.length), 1), Math.max(ids.length - 1, 1));
  const held = new Set(ids.slice(0, take));
  const fit: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) (held.has(key(i)) ? out : fit).push(i);
  return { fit: Uint32Array.from(fit), heldOut: Uint32Array.from(out) };
}

/** Options for {@link calibrationReport}. */
export interface CalibrationReportOptions {
  /**
   * Equal-width bins of ECE and the reliability diagram.
   * @default 15
   */
  bins?: number;
  /**
   * How raw scores are read as probabilities for the "before" numbers: `'sigmoid'` (logits, as a
   * cross-encoder's activation would) or `'identity'` (scores already in [0, 1]).
   * @default 'sigmoid'
   */
  uncalibrated?: 'sigmoid' | 'identity';
}

/** Calibration quality of one set of probabilities. */
export interface CalibrationQuality {
  brier: number;
  ece: number;
  reliability: ReliabilityBin[];
}

/** Before/after numbers of a calibration on held-out data. */
export interface CalibrationReport {
  n: number;
  positives: number;
  bins: number;
  before: CalibrationQuality;
  after: CalibrationQuality;
}

/** Brier score, ECE and reliability bins of raw scores and of `calibrator`'s probabilities on (held-out) data. */
export function calibrationReport(
  calibrator: Calibrator,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: CalibrationReportOptions = {},
): CalibrationReport {
  const bins = options.bins ?? DEFAULT_BINS;
  const { n, positives } = checkSample(scores, labels);
  const raw = options.uncalibrated ?? 'sigmoid';
  const before =
    raw === 'sigmoid'
      ? Float64Array.from({ length: n }, (_, i) => sigmoid(scores[i]))
      : Float64Array.from({ length: n }, (_, i) => scores[i]);
  const after = calibrator.applyAll(scores);
  return { n, positives, bins, before: quality(before, labels, bins), after: quality(after, labels, bins) };
}

function quality(probs: Float64Array, labels: ArrayLike<number>, bins: number): CalibrationQuality {
  return {
    brier: brierScore(probs, labels),
    ece: expectedCalibrationError(probs, labels, bins),
    reliability: reliabilityBins(probs, labels, bins),
  };
}

/** Picks `indices` out of `values` (e.g. the held-out part of a {@link Split}). */
export function pick(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: indices.length }, (_, i) => values[indices[i]]);
}
