/**
 * The fusion part of a pipeline: its options, defaults, zod schema and resolution. The schema is
 * what the pipeline JSON embeds under `fusion`; `resolveFusion` is the one place defaults apply.
 *
 *   { "method": "rrf", "k": 60, "weights": { "bm25": 1, "dense": 1 } }
 *   { "method": "convex", "normalizer": "minmax", "missing": "zero", "weights": { "bm25": 0.3, "dense": 0.7 } }
 *
 * Weights are keyed by retriever name so a JSON file stays valid when retrievers are reordered; a
 * retriever the map does not name gets weight 1 (RRF and convex alike; convex rescales to sum 1).
 * RRF: Cormack, Clarke & Büttcher, SIGIR 2009. Convex: Bruch, Gai & Ingber, ACM TOIS 2023.
 */
import { lazySchema } from '../core/zod.ts';
import { fromIssues, ShortlistError, type SchemaIssue } from '../core/errors.ts';
import { MISSING_POLICIES, type MissingPolicy } from './convex.ts';
import { NORMALIZERS, type NormalizerName } from './normalize.ts';

/** Reciprocal Rank Fusion settings. */
export interface RrfFusionOptions {
  method: 'rrf';
  /** Rank constant: larger flattens the weight of rank, smaller favours each list's top. @default 60 */
  k?: number;
  /** Weight per retriever name (>= 0); unnamed retrievers get 1. @default {} */
  weights?: Record<string, number>;
}

/** Convex-combination settings. `missing` is required. */
export interface ConvexFusionOptions {
  method: 'convex';
  /** Per-list score normaliser: `minmax`, `zscore`, `dbsf` or `none`. @default 'minmax' */
  normalizer?: NormalizerName;
  /** Score of a document a retriever did not return: `zero`, `min` or `drop`. Required, no default. */
  missing: MissingPolicy;
  /** Weight per retriever name (>= 0), rescaled to sum 1; unnamed retrievers get 1. @default {} */
  weights?: Record<string, number>;
  /** With `dbsf`, clamp normalised scores to [0, 1] (Qdrant does not). @default false */
  clip?: boolean;
}

/** How a pipeline fuses its first-stage lists. */
export type FusionOptions = RrfFusionOptions | ConvexFusionOptions;

/** Fusion options with every default filled in, frozen. */
export type ResolvedFusion = Readonly<Required<RrfFusionOptions>> | Readonly<Required<ConvexFusionOptions>>;

/** The fusion methods, in one frozen list. */
export const FUSION_METHODS = Object.freeze(['rrf', 'convex'] as const satisfies readonly FusionOptions['method'][]);

/** Defaults: RRF with the paper's k = 60 and equal weights. */
export const DEFAULTS = Object.freeze({ method: 'rrf', k: 60, weights: Object.freeze({}) } as const satisfies Required<RrfFusionOptions>);

/** Defaults of the convex method (`missing` has none on purpose). */
export const CONVEX_DEFAULTS = Object.freeze({
  normalizer: 'minmax',
  weights: Object.freeze({}),
  clip: false,
} as const satisfies Required<Omit<ConvexFusionOptions, 'method' | 'missing'>>);

const weightsSchema = lazySchema((z) => z.record(z.string(), z.number().min(0)));

/** The zod schema of {@link FusionOptions} (strict: unknown keys are errors); built on first use. */
export const FusionSchema = lazySchema((z) =>
  z.discriminatedUnion('method', [
    z.strictObject({
      method: z.literal('rrf'),
      k: z.number().min(0).optional(),
      weights: weightsSchema.optional(),
    }),
    z.strictObject({
      method: z.literal('convex'),
      normalizer: z.enum(Object.keys(NORMALIZERS) as [NormalizerName, ...NormalizerName[]]).optional(),
      missing: z.enum(MISSING_POLICIES),
      weights: weightsSchema.optional(),
      clip: z.boolean().optional(),
    }),
  ]),
);

/**
 * Validates `input` (a {@link FusionOptions}, or `undefined` for the defaults; a missing `method`
 * means `rrf`) and returns a new frozen object with every default filled in. Throws
 * INVALID_ARGUMENT naming the field and the valid values.
 */
export function resolveFusion(input: unknown, where = 'fusion'): ResolvedFusion {
  if (input === undefined) return freeze({ ...DEFAULTS });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ShortlistError('INVALID_ARGUMENT', `${where} must be an object such as {"method": "rrf"}, got ${JSON.stringify(input)}`);
  }
  const raw = { method: DEFAULTS.method, ...input } as Record<string, unknown>;
  if (!(FUSION_METHODS as readonly unknown[]).includes(raw.method)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `${where}.method is ${JSON.stringify(raw.method)}; valid methods: ${FUSION_METHODS.join(', ')}`,
    );
  }
  const parsed = FusionSchema.safeParse(raw);
  if (!parsed.success) {
    const hint = (issue: SchemaIssue) =>
      raw.method === 'convex' && issue.path[0] === 'missing'
        ? '; there is no default, say what a document a retriever did not return should score'
        : '';
    throw fromIssues('INVALID_ARGUMENT', parsed.error.issues, { root: where, hint, countMore: false, cause: parsed.error });
  }
  const o = parsed.data;
  if (o.method === 'convex' && o.clip && (o.normalizer ?? CONVEX_DEFAULTS.normalizer) !== 'dbsf') {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `${where}.clip applies to normalizer "dbsf" only; remove clip or set normalizer to "dbsf"`,
    );
  }
  if (o.method === 'rrf') return freeze({ ...DEFAULTS, ...o, weights: { ...(o.weights ?? DEFAULTS.weights) } });
  return freeze({ ...CONVEX_DEFAULTS, ...o, weights: { ...(o.weights ?? CONVEX_DEFAULTS.weights) } });
}

function freeze<T extends { weights: object }>(o: T): T {
  Object.freeze(o.weights);
  return Object.freeze(o);
}
