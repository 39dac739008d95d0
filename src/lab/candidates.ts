/**
 * Every judged query of a BEIR dataset through a pipeline once, keeping what a depth sweep needs:
 * per query, each stage's full list (scores included) and each stage's wall time. Every rerank
 * stage keeps all its candidates, so each (query, document) pair is scored exactly once per stage
 * and smaller depths can be replayed from these lists without touching a model.
 */
import type { Qrels } from '../eval/types.ts';
import type { PipelineInput, ResolvedPipeline } from '../pipeline/config.ts';
import { resolvePipeline } from '../pipeline/config.ts';
import type { CacheStats } from '../pipeline/cache.ts';
import type { StageList, StageTiming } from '../pipeline/pipeline.ts';
import { loadPipeline } from '../pipeline/presets.ts';
import { atDepth, withEvalCollection } from './eval-collection.ts';

/** Options of {@link collectCandidates}. */
export interface CollectCandidatesOptions {
  /** Qrels split. @default 'test' */
  split?: string;
  /** First-stage depth; overrides the pipeline's. @default the pipeline's depth */
  depth: number;
  /** Keep the collection in this directory (reused when it exists). @default a temporary one, removed after */
  collection?: string;
  /** Called while the corpus is added and while queries run. */
  onProgress?: (phase: 'add' | 'search', done: number, total: number) => void;
}

/** One query's stage lists and timings. */
export interface QueryCandidates {
  id: string;
  /** In pipeline order: each retriever, `fusion` (several retrievers), each rerank stage (all candidates). */
  lists: StageList[];
  timings: StageTiming[];
}

/** What {@link collectCandidates} gathered. */
export interface CandidateSet {
  dataset: string;
  split: string;
  documents: number;
  /** The pipeline as run: `depth` set, every rerank stage keeping all its candidates. */
  pipeline: ResolvedPipeline;
  /** The pipeline as given (its `keep`s and `k`), at the same depth. */
  original: ResolvedPipeline;
  qrels: Qrels;
  queries: QueryCandidates[];
  /** Each rerank stage's score cache: `misses` counts model calls per (query, document). */
  rerankCache: CacheStats[];
}

/** Runs `pipeline` once at `depth` on the judged queries of the BEIR dataset at `path` (see the module comment). */
export async function collectCandidates(
  path: string,
  pipeline: string | PipelineInput,
  options: CollectCandidatesOptions,
): Promise<CandidateSet> {
  const given = loadPipeline(pipeline);
  const depth = options.depth;
  const original = atDepth(given, depth);
  const p = resolvePipeline({ ...given, depth, rerank: given.rerank.map((s) => ({ ...s, keep: depth })) });
  return withEvalCollection(path, p, options, async ({ collection: c, dataset, qrels, queries }) => {
    const out: QueryCandidates[] = [];
    for (const q of queries) {
      const res = await c.search(q.text, { k: depth, record: true, passages: false });
      out.push({ id: q.id, lists: res.lists!, timings: res.timings });
      options.onProgress?.('search', out.length, queries.length);
    }
    const info = await c.info();
    const rerankCache = (await c.cacheStats()).rerank;
    return {
      dataset: dataset.dir,
      split: dataset.split,
      documents: info.documents,
      pipeline: p,
      original,
      qrels,
      queries: out,
      rerankCache,
    };
  });
}
