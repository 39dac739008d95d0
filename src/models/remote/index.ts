/**
 * The hosted-provider registry: one frozen table of which provider serves which role, the two
 * factories, and the zod schemas a pipeline JSON uses to name a remote stage. Secrets appear only
 * as `{ env: 'NAME' }`; a literal key is rejected by the schema.
 */
import type { z } from 'zod';
import { lazySchema } from '../../core/zod.ts';
import { ShortlistError } from '../../core/errors.ts';
import { EMBED_PROVIDERS, RemoteEmbedder, type EmbedProviderId, type RemoteEmbedderOptions } from './embedders.ts';
import { RERANK_PROVIDERS, RemoteReranker, type RerankProviderId, type RemoteRerankerOptions } from './rerankers.ts';
import { apiKeyRefSchema } from './secrets.ts';

export {
  addHttpStats,
  createHttpStats,
  createLimiter,
  diffHttpStats,
  postJson,
  RemoteHttpError,
  type HttpStats,
  type Limiter,
  type PostJsonOptions,
} from './http.ts';
export { resolveApiKey, apiKeyRefSchema, type ApiKeyRef } from './secrets.ts';
export {
  RemoteEmbedder,
  EMBED_PROVIDERS,
  decodeBase64Float32,
  type Embedder,
  type RemoteEmbedderOptions,
  type RemoteEmbedOptions,
} from './embedders.ts';
export { RemoteReranker, RERANK_PROVIDERS, type RemoteRerankerOptions, type RemoteRerankOptions } from './rerankers.ts';
export type { RemoteCommonOptions } from './client.ts';

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

const EMBED_IDS = Object.keys(EMBED_PROVIDERS) as [EmbedProviderId, ...EmbedProviderId[]];
const RERANK_IDS = Object.keys(RERANK_PROVIDERS) as [RerankProviderId, ...RerankProviderId[]];

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
    provider: z.enum(EMBED_IDS),
    ...common,
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
    encodingFormat: z.enum(['float', 'base64']).optional(),
  }),
);

/** Pipeline JSON for a remote reranker, e.g. `{ "provider": "cohere", "model": "rerank-v3.5" }`. */
export const RemoteRerankerSchema = lazySchema((z) =>
  z.strictObject({
    provider: z.enum(RERANK_IDS),
    ...common,
    includeTitle: z.boolean().optional(),
    onMissing: z.enum(['append', 'error']).optional(),
  }),
);

/** A validated remote embedder config. */
export type RemoteEmbedderConfig = z.infer<typeof RemoteEmbedderSchema>;
/** A validated remote reranker config. */
export type RemoteRerankerConfig = z.infer<typeof RemoteRerankerSchema>;

/** Build an embedder for `config.provider`; unknown or rerank-only providers fail with the valid list. */
export function createRemoteEmbedder(config: { provider: string } & RemoteEmbedderOptions): RemoteEmbedder {
  const { provider, ...options } = config;
  if (!Object.hasOwn(EMBED_PROVIDERS, provider)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown embedding provider ${JSON.stringify(provider)}; valid providers: ${EMBED_IDS.join(', ')}`,
    );
  }
  return new RemoteEmbedder(provider as EmbedProviderId, options);
}

/** Build a reranker for `config.provider`; unknown or embed-only providers fail with the valid list. */
export function createRemoteReranker(config: { provider: string } & RemoteRerankerOptions): RemoteReranker {
  const { provider, ...options } = config;
  if (!Object.hasOwn(RERANK_PROVIDERS, provider)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown rerank provider ${JSON.stringify(provider)}; valid providers: ${RERANK_IDS.join(', ')}`,
    );
  }
  return new RemoteReranker(provider as RerankProviderId, options);
}
