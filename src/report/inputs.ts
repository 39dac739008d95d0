/**
 * What `shortlist report` reads: the JSON printed by `sweep --json`, `eval --pipeline --json`,
 * `compare --json` and `calibrate --json`, and the fit written by `calibrate --out`. Each file's
 * kind is told from the keys only that command writes (one frozen table, {@link INPUT_KINDS}),
 * then the fields the report draws from are checked with zod, so a stale or hand-edited file fails
 * naming the file and the field instead of drawing an empty chart.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { lazySchema } from '../core/zod.ts';
import { fromIssues, ShortlistError } from '../core/errors.ts';

const num = lazySchema((z) => z.number());
/** JSON writes NaN (an empty reliability bin) as null. */
const maybeNum = lazySchema((z) => z.number().nullable());

const SweepSchema = lazySchema((z) =>
  z.object({
    dataset: z.string(),
    split: z.string(),
    documents: num,
    queries: num,
    firstStage: z.string(),
    rerankStages: z.array(z.string()),
    rows: z
      .array(
        z.object({
          depth: num,
          recall: num,
          ndcg10: num,
          mrr10: num,
          latency: z.array(z.object({ stage: z.string(), mean: num, p95: num })),
        }),
      )
      .min(1),
    recommendation: z.object({ depth: num.optional(), reason: z.string() }),
  }),
);

const EvalSchema = lazySchema((z) =>
  z.object({
    dataset: z.string(),
    split: z.string(),
    documents: num,
    queries: num,
    pipeline: z.object({ rerank: z.array(z.object({ name: z.string() })) }),
    metrics: z.array(z.string()),
    stages: z
      .array(
        z.object({
          stage: z.string(),
          candidates: num,
          metrics: z.record(z.string(), num),
          perQuery: z.record(z.string(), z.record(z.string(), num)),
          scores: z.object({ min: num, max: num, relevant: z.array(num), nonRelevant: z.array(num) }),
        }),
      )
      .min(1),
    latency: z.array(z.object({ stage: z.string(), p50: num, p95: num, mean: num })),
  }),
);

const CompareSchema = lazySchema((z) =>
  z.object({
    runA: z.string(),
    runB: z.string(),
    queries: num,
    permutations: num,
    seed: num,
    comparisons: z.array(
      z.object({
        metric: z.string(),
        meanA: num,
        meanB: num,
        delta: num,
        randomizationP: num,
        exact: z.boolean(),
        tTestP: num,
        wins: num,
        ties: num,
        losses: num,
      }),
    ),
  }),
);

const BinSchema = lazySchema((z) => z.object({ lower: num, upper: num, count: num, meanPredicted: maybeNum, fractionPositive: maybeNum }));
const QualitySchema = lazySchema((z) => z.object({ brier: num, ece: num, reliability: z.array(BinSchema).min(1) }));

const FitSchema = lazySchema((z) =>
  z.object({
    version: z.literal(1),
    method: z.enum(['platt', 'isotonic']),
    params: z.union([z.object({ a: num, b: num }), z.object({ thresholds: z.array(num).min(1), values: z.array(num).min(1) })]),
    fingerprint: z.string().nullable(),
    trainedOn: z.object({ n: num, positives: num }),
  }),
);

const CalibrationSchema = lazySchema((z) =>
  z.object({
    dataset: z.string(),
    split: z.string(),
    stage: z.string(),
    uncalibrated: z.enum(['sigmoid', 'identity']),
    fit: FitSchema,
    heldOut: z.object({ n: num, positives: num, bins: num, before: QualitySchema, after: QualitySchema }),
  }),
);

/** `sweep --json`. */
export type SweepInput = z.infer<typeof SweepSchema>;
/** `eval --pipeline … --json`. */
export type EvalInput = z.infer<typeof EvalSchema>;
/** `compare --json`. */
export type CompareInput = z.infer<typeof CompareSchema>;
/** `calibrate --json`. */
export type CalibrationInput = z.infer<typeof CalibrationSchema>;
/** `calibrate --out` (a stored fit). */
export type FitInput = z.infer<typeof FitSchema>;

/**
 * Every input kind: the command that writes it, the top-level keys that identify it (all must be
 * present) and the schema of what the report reads. Checked in this order.
 */
export const INPUT_KINDS = Object.freeze({
  sweep: { command: 'shortlist sweep --json', keys: ['rows', 'recommendation', 'firstStage'], schema: SweepSchema },
  eval: { command: 'shortlist eval --pipeline … --json', keys: ['stages', 'latency', 'pipeline'], schema: EvalSchema },
  compare: { command: 'shortlist compare --json', keys: ['comparisons', 'runA', 'runB'], schema: CompareSchema },
  calibration: { command: 'shortlist calibrate --json', keys: ['fit', 'heldOut', 'stage'], schema: CalibrationSchema },
  fit: { command: 'shortlist calibrate --out', keys: ['method', 'params', 'trainedOn'], schema: FitSchema },
} as const);

/** An input kind id. */
export type InputKind = keyof typeof INPUT_KINDS;

/** One read input: its kind, the file it came from and its checked data. */
export type ReportInput =
  | { kind: 'sweep'; file: string; data: SweepInput }
  | { kind: 'eval'; file: string; data: EvalInput }
  | { kind: 'compare'; file: string; data: CompareInput }
  | { kind: 'calibration'; file: string; data: CalibrationInput }
  | { kind: 'fit'; file: string; data: FitInput };

/** The kind of a parsed JSON value, or undefined when it is none of {@link INPUT_KINDS}. */
export function detectKind(value: unknown): InputKind | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  for (const [kind, spec] of Object.entries(INPUT_KINDS) as [InputKind, (typeof INPUT_KINDS)[InputKind]][]) {
    if (spec.keys.every((k) => k in value)) return kind;
  }
  return undefined;
}

/** Detects and checks one parsed value; `file` names it in errors. Throws INVALID_INPUT naming the file (and field). */
export function parseInput(value: unknown, file: string): ReportInput {
  const kind = detectKind(value);
  if (kind === undefined) {
    const hint =
      typeof value === 'object' && value !== null && 'params' in value && 'metrics' in value
        ? ' (plain `eval --json` has no stages: rerun it with --pipeline, e.g. --pipeline bm25)'
        : '';
    const kinds = Object.values(INPUT_KINDS)
      .map((k) => k.command)
      .join(', ');
    throw new ShortlistError('INVALID_INPUT', `not a report input${hint}; give the JSON of one of: ${kinds}`, { location: { file } });
  }
  const spec = INPUT_KINDS[kind];
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    throw fromIssues('INVALID_INPUT', parsed.error.issues, {
      prefix: `looks like the output of \`${spec.command}\` but `,
      hint: '; regenerate it with this version of shortlist',
      countMore: false,
      file,
    });
  }
  return { kind, file, data: parsed.data } as ReportInput;
}

/** Reads, detects and checks one input file. */
export function readInput(file: string): ReportInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ShortlistError('NOT_FOUND', 'cannot read this report input; check the path', { cause, location: { file } });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ShortlistError(
      'INVALID_INPUT',
      `not JSON: ${(cause as Error).message}; give the --json output of sweep, eval --pipeline, compare or calibrate`,
      { cause, location: { file } },
    );
  }
  return parseInput(value, file);
}
