/**
 * The pipeline's caches: query embeddings (per dense model) and rerank scores (per query,
 * candidate content and model), both bounded LRU maps (`core/lru-cache.ts`).
 */
import { createHash } from 'node:crypto';
import type { Candidate, Hit, Reranker, SearchOptions } from '../core/types.ts';
import { compareHits } from '../core/types.ts';
import { ShortlistError } from '../core/errors.ts';

export { LruCache, type CacheStats } from '../core/lru-cache.ts';
import { LruCache } from '../core/lru-cache.ts';

/** Cache capacities. */
export const CACHE_DEFAULTS = Object.freeze({
  /** Query embeddings kept per dense model. @default 1024 */
  queryEmbeddings: 1024,
  /** (query, candidate, model) rerank scores kept per stage. @default 100000 */
  rerankScores: 100_000,
});

/**
 * A reranker that remembers scores by (query, candidate id + content, model): candidates already
 * scored for this query skip the model; the rest go to the inner reranker in one call.
 */
export class CachedReranker implements Reranker {
  readonly name: string;
  /** The score cache (hit rate exposed through `cache.stats`). */
  readonly cache: LruCache<number>;

  /**
   * @param inner the reranker whose scores are cached
   * @param model the model id (part of the key, so two models never share scores)
   * @param capacity scores kept; @default 100000
   * @param name stage name in traces; @default the inner reranker's
   */
  constructor(
    readonly inner: Reranker,
    readonly model: string,
    capacity: number = CACHE_DEFAULTS.rerankScores,
    name: string = inner.name,
  ) {
    this.name = name;
    this.cache = new LruCache(capacity);
  }

  /** {@inheritDoc Reranker.rerank} */
  async rerank(query: string, candidates: Candidate[], k: number, options: SearchOptions = {}): Promise<Hit[]> {
    const keys = candidates.map((c) => scoreKey(this.model, query, c));
    const scores = keys.map((key) => this.cache.get(key));
    const todo = candidates.filter((_, i) => scores[i] === undefined);
    if (todo.length > 0) {
      const fresh = await this.inner.rerank(query, todo, todo.length, options);
      const byId = new Map(fresh.map((h) => [h.id, h.score]));
      candidates.forEach((c, i) => {
        if (scores[i] !== undefined) return;
        const s = byId.get(c.id);
        if (s === undefined) throw new ShortlistError('INTERNAL', `reranker ${this.name} returned no score for candidate "${c.id}"`);
        scores[i] = s;
        this.cache.set(keys[i], s);
      });
    }
    return candidates
      .map((c, i) => ({ id: c.id, score: scores[i]! }))
      .sort(compareHits)
      .slice(0, k);
  }
}

function scoreKey(model: string, query: string, c: Candidate): string {
  const content = createHash('sha1')
    .update(JSON.stringify([c.title ?? null, c.text]))
    .digest('base64');
  return JSON.stringify([model, query, c.id, content]);
}
