/**
 * The hosted providers' table and the zod schemas a pipeline JSON uses to name a remote stage, in a
 * module of their own: the pipeline schema needs them, and importing them loads no provider adapter
 * (the adapters, `./embedders.ts` and `./rerankers.ts`, load when a remote stage is built).
 * Secrets appear only as `{ env: 'NAME' }`; a literal key is rejected by the schema.
 */
import type { z } from 'zod';
import { lazySchema } from '../../core/zod.ts';
import { apiKeyRefSchema } from './secrets.ts';

/** Every provider id with the roles it serves (`embed`, `rerank`). */
export const REMOTE_PROVIDERS = Object.freeze({
  openai: Object.freeze({ embed: true, rerank: false }),
  cohere: Object.freeze({ embed: true, rerank: true }),
  voyage: Object.freeze({ embed: true, rerank: true }),
  jina: Object.freeze({ embed: true, rerank: true }),
  tei: Object.freeze({ embed: true, rerank: true }),
  ollama: Object.freeze({ embed: true, rerank: false }),
} as const);

/** A provider id. */
export type RemoteProviderId = keyof typeof REMOTE_PROVIDERS;

/** The providers that embed, in the order of the embedders' table (`EMBED_PROVIDERS`; a test checks they agree). */
export const EMBED_PROVIDER_IDS = Object.freeze(['openai', 'cohere', 'voyage', 'jina', 'tei', 'ollama'] as const);
/** The providers that rerank, in the order of the rerankers' table (`RERANK_PROVIDERS`; a test checks they agree). */
export const RERANK_PROVIDER_IDS = Object.freeze(['cohere', 'jina', 'voyage', 'tei'] as const);

const common = lazySchema((z) => ({
  model: z.string().min(1),
  baseUrl: z.string().url().optional(),
  apiKey: apiKeyRefSchema.optional(),
  timeoutMs: z.number().int().min(1).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  backoffBaseMs: z.number().int().min(0).optional(),
  maxRetryAfterMs: z.number().int().min(0).optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
  batchSize: z.number().int().min(1).optional(),
}));

/** Pipeline JSON for a remote embedder, e.g. `{ "provider": "openai", "model": "text-embedding-3-small", "apiKey": { "env": "OPENAI_API_KEY" } }`. */
export const RemoteEmbedderSchema = lazySchema((z) =>
  z.strictObject({
    provider: z.enum(EMBED_PROVIDER_IDS),
    ...common,
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
    encodingFormat: z.enum(['float', 'base64']).optional(),
  }),
);

/** Pipeline JSON for a remote reranker, e.g. `{ "provider": "cohere", "model": "rerank-v3.5" }`. */
export const RemoteRerankerSchema = lazySchema((z) =>
  z.strictObject({
    provider: z.enum(RERANK_PROVIDER_IDS),
    ...common,
    includeTitle: z.boolean().optional(),
    onMissing: z.enum(['append', 'error']).optional(),
  }),
);

/** A validated remote embedder config. */
export type RemoteEmbedderConfig = z.infer<typeof RemoteEmbedderSchema>;
/** A validated remote reranker config. */
export type RemoteRerankerConfig = z.infer<typeof RemoteRerankerSchema>;
