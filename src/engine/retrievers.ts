/**
 * The collection's first stages: BM25 over whole documents and dense search over chunks whose hits
 * are aggregated to documents. Both apply the metadata filter inside the search, so the top k are
 * the top k among matching documents.
 */
import { ShortlistError } from '../core/errors.ts';
import { compareHits, type Document, type Hit, type Retriever, type SearchOptions } from '../core/types.ts';
import type { AggregateConfig, Bm25RetrieverConfig, DenseRetrieverConfig } from '../pipeline/config.ts';
import type { LruCache } from '../pipeline/cache.ts';
import type { Bm25Index } from '../retrieve/bm25/index.ts';
import { matchFilter, type Filter } from '../store/filter.ts';
import type { ChunkHit, CollectionStore } from '../store/types.ts';
import { createHttpStats } from '../models/remote/stats.ts';
import { hostedCallStats, type StageSearchOptions } from '../pipeline/pipeline.ts';
import type { DenseModel } from './models.ts';

/** BM25 over the collection's documents; with a filter, ranks every matching document and keeps the top k. */
export function bm25Retriever(index: Bm25Index, cfg: Bm25RetrieverConfig, filter?: Filter): Retriever {
  return {
    name: cfg.name,
    async search(query: string, k: number, options: SearchOptions = {}): Promise<Hit[]> {
      if (options.signal?.aborted) throw new ShortlistError('ABORTED', 'the BM25 search was cancelled', { cause: options.signal.reason });
      const params = { k1: cfg.k1, b: cfg.b };
      if (!filter) return index.search(query, k, params).map((h) => ({ ...h, document: index.document(h.id) }));
      const out: Hit[] = [];
      for (const h of index.search(query, index.size, params)) {
        const document = index.document(h.id);
        if (matchFilter(filter, document?.metadata ?? {})) out.push({ ...h, document });
        if (out.length === k) break;
      }
      return out;
    },
  };
}

/**
 * Dense search over chunk vectors: the query embedding is cached; chunk hits become document hits
 * by `aggregate`. With a hosted encoder, each query's request counters go to `options.onStats`.
 */
export function denseRetriever(
  store: CollectionStore,
  model: () => Promise<DenseModel>,
  cfg: DenseRetrieverConfig,
  aggregate: AggregateConfig,
  cache: LruCache<Float32Array>,
  filter?: Filter,
  unit: 'document' | 'passage' = 'document',
): Retriever {
  return {
    name: cfg.name,
    async search(query: string, k: number, options: StageSearchOptions = {}): Promise<Hit[]> {
      let vector = cache.get(query);
      if (!vector) {
        const m = await model();
        const http = m.remote ? createHttpStats() : undefined;
        try {
          [vector] = await m.embed([query], 'query', http);
        } finally {
          if (http) options.onStats?.(hostedCallStats(http));
        }
        cache.set(query, vector);
      } else if ((await model()).remote) {
        options.onStats?.({ calls: 0, retries: 0, cacheHits: 1, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 0 });
      }
      if (options.signal?.aborted) throw new ShortlistError('ABORTED', 'the dense search was cancelled', { cause: options.signal.reason });
      // A passage-unit pipeline ranks the chunks themselves (ids `<docId>#<chunk>`).
      if (unit === 'passage') return (await store.vectorSearch(vector, k, { filter })).map((c) => ({ id: c.id, score: c.score }));
      // Over-fetch chunks until k documents are found (or the collection runs out).
      for (let limit = k * 4; ; limit *= 4) {
        const chunks = await store.vectorSearch(vector, limit, { filter });
        const docs = aggregateChunks(chunks, aggregate);
        if (docs.length >= k || chunks.length < limit) return docs.slice(0, k);
      }
    },
  };
}

/**
 * Chunk hits (best first) to document hits (best first): `max` keeps a document's best chunk score,
 * `first` the score of its earliest retrieved chunk (lowest chunk index), `sum` the sum of its `n`
 * best chunk scores. Each hit keeps its retrieved chunks' scores (`chunkScores`, best first): its passages.
 */
export function aggregateChunks(chunks: readonly ChunkHit[], aggregate: AggregateConfig): Hit[] {
  const byDoc = new Map<string, ChunkHit[]>();
  for (const c of chunks) {
    const list = byDoc.get(c.docId);
    if (list) list.push(c);
    else byDoc.set(c.docId, [c]);
  }
  const hits: Hit[] = [];
  for (const [id, list] of byDoc) {
    let score: number;
    if (aggregate.by === 'max') score = list[0].score;
    else if (aggregate.by === 'first') score = list.reduce((a, b) => (b.index < a.index ? b : a)).score;
    else score = list.slice(0, aggregate.n).reduce((s, c) => s + c.score, 0);
    hits.push({ id, score, chunkScores: list.map((c) => ({ chunk: c.index, score: c.score })) });
  }
  return hits.sort(compareHits);
}

/** Every document the BM25 index holds, in its order. */
export function allIndexed(index: Bm25Index): Document[] {
  const out: Document[] = new Array(index.size);
  for (let d = 0; d < out.length; d++) out[d] = index.documentAt(d);
  return out;
}

/** The documents of `ids` that the BM25 index holds (it keeps every document's title, text and metadata), by id. */
export function storedDocuments(index: Bm25Index, ids: readonly string[]): Map<string, Document> {
  const out = new Map<string, Document>();
  for (const id of ids) {
    const d = index.document(id);
    if (d) out.set(id, d);
  }
  return out;
}
