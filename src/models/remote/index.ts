/**
 * The hosted-provider registry: one frozen table of which provider serves which role, the two
 * factories, and the zod schemas a pipeline JSON uses to name a remote stage. Secrets appear only
 * as `{ env: 'NAME' }`; a literal key is rejected by the schema.
 */
import { ShortlistError } from '../../core/errors.ts';
import { EMBED_PROVIDERS, RemoteEmbedder, type EmbedProviderId, type RemoteEmbedderOptions } from './embedders.ts';
import { RERANK_PROVIDERS, RemoteReranker, type RerankProviderId, type RemoteRerankerOptions } from './rerankers.ts';

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
export {
  REMOTE_PROVIDERS,
  EMBED_PROVIDER_IDS,
  RERANK_PROVIDER_IDS,
  RemoteEmbedderSchema,
  RemoteRerankerSchema,
  type RemoteProviderId,
  type RemoteEmbedderConfig,
  type RemoteRerankerConfig,
} from './schemas.ts';

const EMBED_IDS = Object.keys(EMBED_PROVIDERS) as [EmbedProviderId, ...EmbedProviderId[]];
const RERANK_IDS = Object.keys(RERANK_PROVIDERS) as [RerankProviderId, ...RerankProviderId[]];

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
