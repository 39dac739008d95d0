/**
 * An exact (flat) vector index: every search scans every vector. Scores are dot products, which
 * equal cosine similarities for normalised embeddings. Ties are broken by id (see compareHits).
 */
import { compareHits, type Hit } from '../../core/types.ts';
import { ShortlistError } from '../../core/errors.ts';

/** Vectors of one dimension in one growable Float32Array, with their ids. */
export class FlatIndex {
  /** Dimension of every vector. */
  readonly dims: number;
  #data: Float32Array;
  readonly #ids: string[] = [];
  readonly #slot = new Map<string, number>();

  /** An empty index for vectors of `dims` components. */
  constructor(dims: number) {
    if (!Number.isInteger(dims) || dims < 1) throw new ShortlistError('INVALID_ARGUMENT', `dims must be a positive integer, got ${dims}`);
    this.dims = dims;
    this.#data = new Float32Array(dims * 64);
  }

  /** Number of vectors held. */
  get size(): number {
    return this.#ids.length;
  }

  /** Add vectors; an id already present is a DUPLICATE_ID error. */
  add(ids: readonly string[], vectors: readonly Float32Array[]): void {
    if (ids.length !== vectors.length) {
      throw new ShortlistError('INVALID_ARGUMENT', `add: ${ids.length} ids but ${vectors.length} vectors`);
    }
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (this.#slot.has(id) || seen.has(id))
        throw new ShortlistError('DUPLICATE_ID', `document id '${id}' is already in the index`, { location: { field: 'id' } });
      seen.add(id);
      if (vectors[i].length !== this.dims) {
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          `vector for '${id}' has ${vectors[i].length} components, the index holds ${this.dims}`,
        );
      }
    });
    const need = (this.#ids.length + ids.length) * this.dims;
    if (need > this.#data.length) {
      const grown = new Float32Array(Math.max(need, this.#data.length * 2));
      grown.set(this.#data);
      this.#data = grown;
    }
    ids.forEach((id, i) => {
      const slot = this.#ids.length;
      this.#data.set(vectors[i], slot * this.dims);
      this.#ids.push(id);
      this.#slot.set(id, slot);
    });
  }

  /** The `k` vectors with the largest dot product with `query`, sorted by {@link compareHits}. */
  search(query: Float32Array, k: number): Hit[] {
    if (query.length !== this.dims) {
      throw new ShortlistError('INVALID_ARGUMENT', `query vector has ${query.length} components, the index holds ${this.dims}`);
    }
    const n = this.#ids.length;
    const scores = new Float32Array(n);
    for (let s = 0; s < n; s++) {
      const off = s * this.dims;
      let sum = 0;
      for (let j = 0; j < this.dims; j++) sum += query[j] * this.#data[off + j];
      scores[s] = sum;
    }
    return topK(this.#ids, scores, k);
  }
}

/** The top `k` of `ids` by `scores` in compareHits order, without sorting everything. */
function topK(ids: readonly string[], scores: Float32Array, k: number): Hit[] {
  if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
  const heap: Hit[] = []; // kept sorted best first; fine for the small k of a first stage
  for (let i = 0; i < ids.length && k > 0; i++) {
    const hit = { id: ids[i], score: scores[i] };
    if (heap.length === k && compareHits(hit, heap[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = heap.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareHits(heap[mid], hit) <= 0) lo = mid + 1;
      else hi = mid;
    }
    heap.splice(lo, 0, hit);
    if (heap.length > k) heap.pop();
  }
  return heap;
}
