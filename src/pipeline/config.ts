/**
 * A pipeline as one declarative JSON object: first-stage retrievers, fusion, the rerank cascade,
 * the cut, chunk-to-document aggregation and chunking. The library, the CLI (`--pipeline`) and the
 * server take the same object; a collection saves it as `pipeline.json`.
 *
 *   { "retrievers": [{ "type": "bm25" }, { "type": "dense", "model": "BAAI/bge-small-en-v1.5" }],
 *     "fusion": { "method": "rrf" }, "depth": 100,
 *     "rerank": [{ "type": "cross-encoder", "model": "cross-encoder/ms-marco-MiniLM-L-6-v2", "keep": 10 }],
 *     "k": 10 }
 *
 * `resolvePipeline(input)` validates with the zod schema below, merges {@link PIPELINE_DEFAULTS}
 * and returns a new frozen object; every error names the JSON path (`rerank[0].keep`).
 */
import type { z } from 'zod';
import { lazySchema, zod } from '../core/zod.ts';
import { fromIssues, ShortlistError } from '../core/errors.ts';
import { FusionSchema, resolveFusion, type ResolvedFusion } from '../fuse/index.ts';
import { CHUNK_DEFAULTS } from '../text/chunk.ts';
import { ANALYZER_NAMES } from '../text/index.ts';
import { POOLINGS } from '../models/presets/types.ts';
import { RemoteEmbedderSchema } from '../models/remote/schemas.ts';
import {
  type ListwiseStageSchema,
  type LocalRerankStageSchema,
  modelFields,
  name,
  positiveInt,
  type RemoteRerankStageSchema,
} from './stage-schemas.ts';
import { RERANK_STAGES, rerankStageEntries, rerankStagesVersion } from './rerank-stages.ts';

export { ListwiseStageSchema, LocalRerankStageSchema, RemoteRerankStageSchema } from './stage-schemas.ts';

/** A BM25 first stage over whole documents (title + text). */
export const Bm25RetrieverSchema = lazySchema((z) =>
  z.strictObject({
    type: z.literal('bm25'),
    /** Name in traces, timings and fusion weights. @default 'bm25' */
    name: name.optional(),
    /** Term-frequency saturation. @default 0.9 (Anserini) */
    k1: z.number().min(0).optional(),
    /** Length normalisation, 0..1. @default 0.4 (Anserini) */
    b: z.number().min(0).max(1).optional(),
    /** Analyzer (stored in the fingerprint). @default 'english' */
    analyzer: z.enum(ANALYZER_NAMES as [string, ...string[]]).optional(),
  }),
);

/**
 * A dense first stage: a bi-encoder over chunks, chunk hits aggregated to documents. The encoder is
 * a local model (`model`) or a hosted one (`remote`, e.g. `{ "provider": "openai", "model":
 * "text-embedding-3-small", "apiKey": { "env": "OPENAI_API_KEY" } }`); give exactly one.
 */
export const DenseRetrieverSchema = lazySchema((z) =>
  z.strictObject({
    type: z.literal('dense'),
    /** Name in traces, timings and fusion weights. @default 'dense' */
    name: name.optional(),
    ...modelFields,
    /** Local model: hub id, preset id or folder (or give `remote`). */
    model: z.string().min(1).optional(),
    /** A hosted embedding model instead of a local one (see `createRemoteEmbedder`). */
    remote: RemoteEmbedderSchema.optional(),
    /** Matryoshka truncation to this many components. @default the model's full size */
    dims: positiveInt.optional(),
    /**
     * Quantization of the vectors a directory collection searches (as sentence-transformers'
     * `quantize_embeddings`): `int8` scans 4× less memory, `binary` 32× less (Hamming distance);
     * the shortlist is rescored with float32 vectors, its size calibrated at commit to `ann.recall`.
     * Trade-off: less memory per vector, a lower recall ceiling for binary. @default the calibration picks (float32, int8, binary or HNSW)
     */
    quantization: z.enum(['none', 'int8', 'binary']).optional(),
    /** Pooling (required for a model without a preset). */
    pooling: z.enum(POOLINGS).optional(),
    /** L2-normalise embeddings. @default the preset's, else false */
    normalize: z.boolean().optional(),
    /** Text prepended to queries. @default the preset's */
    queryPrefix: z.string().optional(),
    /** Text prepended to chunks. @default the preset's */
    documentPrefix: z.string().optional(),
    /**
     * How a directory collection searches its vectors (the stored pipeline's setting is the one used;
     * a Postgres collection uses pgvector's HNSW settings):
     * `recall` is the Recall@10 each commit that builds the ANN index calibrates its search to (it
     * falls back to the exact scan when that is not faster), `threshold` the chunk count from which an
     * ANN index is built (exact below), `ef` a fixed HNSW ef instead of calibrating.
     * @default { recall: 0.98, threshold: 50000 }
     */
    ann: z
      .strictObject({
        recall: z.number().gt(0).max(1).optional(),
        threshold: positiveInt.optional(),
        ef: positiveInt.optional(),
      })
      .optional(),
  }),
);

/**
 * One rerank stage of the cascade, as the built-in entries of {@link RERANK_STAGES} define it: a
 * local model, a listwise LLM or a hosted reranker (the types below restate the entries' schemas;
 * `test/engine/rerank-stages.test.ts` keeps the two equal).
 */
export const RerankStageSchema = lazySchema((z) =>
  z.discriminatedUnion(
    'type',
    stageSchemas(Object.values(RERANK_STAGES)) as [
      typeof LocalRerankStageSchema,
      typeof ListwiseStageSchema,
      typeof RemoteRerankStageSchema,
    ],
  ),
);

/**
 * The whole pipeline with the built-in rerank stage types (what the library's types describe). Built
 * on first use, like every schema of shortlist (zod loads then, not at import; see `lazySchema`);
 * {@link pipelineSchema} also knows the stage types added with `registerRerankStage`.
 */
export const PipelineSchema = lazySchema(() => pipelineShape(RerankStageSchema));

let current: { version: number; schema: z.ZodType } | undefined;

/**
 * The pipeline schema `resolvePipeline` validates with, the server documents in /openapi.json and
 * the CLI describes: its rerank union is made from every entry of the rerank stage registry,
 * including those added with `registerRerankStage`.
 */
export function pipelineSchema(): z.ZodType {
  const version = rerankStagesVersion();
  if (current?.version !== version)
    current = {
      version,
      schema: pipelineShape(zod().discriminatedUnion('type', stageSchemas(rerankStageEntries()) as [z.ZodObject, ...z.ZodObject[]])),
    };
  return current.schema;
}

/** The distinct schemas of `entries` (cross-encoder and colbert share one). */
function stageSchemas(entries: readonly { schema: z.ZodType }[]): z.ZodType[] {
  return [...new Set(entries.map((e) => e.schema))];
}

/** The pipeline object with `rerankStage` as the schema of one rerank stage. */
function pipelineShape<R extends z.ZodType>(rerankStage: R) {
  const z = zod();
  return z.strictObject({
    retrievers: z
      .array(z.discriminatedUnion('type', [Bm25RetrieverSchema, DenseRetrieverSchema]))
      .min(1)
      .optional(),
    fusion: FusionSchema.optional(),
    depth: positiveInt.optional(),
    rerank: z.array(rerankStage).optional(),
    k: positiveInt.optional(),
    minScore: z.number().optional(),
    aggregate: z.strictObject({ by: z.enum(['max', 'first', 'sum']), n: positiveInt.optional() }).optional(),
    chunking: z
      .strictObject({
        size: positiveInt.optional(),
        overlap: z.number().int().min(0).optional(),
        lookback: z.number().min(0).lt(1).optional(),
      })
      .optional(),
    /**
     * What a hit is: `document` (BM25 over whole documents, dense chunk scores aggregated; each hit
     * carries its best passages) or `passage` (BM25 over chunks, dense over chunks, rerankers read
     * title + chunk; `k` counts passages). @default 'document'
     */
    unit: z.enum(['document', 'passage']).optional(),
    /** Passage unit: most passages of one document among the `k` results. @default 2 */
    perDocument: positiveInt.optional(),
    /** Document unit: passages attached to each hit (0 attaches none). @default 3 */
    passages: z.number().int().min(0).max(3).optional(),
  });
}

/** A pipeline as written (every field optional but what a stage needs). */
export type PipelineInput = z.input<typeof PipelineSchema>;
/** A BM25 retriever entry. */
export type Bm25RetrieverConfig = z.infer<typeof Bm25RetrieverSchema> & { name: string };
/** A dense retriever entry. */
export type DenseRetrieverConfig = z.infer<typeof DenseRetrieverSchema> & { name: string };
/** A retriever entry with its name settled. */
export type RetrieverConfig = Bm25RetrieverConfig | DenseRetrieverConfig;
/** A rerank stage entry. */
export type RerankConfig = z.infer<typeof RerankStageSchema> & { name: string };
/** A local-model (cross-encoder, ColBERT) rerank stage entry. */
export type LocalRerankConfig = z.infer<typeof LocalRerankStageSchema> & { name: string };
/** A listwise LLM rerank stage entry. */
export type ListwiseStageConfig = z.infer<typeof ListwiseStageSchema> & { name: string };
/** A hosted rerank stage entry. */
export type RemoteRerankStageConfig = z.infer<typeof RemoteRerankStageSchema> & { name: string };
/** How chunk hits become document hits: `max` (best chunk), `first` (earliest chunk of the document that was retrieved), `sum` (sum of the best `n`). */
export interface AggregateConfig {
  by: 'max' | 'first' | 'sum';
  /** Chunks summed by `sum`. @default 3 */
  n: number;
}

/** A resolved pipeline: defaults filled in, frozen. */
export interface ResolvedPipeline {
  readonly retrievers: readonly Readonly<RetrieverConfig>[];
  readonly fusion: ResolvedFusion;
  readonly depth: number;
  readonly rerank: readonly Readonly<RerankConfig>[];
  readonly k: number;
  readonly minScore?: number;
  readonly aggregate: Readonly<AggregateConfig>;
  readonly chunking: Readonly<{ size: number; overlap: number; lookback: number }>;
  readonly unit: 'document' | 'passage';
  readonly perDocument: number;
  readonly passages: number;
}

/** Defaults of every pipeline field. The retriever default is BM25 alone (no model to fetch). */
export const PIPELINE_DEFAULTS = Object.freeze({
  retrievers: Object.freeze([Object.freeze({ type: 'bm25' as const })]),
  /** Candidates each retriever returns, and fusion keeps. @default 100 (the rule of thumb: retrieve 100, rerank, keep 10) */
  depth: 100,
  rerank: Object.freeze([]),
  /** Results returned. @default 10 */
  k: 10,
  aggregate: Object.freeze({ by: 'max' as const, n: 3 }),
  chunking: CHUNK_DEFAULTS,
  /** Every preset ranks documents (Lucene-equal BM25, document qrels); passages ride on each hit. @default 'document' */
  unit: 'document' as const,
  /** Passage unit: passages per document among the results. @default 2 */
  perDocument: 2,
  /** Document unit: best passages attached to each hit. @default 3 */
  passages: 3,
});

/** Validates `input` and returns a new frozen pipeline with the defaults filled in. */
export function resolvePipeline(input: unknown, where = 'pipeline'): ResolvedPipeline {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `${where} must be a JSON object such as {"retrievers": [{"type": "bm25"}]}, got ${JSON.stringify(input)}`,
    );
  }
  refuseLiteralKeys(input, where);
  const parsed = pipelineSchema().safeParse(input);
  if (!parsed.success) {
    throw fromIssues('INVALID_ARGUMENT', parsed.error.issues, { root: where, countMore: false, cause: parsed.error });
  }
  const p = parsed.data as z.infer<typeof PipelineSchema>;
  const retrievers = (p.retrievers ?? PIPELINE_DEFAULTS.retrievers).map(
    (r) => Object.freeze({ ...r, name: ('name' in r ? r.name : undefined) ?? r.type }) as RetrieverConfig,
  );
  retrievers.forEach((r, i) => {
    if (r.type !== 'dense') return;
    if (r.model === undefined && r.remote === undefined) {
      throw bad(
        `${where}.retrievers[${i}].model`,
        `is required: name a local encoder, or give "remote" for a hosted one, e.g. {"provider": "openai", "model": "text-embedding-3-small"}`,
      );
    }
    if (r.model !== undefined && r.remote !== undefined)
      throw bad(
        `${where}.retrievers[${i}].remote`,
        `and "model" are both given; a dense retriever has one encoder, local ("model") or hosted ("remote")`,
      );
  });
  const names = retrievers.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw bad(`${where}.retrievers`, `two retrievers are named "${dup}"; give each its own "name"`);
  const fusion = resolveFusion(p.fusion, `${where}.fusion`);
  for (const key of Object.keys(fusion.weights)) {
    if (!names.includes(key)) throw bad(`${where}.fusion.weights.${key}`, `names no retriever; retrievers: ${names.join(', ')}`);
  }
  const chunking = Object.freeze({ ...CHUNK_DEFAULTS, ...p.chunking });
  if (chunking.overlap >= chunking.size)
    throw bad(`${where}.chunking.overlap`, `must be below chunking.size (${chunking.size}), got ${chunking.overlap}`);
  const depth = p.depth ?? PIPELINE_DEFAULTS.depth;
  const k = p.k ?? PIPELINE_DEFAULTS.k;
  const types = (p.rerank ?? []).map((s) => s.type);
  const rerank = (p.rerank ?? []).map((s, i) =>
    Object.freeze({ ...s, name: s.name ?? (types.indexOf(s.type) === types.lastIndexOf(s.type) ? s.type : `${s.type}.${i}`) }),
  );
  const stageNames = [...names, 'fusion', 'hydrate', ...rerank.map((s) => s.name)];
  const clash = stageNames.find((n, i) => stageNames.indexOf(n) !== i);
  if (clash)
    throw bad(
      `${where}.rerank`,
      `stage name "${clash}" is used twice (retrievers, rerank stages, and the reserved fusion / hydrate); give each stage its own "name"`,
    );
  rerank.forEach((s, i) => {
    const before = i === 0 ? depth : (rerank[i - 1].keep ?? k);
    if (s.keep !== undefined && s.keep > before)
      throw bad(
        `${where}.rerank[${i}].keep`,
        `is ${s.keep} but the stage before passes only ${before} candidates; lower keep or raise ${i === 0 ? 'depth' : `rerank[${i - 1}].keep`}`,
      );
  });
  rerank.forEach((s, i) => {
    if (s.type === 'llm-listwise' || s.type === 'remote' || !s.store) return;
    if (s.type !== 'colbert')
      throw bad(
        `${where}.rerank[${i}].store`,
        `is only for "colbert" stages (token vectors are stored per chunk); remove it from this ${s.type} stage`,
      );
    if (s.includeTitle === false)
      throw bad(
        `${where}.rerank[${i}].includeTitle`,
        'is false, but stored chunk vectors always read the title; drop "includeTitle" or "store"',
      );
    const first = rerank.findIndex((t) => t.type === 'colbert' && t.store);
    if (first !== i)
      throw bad(
        `${where}.rerank[${i}].store`,
        `is also set on rerank[${first}]; a collection stores one set of token vectors, so store with one colbert stage`,
      );
  });
  const out: ResolvedPipeline = {
    retrievers: Object.freeze(retrievers),
    fusion,
    depth,
    rerank: Object.freeze(rerank),
    k,
    ...(p.minScore !== undefined ? { minScore: p.minScore } : {}),
    aggregate: Object.freeze({ ...PIPELINE_DEFAULTS.aggregate, ...p.aggregate }),
    chunking,
    unit: p.unit ?? PIPELINE_DEFAULTS.unit,
    perDocument: p.perDocument ?? PIPELINE_DEFAULTS.perDocument,
    passages: p.passages ?? PIPELINE_DEFAULTS.passages,
  };
  return Object.freeze(out);
}

/** The store's vector-search options from the pipeline's dense retriever `ann` settings (empty when none). */
export function annOptions(p: ResolvedPipeline): {
  annRecall?: number;
  annThreshold?: number;
  annEf?: number;
  annQuantization?: 'none' | 'int8' | 'binary';
} {
  const dense = denseRetrievers(p)[0];
  const ann = dense?.ann;
  const quantization = dense?.quantization !== undefined ? { annQuantization: dense.quantization } : {};
  if (!ann) return quantization;
  return {
    ...quantization,
    ...(ann.recall !== undefined ? { annRecall: ann.recall } : {}),
    ...(ann.threshold !== undefined ? { annThreshold: ann.threshold } : {}),
    ...(ann.ef !== undefined ? { annEf: ann.ef } : {}),
  };
}

/** The dense retrievers of a pipeline. */
export function denseRetrievers(p: ResolvedPipeline): DenseRetrieverConfig[] {
  return p.retrievers.filter((r): r is DenseRetrieverConfig => r.type === 'dense');
}

/** The colbert stage that stores token vectors at ingest (`"store": true`) and its index, if any. */
export function storedColbert(p: ResolvedPipeline): { index: number; cfg: LocalRerankConfig } | undefined {
  const index = p.rerank.findIndex((s) => s.type === 'colbert' && s.store === true);
  return index < 0 ? undefined : { index, cfg: p.rerank[index] as LocalRerankConfig };
}

/** The analyzer name of the pipeline's BM25 retriever (the collection's BM25 index uses it). */
export function analyzerOf(p: ResolvedPipeline): string {
  const bm25 = p.retrievers.find((r): r is Bm25RetrieverConfig => r.type === 'bm25');
  return bm25?.analyzer ?? 'english';
}

/**
 * A clear refusal of an `apiKey` written as a string: a pipeline is saved as `pipeline.json` and
 * printed, so keys are named by environment variable only. The key itself is never echoed.
 */
function refuseLiteralKeys(input: object, where: string): void {
  for (const list of ['retrievers', 'rerank'] as const) {
    const stages = (input as Record<string, unknown>)[list];
    if (!Array.isArray(stages)) continue;
    stages.forEach((stage, i) => {
      for (const [at, holder] of [
        ['', stage],
        ['.remote', (stage as { remote?: unknown })?.remote],
      ] as const) {
        const key = (holder as { apiKey?: unknown } | undefined)?.apiKey;
        if (typeof key === 'string') {
          const field = `${where}.${list}[${i}]${at}.apiKey`;
          throw bad(
            field,
            `is a literal key; a pipeline names the environment variable that holds it instead (it is saved to pipeline.json and shown by info): "apiKey": { "env": "OPENAI_API_KEY" }`,
          );
        }
      }
    });
  }
}

/** `.retrievers[1].model` from a zod issue path. */
function bad(field: string, message: string): ShortlistError {
  return new ShortlistError('INVALID_ARGUMENT', `${field} ${message}`, { location: { field } });
}
