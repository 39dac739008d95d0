/**
 * The rerank stage registry: one entry per `type` a pipeline's `rerank` list accepts. An entry
 * carries the stage's zod schema (the pipeline schema's rerank union, /openapi.json and the CLI's
 * help are made from the entries) and how the engine loads it (`create`). The built-in entries are
 * frozen; `registerRerankStage` adds one at startup, before pipelines are resolved. The built-in
 * entries import their rerankers and model loaders with `import()` when a stage is first created or
 * fetched, so resolving a pipeline (or importing shortlist) loads no model code.
 */
import type { z } from 'zod';
import { ShortlistError } from '../core/errors.ts';
import type { Reranker } from '../core/types.ts';
import type { ModelPreset } from '../models/presets/types.ts';
import type { ColbertReranker } from '../rerank/colbert/reranker.ts';
import type { CrossEncoderReranker } from '../rerank/cross-encoder/reranker.ts';
import type { ListwiseReranker } from '../rerank/llm-listwise/reranker.ts';
import type { ListwiseStageConfig, LocalRerankConfig, RemoteRerankStageConfig } from './config.ts';
import { ListwiseStageSchema, LocalRerankStageSchema, RemoteRerankStageSchema } from './stage-schemas.ts';

/** A rerank stage as the engine holds it: a reranker that releases what it holds. */
export type StageReranker = Reranker & { dispose(): Promise<void> };

/** How one rerank stage type of the pipeline JSON is validated, described and loaded. */
export interface RerankStageEntry<C extends { type: string; name: string } = { type: string; name: string } & Record<string, unknown>> {
  /**
   * The stage's JSON object: a zod object whose `type` is a literal (or an enum shared with other
   * entries that carry the same schema), `keep` and `name` optional like every stage's.
   */
  readonly schema: z.ZodType;
  /** One line for `--help`: what the stage does. */
  readonly summary?: string;
  /** Served over HTTP: its model is a provider's name, not a hub id or folder, and there is nothing to download. @default false */
  readonly remote?: boolean;
  /** Scores each (query, candidate) on its own, so scores are cached per candidate; a listwise stage's depend on the whole list. @default true */
  readonly cachesScores?: boolean;
  /** What the score cache keys the stage's model by. @default the type and the entry's JSON (less name, keep, minRelevance) */
  cacheKey?(cfg: C): string;
  /** Loads the stage (its model session or its HTTP client). */
  create(cfg: C): Promise<StageReranker>;
  /** Resolves (downloading on first use) the stage's model files without loading them. @default nothing to fetch */
  fetch?(cfg: C): Promise<void>;
}

/** The built-in rerank stage types, one entry each (frozen). */
export const RERANK_STAGES = Object.freeze({
  'cross-encoder': {
    schema: LocalRerankStageSchema,
    summary: 'a local cross-encoder (ONNX) scores each (query, candidate) pair',
    remote: false,
    cachesScores: true,
    cacheKey: (cfg: LocalRerankConfig) => `${cfg.type}:${cfg.model}`,
    create: async (cfg: LocalRerankConfig) => {
      const { CrossEncoderReranker } = await import('../rerank/cross-encoder/reranker.ts');
      return CrossEncoderReranker.create({ ...localBase(cfg), preset: rerankPreset(cfg) } as Parameters<
        typeof CrossEncoderReranker.create
      >[0]);
    },
    fetch: (cfg: LocalRerankConfig) => fetchModel(cfg, 'cross-encoder'),
  },
  colbert: {
    schema: LocalRerankStageSchema,
    summary: 'a local ColBERT model scores by MaxSim over token vectors (optionally stored at ingest)',
    remote: false,
    cachesScores: true,
    cacheKey: (cfg: LocalRerankConfig) => `${cfg.type}:${cfg.model}`,
    create: (cfg: LocalRerankConfig) => loadColbert(cfg),
    fetch: (cfg: LocalRerankConfig) => fetchModel(cfg, 'multi-vector'),
  },
  'llm-listwise': {
    schema: ListwiseStageSchema,
    summary: 'an LLM over an OpenAI-compatible chat endpoint orders sliding windows of candidates',
    remote: true,
    cachesScores: false,
    cacheKey: (cfg: ListwiseStageConfig) => `llm-listwise:${cfg.model}`,
    create: async (cfg: ListwiseStageConfig) => {
      const { type: _type, keep: _keep, ...options } = cfg;
      const { ListwiseReranker } = await import('../rerank/llm-listwise/reranker.ts');
      return Object.assign(new ListwiseReranker(defined(options) as ConstructorParameters<typeof ListwiseReranker>[0]), {
        dispose: async () => {},
      });
    },
    fetch: async () => {},
  },
  remote: {
    schema: RemoteRerankStageSchema,
    summary: 'a hosted reranker (Cohere, Jina, Voyage, TEI)',
    remote: true,
    cachesScores: true,
    cacheKey: (cfg: RemoteRerankStageConfig) => `remote:${cfg.provider}:${cfg.model}`,
    create: async (cfg: RemoteRerankStageConfig) => new (await import('./remote-stage.ts')).RemoteStage(cfg),
    fetch: async () => {},
  },
} as const);

/** Entries added by {@link registerRerankStage}, by type. */
const added = new Map<string, RerankStageEntry>();
let version = 0;

/**
 * Adds rerank stage type `entry.type`: from then on pipelines accept `{ "type": type, … }` as the entry's
 * schema says, the engine loads it with `create`, and the pipeline schema, /openapi.json and the
 * CLI's help list it. Call it at startup, before resolving pipelines or starting a server (a server
 * documents the types it knew when asked). A built-in or already added type is ALREADY_EXISTS.
 * Returns a function that removes the entry again (for tests).
 */
export function registerRerankStage(entry: RerankStageEntry<any> & { readonly type: string }): () => void {
  const { type } = entry;
  if (Object.hasOwn(RERANK_STAGES, type) || added.has(type))
    throw new ShortlistError('ALREADY_EXISTS', `rerank stage type "${type}" is already registered`);
  const literal = typeOf(entry.schema);
  if (!literal.includes(type))
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `the schema of rerank stage type "${type}" must be a z.object with type: z.literal("${type}")`,
    );
  added.set(type, Object.freeze({ ...entry }));
  version++;
  return () => {
    if (added.delete(type)) version++;
  };
}

/** Every rerank stage type, built-in ones first, with its entry. */
export function rerankStageTypes(): [string, RerankStageEntry][] {
  return [...(Object.entries(RERANK_STAGES) as [string, RerankStageEntry][]), ...added];
}

/** Every rerank stage entry, built-in ones first. */
export function rerankStageEntries(): RerankStageEntry[] {
  return rerankStageTypes().map(([, e]) => e);
}

/** Changes whenever an entry is added or removed (the pipeline schema is rebuilt then). */
export function rerankStagesVersion(): number {
  return version;
}

/** The entry of rerank stage type `type`; INVALID_ARGUMENT listing the valid types otherwise. */
export function rerankStage(type: string): RerankStageEntry {
  if (Object.hasOwn(RERANK_STAGES, type)) return RERANK_STAGES[type as keyof typeof RERANK_STAGES] as unknown as RerankStageEntry;
  const entry = added.get(type);
  if (!entry)
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown rerank stage type "${type}"; valid types: ${rerankStageTypes()
        .map(([t]) => t)
        .join(', ')}`,
    );
  return entry;
}

/** True for stages served over HTTP (their model is a provider's name, not a hub id or folder). */
export function isRemoteStage(cfg: { type: string }): boolean {
  const entry = Object.hasOwn(RERANK_STAGES, cfg.type)
    ? (RERANK_STAGES[cfg.type as keyof typeof RERANK_STAGES] as RerankStageEntry)
    : added.get(cfg.type);
  return entry?.remote ?? false;
}

/** What the score cache keys stage `cfg`'s model by. */
export function rerankCacheKey(entry: RerankStageEntry, cfg: { type: string; name: string } & Record<string, unknown>): string {
  if (entry.cacheKey) return entry.cacheKey(cfg);
  const { name: _name, keep: _keep, minRelevance: _min, ...rest } = cfg;
  return `${cfg.type}:${JSON.stringify(rest)}`;
}

/**
 * The rerank stage types for `--help`: one line per type with its summary and its fields (from
 * the entry's schema), e.g. `  cross-encoder  a local cross-encoder … (fields: model, keep, …)`.
 */
export function rerankStagesHelp(): string {
  const rows = rerankStageTypes();
  const width = Math.max(...rows.map(([t]) => t.length));
  const lines = rows.map(([t, e]) => `  ${t.padEnd(width)}  ${e.summary ? `${e.summary} ` : ''}(fields: ${fieldsOf(e.schema).join(', ')})`);
  return `Rerank stage types of a pipeline's "rerank" list ({"type": …, …}):\n${lines.join('\n')}`;
}

/** The field names of a stage schema (a zod object, possibly refined), `type` first. */
function fieldsOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  return Object.keys(shape);
}

/** The `type` values a stage schema accepts. */
function typeOf(schema: z.ZodType): string[] {
  const t = (schema as unknown as { shape?: { type?: { value?: unknown; options?: readonly unknown[] } } }).shape?.type;
  if (!t) return [];
  return (t.options ?? [t.value]).filter((v): v is string => typeof v === 'string');
}

/** Loads a ColBERT stage's model (the collection encodes stored chunk matrices with it, and scores with it). */
export async function loadColbert(cfg: LocalRerankConfig): Promise<ColbertReranker> {
  const { ColbertReranker } = await import('../rerank/colbert/reranker.ts');
  return ColbertReranker.create({ ...localBase(cfg), preset: rerankPreset(cfg) } as Parameters<typeof ColbertReranker.create>[0]);
}

/** The preset fields a rerank stage gives explicitly. */
export function rerankPreset(cfg: LocalRerankConfig): Partial<ModelPreset> {
  return defined({ maxLength: cfg.maxLength, activation: cfg.activation, colbert: cfg.colbert }) as Partial<ModelPreset>;
}

function localBase(cfg: LocalRerankConfig) {
  return defined({ model: cfg.model, dtype: cfg.dtype, threads: cfg.threads, includeTitle: cfg.includeTitle });
}

async function fetchModel(cfg: LocalRerankConfig, role: 'cross-encoder' | 'multi-vector'): Promise<void> {
  const [{ settlePreset }, { resolveModel }] = await Promise.all([
    import('../models/encoders/model.ts'),
    import('../models/hub/resolve.ts'),
  ]);
  const preset = settlePreset(cfg.model, role, rerankPreset(cfg));
  await resolveModel(cfg.model, { dtype: cfg.dtype ?? 'fp32', preset });
}

/** `o` without its undefined fields. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
