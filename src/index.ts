/**
 * shortlist's public library API: two-stage retrieval (first stage → rerank → cut), collections,
 * and the evaluation that measures it. Heavy packages (ONNX Runtime, LanceDB, pg, the AWS SDK,
 * echarts) are optional peer dependencies that load on first use, so `import 'shortlist'` for
 * BM25 and evaluation loads none of them, and a `Collection` imports its store, its home and its
 * models only when a collection that needs them is opened. Subpaths: `shortlist/models` (hub,
 * presets, tokenizer, encoders, hosted providers, model-backed rerankers), `shortlist/stores` (the
 * LanceDB and Postgres stores, location predicates, documents from files), `shortlist/bm25` (BM25
 * and evaluation alone, for a fast start: no schema library), `shortlist/server` (the HTTP server),
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
// evaluation: kernels and the lab (also `shortlist/eval`)
export * from './lab/index.ts';
// passages: choice, highlighting, context assembly (`Collection.context` uses them)
export * from './pipeline/passages/index.ts';
export type { ContextOptions } from './engine/collection.ts';
// filters a collection search takes (also `shortlist/stores`)
export { parseFilter, checkFilter, matchFilter, FILTER_MAX_DEPTH, type Filter, type CompareOp, type Scalar } from './store/filter.ts';
// types that the signatures above name (TypeDoc's validation fails on a referenced type that is not exported)
export { collectCandidates, type CandidateSet, type CollectCandidatesOptions, type QueryCandidates } from './lab/candidates.ts';
export type { CollectionConfig, LexicalStats } from './engine/home/types.ts';
export type { CacheStats, LruCache } from './pipeline/cache.ts';
export type { AggregateConfig, Bm25RetrieverConfig, DenseRetrieverConfig, RerankConfig, RetrieverConfig } from './pipeline/config.ts';
export type { AssembleOptions } from './pipeline/passages/context.ts';
export type { StageList, StageStats } from './pipeline/pipeline.ts';
export type { CalibrationInput, CompareInput, EvalInput, FitInput, SweepInput } from './report/inputs.ts';
export type { Bm25BuildOptions, Bm25OpenOptions, Bm25SaveOptions, Bm25Stats, Bm25WriteOptions } from './retrieve/bm25/index.ts';
export type { Bm25RetrieverOptions } from './retrieve/bm25/retriever.ts';
export type { SegmentStore } from './retrieve/bm25/segment-store.ts';
export type { Bm25PartMeta, Bm25SegmentEntry, SegmentCache } from './retrieve/bm25/segments-io.ts';
export type { TopK } from './retrieve/bm25/topk.ts';
export type { Fingerprint, ModelRef } from './store/fingerprint.ts';
export type { ManifestPart, ManifestParts, PartsHook } from './store/parts.ts';
export type { AnnSearchInfo, ChunkHit, Distance, FieldType, UpsertOptions, VectorIndexInfo, VectorSearchOptions } from './store/types.ts';
export type { CountTokens } from './text/chunk.ts';
export type { IsotonicParams } from './pipeline/calibration/isotonic.ts';
export type { ReliabilityBin } from './lab/calibrate/metrics.ts';
export type { PlattParams } from './pipeline/calibration/platt.ts';
export type { CalibrationQuality, CalibrationReportOptions, Split, SplitOptions } from './lab/calibrate/report.ts';
export type { DropReason, MineRetrieve, MineRunOptions, MinedPassage } from './lab/mine/mine.ts';
export type { MineOptionsSchema, ResolvedMineOptions } from './lab/mine/options.ts';
export type { MergePolicyOptions } from './retrieve/bm25/merge-policy.ts';
export type { Bm25WriteTimings } from './retrieve/bm25/index.ts';
export type { CheckReport, OptimizeReport } from './engine/home/types.ts';
export type { StageReranker } from './pipeline/rerank-stages.ts';
export type { ListwiseStageConfig, LocalRerankConfig, RemoteRerankStageConfig } from './pipeline/config.ts';
