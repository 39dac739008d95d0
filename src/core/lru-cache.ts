/**
 * A bounded least-recently-used map, shared by the pipeline caches (query embeddings, rerank
 * scores) and the LLM listwise reranker's window cache. A `Map` keeps insertion order, so
 * re-inserting on a hit makes the first key the least recently used one.
 */
import { ShortlistError } from './errors.ts';

/** Hit and miss counts of one cache. */
export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  capacity: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
}

/** A least-recently-used map holding at most `capacity` entries. */
export class LruCache<V> {
  readonly #map = new Map<string, V>();
  #hits = 0;
  #misses = 0;

  /** @param capacity most entries kept; the least recently used goes first. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new ShortlistError('INVALID_ARGUMENT', `cache capacity must be a non-negative integer, got ${capacity}`);
  }

  /** The value for `key` (marking it recently used), or undefined. */
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#map.delete(key);
    this.#map.set(key, v);
    return v;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: string, value: V): void {
    if (this.capacity === 0) return;
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value!);
  }

  /** Hit/miss counts so far. */
  get stats(): CacheStats {
    const n = this.#hits + this.#misses;
    return { hits: this.#hits, misses: this.#misses, size: this.#map.size, capacity: this.capacity, hitRate: n === 0 ? 0 : this.#hits / n };
  }
}
