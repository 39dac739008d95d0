/**
 * `shortlist/bm25`: BM25 search and evaluation without the rest of the engine — Lucene-equal BM25
 * (`Bm25Index`, `Bm25Retriever`), the analyzers, `Pipeline` (first stage → rerank → cut), fusion
 * kernels, and the evaluation kernels (trec_eval's metrics, TREC/BEIR I/O, significance tests).
 * Everything here also ships from the package root; this entry imports no schema library and no
 * model runtime, so it starts in about the time Node itself takes (see bench/cli).
 *
 * @module shortlist/bm25
 */
export * from './core/types.ts';
export { ShortlistError, ERROR_CODES, isShortlistError, type ErrorCode, type ErrorLocation } from './core/errors.ts';
export * from './text/index.ts';
export { chunkText, type ChunkOptions, type TextChunk } from './text/chunk.ts';
export { Bm25Index, Bm25Retriever, BM25_DEFAULTS, type Bm25Params, type Bm25SearchOptions, type ScoredId } from './retrieve/bm25/index.ts';
export { Pipeline, type PipelineOptions, type PipelineResult, type RerankStage, type StageTiming } from './pipeline/pipeline.ts';
export * from './eval/index.ts';
export { rrf, type RrfOptions } from './fuse/rrf.ts';
export { convex, MISSING_POLICIES, type ConvexOptions, type MissingPolicy } from './fuse/convex.ts';
export { minMax, zScore, dbsf, identity, NORMALIZERS, getNormalizer, type Normalizer, type NormalizerName } from './fuse/normalize.ts';
export { fuse, weightsByName, type NamedList } from './fuse/fuse.ts';
export { checkLists, fusedTrace, type FusedHit, type RankedList, type Scored, type SourceEntry } from './fuse/types.ts';
