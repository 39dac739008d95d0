/**
 * The zod schemas of the pipeline's stage entries and the field types they share (a stage name,
 * model fields). Each rerank stage type's schema is carried by its entry in `rerank-stages.ts`.
 */
import { lazySchema } from '../core/zod.ts';
import { ACTIVATIONS, DTYPES } from '../models/presets/types.ts';
import { RemoteRerankerSchema } from '../models/remote/schemas.ts';
import { checkStepWithinWindow, LISTWISE_JSON_FIELDS } from '../rerank/llm-listwise/config.ts';

/** A positive integer. */
export const positiveInt = lazySchema((z) => z.number().int().min(1));
/** A stage name: a letter, then letters, digits, `_`, `.` or `-`. */
export const name = lazySchema((z) =>
  z.string().regex(/^[A-Za-z][\w.-]*$/, 'must start with a letter and hold only letters, digits, _ . -'),
);

/** Model fields shared by every model stage: which file variant and the preset fields a model without a preset needs. */
export const modelFields = lazySchema((z) => ({
  /** Hub id (`org/name[@revision]`), preset id or local folder. */
  model: z.string().min(1),
  /** ONNX file variant. @default 'fp32' */
  dtype: z.enum(DTYPES).optional(),
  /** Longest input in tokens (required for a model without a preset). */
  maxLength: positiveInt.optional(),
  /** ONNX Runtime threads. @default all cores */
  threads: positiveInt.optional(),
}));

/** A local-model rerank stage of the cascade (cross-encoder or ColBERT). */
export const LocalRerankStageSchema = lazySchema((z) =>
  z.strictObject({
    type: z.enum(['cross-encoder', 'colbert']),
    /** Name in traces and timings. @default the type, suffixed `.<index>` when two stages share a type */
    name: name.optional(),
    ...modelFields,
    /** How many candidates this stage passes on. @default the pipeline's k */
    keep: positiveInt.optional(),
    /**
     * Drop hits whose calibrated P(relevant) is below this (0..1): the stage's scores are mapped
     * through the fit stored with the collection (`calibration.json`; config `calibration` in Postgres;
     * made by `shortlist calibrate --save-to`); searching without a fit for this stage's configuration fails. @default no cut
     */
    minRelevance: z.number().min(0).max(1).optional(),
    /** Cross-encoder score activation (required for a cross-encoder without a preset). */
    activation: z.enum(ACTIVATIONS).optional(),
    /** Read `title + "\n" + text`. @default true */
    includeTitle: z.boolean().optional(),
    /**
     * ColBERT only: store each chunk's document token matrix at ingest (the model is then part of
     * the collection's fingerprint) and score by MaxSim from the stored matrices, with chunk scores
     * aggregated to documents by the pipeline's `aggregate`. At most one stage may store. @default false
     */
    store: z.boolean().optional(),
    /** ColBERT settings for a multi-vector model without a preset (see `ModelPreset.colbert`). */
    colbert: z
      .strictObject({
        queryLength: positiveInt,
        documentLength: positiveInt,
        queryMarker: z.string(),
        documentMarker: z.string(),
        maskAugment: z.boolean(),
        skipPunctuation: z.boolean(),
        maskToken: z.string().optional(),
        attendToMaskTokens: z.boolean().optional(),
      })
      .optional(),
  }),
);

/**
 * A listwise LLM rerank stage over an OpenAI-compatible chat endpoint (see `ListwiseReranker`):
 * `{ "type": "llm-listwise", "baseUrl": "https://api.openai.com/v1", "model": "gpt-4o-mini",
 *    "apiKey": { "env": "OPENAI_API_KEY" }, "windowSize": 20, "step": 10, "keep": 5 }`.
 */
export const ListwiseStageSchema = lazySchema((z) =>
  z
    .strictObject({
      type: z.literal('llm-listwise'),
      /** Name in traces, timings and stats. @default 'llm-listwise' */
      name: name.optional(),
      /** How many candidates this stage passes on. @default the pipeline's k */
      keep: positiveInt.optional(),
      ...LISTWISE_JSON_FIELDS,
    })
    .superRefine(checkStepWithinWindow),
);

/**
 * A hosted rerank stage (Cohere, Jina, Voyage, TEI; see `createRemoteReranker`):
 * `{ "type": "remote", "provider": "cohere", "model": "rerank-v3.5", "apiKey": { "env": "COHERE_API_KEY" }, "keep": 20 }`.
 */
export const RemoteRerankStageSchema = lazySchema((z) =>
  z.strictObject({
    type: z.literal('remote'),
    /** Name in traces, timings and stats. @default 'remote' */
    name: name.optional(),
    /** How many candidates this stage passes on. @default the pipeline's k */
    keep: positiveInt.optional(),
    /**
     * Drop hits whose calibrated P(relevant) is below this (0..1): the stage's scores are mapped
     * through the fit stored with the collection (`calibration.json`; config `calibration` in Postgres;
     * made by `shortlist calibrate --save-to`); searching without a fit for this stage's configuration fails. @default no cut
     */
    minRelevance: z.number().min(0).max(1).optional(),
    ...RemoteRerankerSchema.shape,
  }),
);
