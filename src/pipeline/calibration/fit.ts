/**
 * A calibration fit as one serialisable value: `{ version, method, params, fingerprint, trainedOn }`
 * plus `apply(score)`. `JSON.stringify` of a {@link Calibrator} is exactly its fit (functions are
 * dropped), and {@link loadCalibration} turns that JSON back into a Calibrator, so a fit can be
 * stored next to the model it belongs to and refused for another (see {@link checkFingerprint}).
 */
import { lazySchema } from '../../core/zod.ts';
import { fromIssues, ShortlistError } from '../../core/errors.ts';
import { isotonicProbability, fitIsotonic, type IsotonicParams } from './isotonic.ts';
import { fitPlatt, plattProbability, PLATT_DEFAULTS, type PlattOptions, type PlattParams } from './platt.ts';
import { checkSample } from './input.ts';

/** Calibration methods, by id. */
export const CALIBRATION_METHODS = Object.freeze(['platt', 'isotonic'] as const);

/** A calibration method id. */
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

/** The serialisable part of a fit (what is stored as JSON). */
export type CalibrationFit = ({ method: 'platt'; params: PlattParams } | { method: 'isotonic'; params: IsotonicParams }) & {
  /** Format version of this JSON. */
  version: 1;
  /** Fingerprint of the model/stage whose scores were calibrated (null when not given). */
  fingerprint: string | null;
  /** Size of the training sample. */
  trainedOn: { n: number; positives: number };
};

/** A fit that can be applied: the stored data plus `apply`. */
export type Calibrator = CalibrationFit & {
  /** P(relevant) for one raw score. */
  apply(score: number): number;
  /** P(relevant) for many raw scores. */
  applyAll(scores: ArrayLike<number>): Float64Array;
};

/** Options for {@link fitCalibration}. */
export interface CalibrationOptions extends PlattOptions {
  /**
   * `'platt'`: two parameters, smooth and monotone, data-efficient, but assumes the log-odds are
   * linear in the score. `'isotonic'`: any monotone shape, needs more data (hundreds of positives)
   * and gives a step function.
   * @default 'platt'
   */
  method?: CalibrationMethod;
  /**
   * The fingerprint of the model or stage whose scores these are; stored with the fit so a
   * pipeline can refuse a fit made for another model.
   * @default null
   */
  fingerprint?: string | null;
}

/** Defaults of {@link fitCalibration}. */
export const CALIBRATION_DEFAULTS = Object.freeze({
  method: 'platt',
  fingerprint: null,
  ...PLATT_DEFAULTS,
} satisfies Required<CalibrationOptions>);

/** Fits a calibration of raw `scores` to P(relevant) from 0/1 `labels` (1 = relevant). */
export function fitCalibration(scores: ArrayLike<number>, labels: ArrayLike<number>, options: CalibrationOptions = {}): Calibrator {
  const o = { ...CALIBRATION_DEFAULTS, ...options };
  const trainedOn = checkSample(scores, labels);
  const common = { version: 1 as const, fingerprint: o.fingerprint, trainedOn };
  switch (o.method) {
    case 'platt': {
      const { a, b } = fitPlatt(scores, labels, o);
      return calibrator({ method: 'platt', params: { a, b }, ...common });
    }
    case 'isotonic':
      return calibrator({ method: 'isotonic', params: fitIsotonic(scores, labels), ...common });
    default:
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `unknown calibration method "${String(o.method)}"; valid: ${CALIBRATION_METHODS.join(', ')}`,
      );
  }
}

const finite = lazySchema((z) => z.number().refine(Number.isFinite, 'must be a finite number'));
const FitSchema = lazySchema((z) =>
  z.intersection(
    z.discriminatedUnion('method', [
      z.object({ method: z.literal('platt'), params: z.object({ a: finite, b: finite }) }),
      z.object({
        method: z.literal('isotonic'),
        params: z.object({ thresholds: z.array(finite).min(1), values: z.array(z.number().min(0).max(1)).min(1) }),
      }),
    ]),
    z.object({
      version: z.literal(1),
      fingerprint: z.string().nullable(),
      trainedOn: z.object({ n: z.number().int().min(1), positives: z.number().int().min(0) }),
    }),
  ),
);

/**
 * Turns stored JSON (parsed) back into a {@link Calibrator}; throws INVALID_INPUT naming the
 * field (and `source`, e.g. the file) when it is not a calibration fit.
 */
export function loadCalibration(data: unknown, source?: string): Calibrator {
  const parsed = FitSchema.safeParse(data);
  if (!parsed.success) {
    throw fromIssues('INVALID_INPUT', parsed.error.issues, {
      prefix: 'not a calibration fit: ',
      hint: '; refit with fitCalibration / `shortlist calibrate`',
      countMore: false,
      ...(source !== undefined ? { file: source } : {}),
    });
  }
  const fit = parsed.data as CalibrationFit;
  if (fit.method === 'isotonic') {
    const { thresholds, values } = fit.params;
    const ok =
      thresholds.length === values.length &&
      thresholds.every((t, i) => i === 0 || t > thresholds[i - 1]) &&
      values.every((v, i) => i === 0 || v >= values[i - 1]);
    if (!ok) {
      throw new ShortlistError(
        'INVALID_INPUT',
        'isotonic fit: thresholds must be strictly ascending, values non-decreasing, and both of one length',
        {
          location: { file: source, field: 'params' },
        },
      );
    }
  }
  return calibrator(fit);
}

/**
 * Throws MODEL_ERROR unless the fit was made for `fingerprint` (a fit without a fingerprint is
 * refused too: it cannot be shown to belong to this model).
 */
export function checkFingerprint(fit: CalibrationFit, fingerprint: string): void {
  if (fit.fingerprint !== fingerprint) {
    throw new ShortlistError(
      'MODEL_ERROR',
      `calibration was fitted for model fingerprint ${fit.fingerprint ?? '(none)'} but the stage's model is ${fingerprint}; scores of another model mean something else: refit the calibration on this model`,
    );
  }
}

function calibrator(fit: CalibrationFit): Calibrator {
  const f = fit.method === 'platt' ? (s: number) => plattProbability(fit.params, s) : (s: number) => isotonicProbability(fit.params, s);
  const applyAll = (scores: ArrayLike<number>) => Float64Array.from({ length: scores.length }, (_, i) => f(scores[i]));
  // Non-enumerable functions: JSON.stringify and structuredClone see only the fit.
  return Object.freeze(
    Object.defineProperties({ ...fit } as Calibrator, {
      apply: { value: f, enumerable: false },
      applyAll: { value: applyAll, enumerable: false },
    }),
  );
}
