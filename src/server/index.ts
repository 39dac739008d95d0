/**
 * `shortlist/server`: the HTTP server — drop-in rerank and embedding APIs (Cohere, Jina, OpenAI, TEI), collection search, metrics.
 * @module shortlist/server
 */
export { createApp, type AppHooks, type ShortlistApp } from './app.ts';
export { createServer, type ShortlistServer } from './server.ts';
export {
  resolveServerOptions,
  LIMIT_DEFAULTS,
  BATCHING_DEFAULTS,
  SERVER_DEFAULTS,
  type ServerOptions,
  type ServerOptionsInput,
  type ServerLimits,
  type ServerBatching,
} from './options.ts';
export { KeyChecker, keysFromEnv, keysFromFile } from './auth.ts';
export { dialectOf, errorBody, type Dialect } from './errors.ts';
export { ServerMetrics } from './metrics.ts';
export { RerankModel, EmbedModel, loadServerModels, type ServerModels } from './models.ts';
export { openApiDocument, ROUTES } from './openapi.ts';
export * from './schemas.ts';
export {
  searchOverridesSchema,
  stageOverrideSchema,
  checkSearchOverrides,
  overridePipeline,
  overrideKey,
  type SearchOverrides,
} from './overrides.ts';
// types that the signatures above name (TypeDoc's validation fails on a referenced type that is not exported)
export type { QueryDocPair } from '../models/encoders/cross-encoder.ts';
export type { BatchQueue, BatchQueueOptions } from './batching/queue.ts';
export type { CollectionRegistry } from './collections.ts';
export type { ServerEnv } from './context.ts';
export type { Counter, Gauge, Histogram } from './metrics.ts';
export type { Timed } from './models.ts';
export type { RouteDoc } from './openapi.ts';
export { CREATION_DEFAULTS, type CreationPolicy } from './options.ts';
