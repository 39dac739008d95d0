/**
 * shortlist's public library API: two-stage retrieval (first stage → rerank → cut), collections,
 * and the evaluation that measures it. Heavy packages (ONNX Runtime, LanceDB, pg, the AWS SDK,
 * echarts) are optional peer dependencies that load on first use, so `import 'shortlist'` for
 * BM25 and evaluation loads none of them. Subpaths: `shortlist/server` (the HTTP server),
 * `shortlist/eval` (the evaluation lab), `shortlist/langchain`, `shortlist/mcp`.
 */
// core
export * from './core/types.ts';
export { ShortlistError, ERROR_CODES, isShortlistError, type ErrorCode, type ErrorLocation } from './core/errors.ts';
export { OPTIONAL_PACKAGES, type OptionalPackage } from './core/optional.ts';
// text analysis
export * from './text/index.ts';
export { chunkText, type ChunkOptions, type TextChunk } from './text/chunk.ts';
// first stage
export { Bm25Index, Bm25Retriever, BM25_DEFAULTS, type Bm25Params, type Bm25SearchOptions, type ScoredId } from './retrieve/bm25/index.ts';
export { DenseRetriever, type DenseRetrieverOptions } from './retrieve/dense/retriever.ts';
export { FlatIndex } from './retrieve/dense/flat-index.ts';
// fusion
export * from './fuse/index.ts';
// models and encoders
export { resolveModel, type ResolvedModel, type ResolveOptions } from './models/hub/index.ts';
export { PRESETS, PRESET_IDS, findPreset, getPreset, presetFromFlags } from './models/presets/index.ts';
export type { ModelPreset, ModelRole, Pooling, Activation, Dtype } from './models/presets/types.ts';
export { TextTokenizer, type Encoded } from './models/tokenize/index.ts';
export { BiEncoder, type EmbedKind, type EmbedOptions } from './models/encoders/bi-encoder.ts';
export { CrossEncoder, type CrossEncoderOptions, type CrossScore } from './models/encoders/cross-encoder.ts';
export { MultiVectorEncoder, type TokenMatrix } from './models/encoders/multi-vector.ts';
// hosted models (OpenAI, Cohere, Jina, Voyage, TEI, Ollama)
export { createRemoteEmbedder, createRemoteReranker, RemoteEmbedder, RemoteReranker, REMOTE_PROVIDERS, EMBED_PROVIDERS, RERANK_PROVIDERS, type RemoteProviderId, type RemoteEmbedderOptions, type RemoteRerankerOptions, type Embedder, type ApiKeyRef } from './models/remote/index.ts';
// second stage
export { CrossEncoderReranker } from './rerank/cross-encoder/reranker.ts';
export { ListwiseReranker, LISTWISE_DEFAULTS, PROMPT_TEMPLATES, type ListwiseRerankerOptions, type ListwiseStats } from './rerank/llm-listwise/index.ts';
export { ColbertReranker } from './rerank/colbert/reranker.ts';
export { maxSim } from './rerank/colbert/maxsim.ts';
// pipeline
export { Pipeline, type PipelineOptions, type PipelineResult, type RerankStage, type StageTiming } from './pipeline/pipeline.ts';
export { resolvePipeline, PipelineSchema, PIPELINE_DEFAULTS, type PipelineInput, type ResolvedPipeline } from './pipeline/config.ts';
export { PIPELINE_PRESETS, DEFAULT_PIPELINE, getPipelinePreset, loadPipeline, type PipelinePresetName } from './pipeline/presets.ts';
// collections: a directory, postgres://…?schema=… or s3://bucket/prefix
export { Collection, PIPELINE_FILE, type OpenCollectionOptions, type AddOptions, type AddResult, type CollectionSearchOptions, type CollectionSummary } from './engine/collection.ts';
// stores and locations
export { parseFilter, checkFilter, matchFilter, LanceCollectionStore, lancedbBackend, LANCE_DEFAULTS, PostgresCollectionStore, postgresBackend, POSTGRES_DEFAULTS, isS3Location, isPostgresUrl, documentFromFile, documentsFromFolder, type Filter } from './store/index.ts';
export type { CollectionStore, CollectionBackend, CollectionInfo, UpsertResult, CreateOptions, OpenOptions, StoredChunk } from './store/types.ts';
// evaluation: kernels and the lab (also `shortlist/eval`)
export * from './lab/index.ts';
// passages: choice, highlighting, context assembly (`Collection.context` uses them)
export * from './pipeline/passages/index.ts';
export type { ContextOptions } from './engine/collection.ts';
