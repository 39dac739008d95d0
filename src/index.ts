/**
 * shortlist's public library API: two-stage retrieval (first stage → rerank → cut) and the
 * evaluation that measures it. Heavy modules (ONNX Runtime, LanceDB) load only when their stage
 * is created.
 */
// core
export * from './core/types.ts';
export { ShortlistError, ERROR_CODES, isShortlistError, type ErrorCode, type ErrorLocation } from './core/errors.ts';
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
// second stage
export { CrossEncoderReranker } from './rerank/cross-encoder/reranker.ts';
export { ColbertReranker } from './rerank/colbert/reranker.ts';
export { maxSim } from './rerank/colbert/maxsim.ts';
// pipeline
export { Pipeline, type PipelineOptions, type PipelineResult, type RerankStage, type StageTiming } from './pipeline/pipeline.ts';
// passages: choice, highlighting, context assembly (`Collection.context` uses them)
export * from './pipeline/passages/index.ts';
export type { ContextOptions } from './engine/collection.ts';
// evaluation
export * from './eval/index.ts';
export { runBm25Experiment, type Bm25Experiment, type Bm25ExperimentOptions } from './eval/bm25-experiment.ts';
