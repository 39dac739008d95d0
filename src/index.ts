/**
 * shortlist's public library API: two-stage retrieval (first stage → rerank → cut), collections,
 * and the evaluation that measures it. Heavy packages (ONNX Runtime, LanceDB, pg, the AWS SDK,
 * echarts) are optional peer dependencies that load on first use, so `import 'shortlist'` for
 * BM25 and evaluation loads none of them. Subpaths: `shortlist/bm25` (BM25 and evaluation alone,
 * for a fast start: no schema library, no model runtime), `shortlist/server` (the HTTP server),
 * `shortlist/eval` (the evaluation lab), `shortlist/langchain`, `shortlist/mcp`.
 *
 * @module shortlist
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
export {
  createRemoteEmbedder,
  createRemoteReranker,
  RemoteEmbedder,
  RemoteReranker,
  REMOTE_PROVIDERS,
  EMBED_PROVIDERS,
  RERANK_PROVIDERS,
  type RemoteProviderId,
  type RemoteEmbedderOptions,
  type RemoteRerankerOptions,
  type Embedder,
  type ApiKeyRef,
} from './models/remote/index.ts';
// second stage
export { CrossEncoderReranker } from './rerank/cross-encoder/reranker.ts';
export {
  ListwiseReranker,
  LISTWISE_DEFAULTS,
  PROMPT_TEMPLATES,
  type ListwiseRerankerOptions,
  type ListwiseStats,
} from './rerank/llm-listwise/index.ts';
export { ColbertReranker } from './rerank/colbert/reranker.ts';
export { maxSim } from './rerank/colbert/maxsim.ts';
// pipeline
export { Pipeline, type PipelineOptions, type PipelineResult, type RerankStage, type StageTiming } from './pipeline/pipeline.ts';
export { resolvePipeline, PipelineSchema, PIPELINE_DEFAULTS, type PipelineInput, type ResolvedPipeline } from './pipeline/config.ts';
export { pipelineSchema } from './pipeline/config.ts';
export { registerRerankStage, RERANK_STAGES, type RerankStageEntry } from './pipeline/rerank-stages.ts';
export { PIPELINE_PRESETS, DEFAULT_PIPELINE, getPipelinePreset, loadPipeline, type PipelinePresetName } from './pipeline/presets.ts';
// collections: a directory, postgres://…?schema=… or s3://bucket/prefix
export {
  Collection,
  PIPELINE_FILE,
  type OpenCollectionOptions,
  type AddOptions,
  type AddResult,
  type CollectionSearchOptions,
  type CollectionSummary,
} from './engine/collection.ts';
// stores and locations
export {
  parseFilter,
  checkFilter,
  matchFilter,
  LanceCollectionStore,
  lancedbBackend,
  LANCE_DEFAULTS,
  PostgresCollectionStore,
  postgresBackend,
  POSTGRES_DEFAULTS,
  isS3Location,
  isPostgresUrl,
  documentFromFile,
  documentsFromFolder,
  type Filter,
} from './store/index.ts';
export type {
  CollectionBackend,
  CollectionInfo,
  CollectionStore,
  CreateOptions,
  EmbedFn,
  OpenOptions,
  StoredChunk,
  UpsertResult,
} from './store/types.ts';
// evaluation: kernels and the lab (also `shortlist/eval`)
export * from './lab/index.ts';
// passages: choice, highlighting, context assembly (`Collection.context` uses them)
export * from './pipeline/passages/index.ts';
export type { ContextOptions } from './engine/collection.ts';
// types that the signatures above name (TypeDoc's validation fails on a referenced type that is not exported)
export { collectCandidates, type CandidateSet, type CollectCandidatesOptions, type QueryCandidates } from './lab/candidates.ts';
export type { CollectionConfig, LexicalStats } from './engine/home/types.ts';
export type { BatchStats, BatchingOptions } from './models/batching.ts';
export type { LongDocuments, WindowPooling } from './models/encoders/cross-encoder.ts';
export type { EncoderOptions } from './models/encoders/options.ts';
export type { DownloadProgress } from './models/hub/resolve.ts';
export type { ExecutionProvider } from './models/onnx/session.ts';
export type { PresetFields } from './models/presets/index.ts';
export type { PresetId } from './models/presets/table.ts';
export type { RemoteEmbedOptions } from './models/remote/embedders.ts';
export type { HttpStats } from './models/remote/http.ts';
export type { RemoteRerankOptions } from './models/remote/rerankers.ts';
export type { EncodeOptions, Json, SpecialToken, SpecialTokens } from './models/tokenize/tokenizer.ts';
export type { CacheStats, LruCache } from './pipeline/cache.ts';
export type { AggregateConfig, Bm25RetrieverConfig, DenseRetrieverConfig, RerankConfig, RetrieverConfig } from './pipeline/config.ts';
export type { AssembleOptions } from './pipeline/passages/context.ts';
export type { StageList, StageStats } from './pipeline/pipeline.ts';
export type { CalibrationInput, CompareInput, EvalInput, FitInput, SweepInput } from './report/inputs.ts';
export type { ChunkAggregation, ColbertRerankerOptions, ColbertStageOptions, StoredMatrices } from './rerank/colbert/reranker.ts';
export type { CrossEncoderRerankerOptions } from './rerank/cross-encoder/reranker.ts';
export type { ChatAnswer } from './rerank/llm-listwise/chat.ts';
export type { ResolvedListwiseOptions, TokenPricing } from './rerank/llm-listwise/config.ts';
export type { PromptTemplate, Truncator } from './rerank/llm-listwise/prompts.ts';
export type { ListwiseRerankOptions } from './rerank/llm-listwise/reranker.ts';
export type { Bm25BuildOptions, Bm25OpenOptions, Bm25SaveOptions, Bm25Stats, Bm25WriteOptions } from './retrieve/bm25/index.ts';
export type { Bm25RetrieverOptions } from './retrieve/bm25/retriever.ts';
export type { SegmentStore } from './retrieve/bm25/segment-store.ts';
export type { Bm25PartMeta, Bm25SegmentEntry, SegmentCache } from './retrieve/bm25/segments-io.ts';
export type { TopK } from './retrieve/bm25/topk.ts';
export { FILTER_MAX_DEPTH, type CompareOp, type Scalar } from './store/filter.ts';
export type { Fingerprint, ModelRef } from './store/fingerprint.ts';
export { SAMPLE_MISS_FACTOR, type AnnSearchSetting } from './store/lancedb/calibrate.ts';
export type { LanceOpenOptions } from './store/lancedb/store.ts';
export type { ManifestPart, ManifestParts, PartsHook } from './store/parts.ts';
export type { Bm25Hit, PostgresCreateOptions, PostgresOpenOptions } from './store/postgres/store.ts';
export type { AnnSearchInfo, ChunkHit, Distance, FieldType, UpsertOptions, VectorIndexInfo, VectorSearchOptions } from './store/types.ts';
export type { CountTokens } from './text/chunk.ts';
export type { IsotonicParams } from './pipeline/calibration/isotonic.ts';
export type { ReliabilityBin } from './lab/calibrate/metrics.ts';
export type { PlattParams } from './pipeline/calibration/platt.ts';
export type { CalibrationQuality, CalibrationReportOptions, Split, SplitOptions } from './lab/calibrate/report.ts';
export type { DropReason, MineRetrieve, MineRunOptions, MinedPassage } from './lab/mine/mine.ts';
export type { MineOptionsSchema, ResolvedMineOptions } from './lab/mine/options.ts';
export type { MergePolicyOptions } from './retrieve/bm25/merge-policy.ts';
export { ACTIVATIONS, DTYPES, POOLINGS } from './models/presets/types.ts';
export type { Bm25WriteTimings } from './retrieve/bm25/index.ts';
export type { CheckReport, OptimizeReport } from './engine/home/types.ts';
export type { PostgresSegmentStore } from './store/postgres/segments.ts';
export type { StageReranker } from './pipeline/rerank-stages.ts';
export type { ListwiseStageConfig, LocalRerankConfig, RemoteRerankStageConfig } from './pipeline/config.ts';
