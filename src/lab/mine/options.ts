/**
 * The knobs of hard-negative mining, named as sentence-transformers' `mine_hard_negatives` names
 * them (https://sbert.net/docs/package_reference/util/hard_negatives.html), in camelCase.
 */
import type { z } from 'zod';
import { lazySchema } from '../../core/zod.ts';
import { fromIssues, ShortlistError } from '../../core/errors.ts';

/** How negatives are picked from the candidates that pass every filter. */
export const SAMPLING_STRATEGIES = Object.freeze(['top', 'random'] as const);
/** A sampling strategy. */
export type SamplingStrategy = (typeof SAMPLING_STRATEGIES)[number];

/** Mining options. */
export const MineOptionsSchema = lazySchema((z) =>
  z.strictObject({
    /** Skip the first `rangeMin` candidates (after removing labelled positives): the very top is where unlabelled positives hide. @default 0 */
    rangeMin: z.number().int().min(0).optional(),
    /** Consider only the first `rangeMax` candidates (after removing labelled positives). @default 100 */
    rangeMax: z.number().int().min(1).optional(),
    /** Drop a candidate whose score is above this. @default none */
    maxScore: z.number().optional(),
    /** Drop a candidate whose score is below this. @default none */
    minScore: z.number().optional(),
    /** Keep a candidate only if `score <= positive − absoluteMargin`. @default none */
    absoluteMargin: z.number().optional(),
    /**
     * Keep a candidate only if `score <= positive − relativeMargin·|positive|` — for a positive
     * score this is sentence-transformers' `score <= positive·(1 − relativeMargin)`; for a negative
     * one (a logit) it still asks the candidate to be that fraction *below* the positive. @default none
     */
    relativeMargin: z.number().min(0).optional(),
    /** Negatives kept per query. @default 3 */
    numNegatives: z.number().int().min(1).optional(),
    /** `top`: the best-ranked candidates that pass; `random`: a seeded sample of them. @default 'top' */
    samplingStrategy: z.enum(SAMPLING_STRATEGIES).optional(),
    /** Seed of `random` sampling. @default 1 */
    seed: z.number().int().optional(),
  }),
);

/** Mining options as given. */
export type MineOptions = z.input<typeof MineOptionsSchema>;

/** Mining options with defaults filled in. */
export interface ResolvedMineOptions {
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly maxScore?: number;
  readonly minScore?: number;
  readonly absoluteMargin?: number;
  readonly relativeMargin?: number;
  readonly numNegatives: number;
  readonly samplingStrategy: SamplingStrategy;
  readonly seed: number;
}

/** Defaults of {@link MineOptions}. */
export const MINE_DEFAULTS = Object.freeze({
  rangeMin: 0,
  rangeMax: 100,
  numNegatives: 3,
  samplingStrategy: 'top' as SamplingStrategy,
  seed: 1,
});

/** Validates `input` and returns a new frozen object with the defaults filled in. */
export function resolveMineOptions(input: MineOptions = {}): ResolvedMineOptions {
  const parsed = MineOptionsSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    throw fromIssues('INVALID_ARGUMENT', parsed.error.issues, {
      prefix: 'mining option ',
      root: '',
      countMore: false,
      cause: parsed.error,
    });
  }
  const o = { ...MINE_DEFAULTS, ...parsed.data };
  if (o.rangeMin >= o.rangeMax)
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `rangeMin (${o.rangeMin}) must be below rangeMax (${o.rangeMax}); the window of ranks would be empty`,
    );
  return Object.freeze(o);
}

/** True when `score` passes the absolute margin against the positive's score. */
export function passesAbsoluteMargin(score: number, positive: number, margin: number): boolean {
  return score <= positive - margin;
}

/**
 * True when `score` passes the relative margin: `score <= positive − margin·|positive|`. For
 * `positive >= 0` this is `score <= positive·(1 − margin)` (sentence-transformers' rule); for a
 * negative positive score the naive product would move the bar *above* the positive, so the
 * magnitude is used and the bar stays below it.
 */
export function passesRelativeMargin(score: number, positive: number, margin: number): boolean {
  return score <= positive - margin * Math.abs(positive);
}
