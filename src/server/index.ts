/** The HTTP server: drop-in rerank and embedding APIs (Cohere, Jina, OpenAI, TEI), collection search, metrics. */
export { createApp, type AppHooks, type ShortlistApp } from './app.ts';
export { createServer, type ShortlistServer } from './server.ts';
export { resolveServerOptions, LIMIT_DEFAULTS, BATCHING_DEFAULTS, SERVER_DEFAULTS, type ServerOptions, type ServerOptionsInput, type ServerLimits, type ServerBatching } from './options.ts';
export { KeyChecker, keysFromEnv, keysFromFile } from './auth.ts';
export { dialectOf, errorBody, type Dialect } from './errors.ts';
export { ServerMetrics } from './metrics.ts';
export { RerankModel, EmbedModel, loadServerModels, type ServerModels } from './models.ts';
export { openApiDocument, ROUTES } from './openapi.ts';
export * from './schemas.ts';
export { searchOverridesSchema, stageOverrideSchema, checkSearchOverrides, overridePipeline, overrideKey, type SearchOverrides } from './overrides.ts';
