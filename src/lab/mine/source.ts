/**
 * The first stage mining reads: a collection's own retrievers (a directory or a `postgres://` URL) (all of them, or only its BM25 or
 * dense one), without rerank stages, at the depth mining needs. A BEIR folder is first added to a
 * temporary collection built with a pipeline (default `bm25`).
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Query } from '../../core/types.ts';
import { Collection } from '../../engine/collection.ts';
import { withEvalCollection } from '../eval-collection.ts';
import type { Qrels } from '../../eval/types.ts';
import { resolvePipeline, type ResolvedPipeline } from '../../pipeline/config.ts';
import { loadPipeline } from '../../pipeline/presets.ts';
import type { MineRetrieve } from './mine.ts';

/** Which of the collection's first stages mining retrieves with. */
export const MINE_RETRIEVERS = Object.freeze(['pipeline', 'bm25', 'dense', 'hybrid'] as const);
/** A retriever choice: `pipeline` = all of the collection's retrievers, fused as it fuses them. */
export type MineRetriever = (typeof MINE_RETRIEVERS)[number];

/** What a mining run gets from its source. */
export interface MiningContext {
  collection: Collection;
  /** `k` first-stage hits with documents. */
  retrieve: MineRetrieve;
  /** For a BEIR folder: its judged queries and qrels. */
  beir?: { queries: Query[]; qrels: Qrels };
}

/** Options of {@link withMiningSource}. */
export interface MiningSourceOptions {
  /** @default 'pipeline' */
  retriever?: MineRetriever;
  /** Candidates the first stage must return (rangeMax + positives). */
  depth: number;
  /** BEIR folder only: the pipeline to build the temporary collection with. @default 'bm25' */
  pipeline?: string;
  /** BEIR folder only: the qrels split. @default 'test' */
  split?: string;
  /** No adapter on query embeddings while mining (the raw model's view). @default false */
  noAdapter?: boolean;
}

/** The pipeline mining searches with: the chosen retrievers of `p`, no rerank stages, `depth` candidates. */
export function miningPipeline(p: ResolvedPipeline, retriever: MineRetriever, depth: number): ResolvedPipeline {
  const want = retriever === 'pipeline' ? p.retrievers : p.retrievers.filter((r) => retriever === 'hybrid' || r.type === retriever);
  if (want.length === 0 || (retriever === 'hybrid' && new Set(want.map((r) => r.type)).size < 2)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `--retriever ${retriever}: the collection's pipeline has retrievers ${p.retrievers.map((r) => r.type).join(', ')}; pick one of those (hybrid needs bm25 and dense)`,
    );
  }
  const fusion = want.length === p.retrievers.length ? p.fusion : { ...p.fusion, weights: {} };
  const { minScore: _m, ...rest } = p;
  return resolvePipeline({ ...rest, retrievers: want, fusion, rerank: [], depth, k: depth });
}

/** Runs `fn` with a first stage over the collection (a directory or a `postgres://` URL) or BEIR folder at `path`; closes (and cleans up) after. */
export async function withMiningSource<T>(path: string, options: MiningSourceOptions, fn: (ctx: MiningContext) => Promise<T>): Promise<T> {
  const retriever = options.retriever ?? 'pipeline';
  const retrieve =
    (c: Collection): MineRetrieve =>
    async (query, k) =>
      (await c.search(query, { k })).hits;
  if (await Collection.exists(path)) {
    const stored = await Collection.open(path);
    const p = stored.pipeline;
    await stored.close();
    const c = await Collection.open(path, { pipeline: miningPipeline(p, retriever, options.depth), adapter: !options.noAdapter });
    try {
      return await fn({ collection: c, retrieve: retrieve(c) });
    } finally {
      await c.close();
    }
  }
  const p = miningPipeline(loadPipeline(options.pipeline ?? 'bm25'), retriever, options.depth);
  return withEvalCollection(path, p, { split: options.split ?? 'test' }, async ({ collection, queries, qrels }) =>
    fn({ collection, retrieve: retrieve(collection), beir: { queries, qrels } }),
  );
}
