/**
 * An in-process vector index over one collection version's vectors (rows numbered 0..n−1, scored
 * by dot product), searched as its {@link AnnStructure} says:
 *
 * 1. Shortlist: exact float32 (usearch's SIMD scan when it loads, else {@link dotF32}), exact
 *    int8 ({@link dotI8} or usearch's SIMD int8 scan), exact binary ({@link hamming}; plain or
 *    centred sign bits), or a
 *    usearch HNSW graph (float32 or int8 inside, beam `ef`).
 * 2. Rescore: the top `rescore × limit` shortlisted rows (at least `limit + 16` for float32) are
 *    scored again with the float32 vectors by the caller's `score` function, so results carry
 *    exact scores and the float32 exact path returns exactly what a plain scan returns.
 *
 * Filters (`keep`): the scans skip rows failing `keep`; the HNSW walk over-fetches ×4 until
 * `limit` kept rows are found and falls back to the exact scan once it has fetched a quarter of
 * the rows (usearch's JS binding has no filtered search).
 */
import { ShortlistError } from '../../core/errors.ts';
import { dotF32, dotI8, hamming, topRows, type RowHit } from './kernels.ts';
import { binaryWords, bytesPerVector, dimensionMeans, int8Ranges, quantizeBinary, quantizeInt8, type Int8Ranges } from './quantize.ts';
import type { AnnStructure } from './structure.ts';
import { simdTop, usearch, type UsearchIndex } from './usearch.ts';
import { simdDots, simdHamming, type SimdHamming } from './wasm-simd.ts';

/** Rescores rows: the exact score of each given row against the query (higher is closer). */
export type RowScorer = (rows: readonly number[]) => Float64Array | Float32Array;

/** HNSW graph settings at build time (usearch names). */
export const HNSW_BUILD = Object.freeze({ connectivity: 16, expansionAdd: 128 });

/** Options of {@link VectorIndex.build}. */
export interface BuildOptions {
  /**
   * The HNSW key of each row (integers below 2^53, e.g. a hash of the row's id, so that a graph
   * survives rows moving); @default the row numbers
   */
  keys?: Float64Array;
  /** A saved usearch graph of these rows (under `keys`) to memory-map (`view`) instead of building one. */
  hnswFile?: string;
  /**
   * A saved float32 graph to load and bring up to date instead of building one: keys not in
   * `keys` are removed, rows whose key it lacks are added (an incremental commit).
   */
  extendFrom?: string;
  /** With `extendFrom`: keys of the saved graph to remove (rows gone, or whose vector changed and is added again). */
  removed?: readonly number[];
  /**
   * Rows left out of the HNSW graph (built, viewed or extended without them; searches never
   * return them): the calibration's probe graph, to which its sample rows are fresh queries.
   */
  leaveOut?: readonly number[];
  /** Progress of an HNSW build: rows added so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/** One version's vectors, searchable by the structure it was built for. */
export class VectorIndex {
  readonly dims: number;
  readonly size: number;
  readonly structure: AnnStructure;
  readonly #vectors: Float32Array;
  #codes?: Int8Array;
  #ranges?: Int8Ranges;
  #bits?: Uint32Array;
  #centre?: Float32Array;
  #graph?: UsearchIndex;
  #rowOf?: Map<number, number>;
  #scores: Float32Array;
  /** The sign bits in WebAssembly memory for the SIMD Hamming scan (null: not available here). */
  #simdBits?: SimdHamming | null;
  /** `#vectors` as a whole buffer for usearch's scan (which reads buffers from their start): the vectors themselves, or one copy made on first use. */
  #whole?: Float32Array;

  private constructor(vectors: Float32Array, dims: number, structure: AnnStructure) {
    this.#vectors = vectors;
    this.dims = dims;
    this.size = vectors.length / dims;
    this.structure = structure;
    this.#scores = new Float32Array(this.size);
  }

  /**
   * Builds the structure over `vectors` (row-major, `dims` wide; kept by reference for rescoring).
   * An HNSW graph is memory-mapped from `options.hnswFile` when given, else built in memory.
   */
  static build(vectors: Float32Array, dims: number, structure: AnnStructure, options: BuildOptions = {}): VectorIndex {
    if (!(structure.rescore >= 1))
      throw new ShortlistError('INVALID_ARGUMENT', `rescore must be ≥ 1, got ${structure.rescore}`, { location: { field: 'rescore' } });
    const ix = new VectorIndex(vectors, dims, structure);
    if (structure.quantization === 'int8') {
      ix.#ranges = int8Ranges(vectors, dims);
      ix.#codes = quantizeInt8(vectors, ix.#ranges);
    } else if (structure.quantization === 'binary') {
      if (structure.kind === 'hnsw')
        throw new ShortlistError('INVALID_ARGUMENT', 'binary quantization is searched by an exact Hamming scan; use kind exact');
      if (structure.centred) ix.#centre = dimensionMeans(vectors, dims);
      ix.#bits = quantizeBinary(vectors, dims, undefined, ix.#centre);
    }
    if (structure.kind === 'hnsw') {
      const keys = options.keys ?? Float64Array.from({ length: ix.size }, (_, i) => i);
      if (keys.length !== ix.size) throw new ShortlistError('INVALID_ARGUMENT', `${keys.length} keys for ${ix.size} rows`);
      // Keys that are the row numbers (the default) need no map: a walk reads rows straight from the graph.
      if (!keys.every((k, row) => k === row)) {
        const rowOf = new Map<number, number>();
        keys.forEach((k, row) => rowOf.set(k, row));
        if (rowOf.size !== keys.length)
          throw new ShortlistError('INDEX_MISMATCH', 'two rows share an HNSW key; the graph cannot tell them apart');
        ix.#rowOf = rowOf;
      }
      ix.#graph = openGraph(ix, keys, options, ix.#codes);
    }
    return ix;
  }

  /** Bytes per vector of the searched structure (float32 vectors kept for rescoring not counted). */
  get bytesPerVector(): number {
    return bytesPerVector(this.structure.quantization, this.dims) + (this.structure.kind === 'hnsw' ? HNSW_BUILD.connectivity * 2 * 4 : 0);
  }

  /**
   * A scan structure over `vectors`, whose first `previous.size` rows are `previous`'s rows
   * unchanged and the rest appended (a small write): the previous codes, int8 ranges and binary
   * centre are kept and only the appended rows are quantized (O(appended), not O(rows); values
   * outside the kept int8 ranges are clamped). HNSW structures are extended from their saved
   * graph instead (`BuildOptions.extendFrom`).
   */
  static append(previous: VectorIndex, vectors: Float32Array): VectorIndex {
    const s = previous.structure;
    const dims = previous.dims;
    if (s.kind !== 'exact')
      throw new ShortlistError('INVALID_ARGUMENT', 'only scan structures are appended to; an HNSW graph is extended from its saved file');
    if (vectors.length % dims !== 0 || vectors.length < previous.#vectors.length)
      throw new ShortlistError('INVALID_ARGUMENT', `${vectors.length} components do not extend ${previous.size} rows of ${dims}`);
    const ix = new VectorIndex(vectors, dims, s);
    const from = previous.#vectors.length;
    if (s.quantization === 'int8') {
      ix.#ranges = previous.#ranges;
      ix.#codes = new Int8Array(vectors.length);
      ix.#codes.set(previous.#codes!);
      quantizeInt8(vectors.subarray(from), ix.#ranges!, ix.#codes.subarray(from));
    } else if (s.quantization === 'binary') {
      const w = binaryWords(dims);
      ix.#centre = previous.#centre;
      ix.#bits = new Uint32Array(ix.size * w);
      ix.#bits.set(previous.#bits!);
      quantizeBinary(vectors.subarray(from), dims, ix.#bits.subarray(previous.size * w), ix.#centre);
    }
    return ix;
  }

  /** Saves the HNSW graph to `path` (usearch's format); only for `hnsw` structures. */
  saveGraph(path: string): void {
    if (!this.#graph) throw new ShortlistError('INVALID_ARGUMENT', 'this index has no HNSW graph to save');
    this.#graph.save(path);
  }

  /** The float32 vectors this index was built over. */
  get vectors(): Float32Array {
    return this.#vectors;
  }

  /**
   * The `limit` best rows for query `q`, best first (ties: lower row), scored by `score` (the
   * exact float32 score of the caller's distance); rows failing `keep` are left out.
   */
  search(q: Float32Array, limit: number, score: RowScorer, keep?: (row: number) => boolean): RowHit[] {
    if (q.length !== this.dims)
      throw new ShortlistError('INVALID_ARGUMENT', `the query has ${q.length} components, the index holds ${this.dims}`);
    if (limit <= 0 || this.size === 0) return [];
    const s = this.structure;
    // The float32 scan fetches 16 more than asked so that rescoring in float64 restores the exact
    // top `limit` where usearch's float32 SIMD sums tie or swap; a graph walk is approximate anyway.
    const want =
      s.kind === 'exact' && s.quantization === 'none' ? Math.max(limit + 16, Math.ceil(limit * s.rescore)) : Math.ceil(limit * s.rescore);
    let rows = s.kind === 'hnsw' ? this.#walk(q, want, keep) : this.#scan(q, want, keep);
    // A long quantized shortlist (≥ 128 rows: ≈ 0.1 ms of float64 scoring) is first cut to
    // limit + 16 rows by float32 SIMD dot products (in WebAssembly), so that the caller's float64
    // scoring runs on those only.
    const cut = limit + 16;
    if (s.quantization !== 'none' && rows.length > cut && rows.length >= 128) {
      const dots = simdDots(this.#vectors, this.dims);
      if (dots) {
        const scores = dots.score(rows, q);
        rows = topRows(scores, cut).map((h) => rows[h.row]);
      }
    }
    return rescored(rows, score, limit);
  }

  /** Rows of the exact scan's shortlist of `want`. */
  #scan(q: Float32Array, want: number, keep?: (row: number) => boolean): number[] {
    const s = this.structure;
    const u = keep ? undefined : usearch();
    if (s.quantization === 'none') {
      if (u && want < this.size) return Array.from(simdTop(u, (this.#whole ??= wholeBuffer(this.#vectors)), q, this.dims, want), Number);
      return topRows(dotF32(this.#vectors, q, this.#scores), want, keep).map((h) => h.row);
    }
    if (s.quantization === 'int8') {
      const qc = quantizeInt8(q, this.#ranges!);
      if (u && want < this.size) return Array.from(simdTop(u, this.#codes!, qc, this.dims, want), Number);
      return topRows(dotI8(this.#codes!, qc, this.#scores), want, keep).map((h) => h.row);
    }
    const w = binaryWords(this.dims);
    const qb = quantizeBinary(q, this.dims, new Uint32Array(w), this.#centre);
    if (this.#simdBits === undefined) this.#simdBits = simdHamming(this.#bits!, w) ?? null;
    if (this.#simdBits) return nearestByDistance(this.#simdBits.score(qb), want, w * 32, keep);
    return topRows(hamming(this.#bits!, qb, this.#scores), want, keep).map((h) => h.row);
  }

  /** Rows of the HNSW walk's shortlist of `want` (over-fetching under a filter, see the module comment). */
  #walk(q: Float32Array, want: number, keep?: (row: number) => boolean): number[] {
    const g = this.#graph!;
    const query = this.structure.quantization === 'int8' ? quantizeInt8(q, this.#ranges!) : q;
    const rowOf = this.#rowOf;
    for (let fetch = want; ; fetch *= 4) {
      const n = Math.min(fetch, this.size);
      const keys = g.search(query, n, 1).keys;
      const rows: number[] = [];
      for (let i = 0; i < keys.length; i++) {
        const key = Number(keys[i]);
        const row = rowOf ? rowOf.get(key) : key < this.size ? key : undefined;
        if (row !== undefined) rows.push(row);
      }
      if (!keep) return rows;
      const kept = rows.filter(keep);
      if (kept.length >= want || n === this.size) return kept.slice(0, want);
      if (n * 4 > this.size) return this.#scan(q, want, keep);
    }
  }
}

/**
 * The `want` rows of least Hamming distance (`scores[i]` = −distance, integers in [−bits, 0]),
 * ties by lower row, in row order; rows failing `keep` are skipped. A histogram of the distances
 * finds the cut in two passes (O(rows + bits)), where a selection over floats would be 5× slower.
 */
function nearestByDistance(scores: Float32Array, want: number, bits: number, keep?: (row: number) => boolean): number[] {
  const hist = new Int32Array(bits + 1);
  for (let i = 0; i < scores.length; i++) if (!keep || keep(i)) hist[-scores[i]]++;
  let cut = 0;
  let below = 0;
  while (cut < bits && below + hist[cut] < want) below += hist[cut++];
  let ties = want - below; // rows at distance `cut` still to take, lowest rows first
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const d = -scores[i];
    if (d > cut || (d === cut && ties <= 0) || (keep && !keep(i))) continue;
    if (d === cut) ties--;
    out.push(i);
  }
  return out;
}

/** `a` itself when it spans its whole buffer, else a copy that does (made once per index, not per query). */
function wholeBuffer(a: Float32Array): Float32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

/** The `limit` best of `rows` by `score`, best first, ties by lower row. */
function rescored(rows: number[], score: RowScorer, limit: number): RowHit[] {
  const scores = score(rows);
  const hits: RowHit[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) hits[i] = { row: rows[i], score: scores[i] };
  hits.sort((a, b) => b.score - a.score || a.row - b.row);
  if (hits.length > limit) hits.length = limit;
  return hits;
}

/** The index's HNSW graph: memory-mapped from `options.hnswFile`, brought up to date from `options.extendFrom`, else built. */
function openGraph(ix: VectorIndex, keys: Float64Array, options: BuildOptions, codes?: Int8Array): UsearchIndex {
  const u = usearch();
  if (!u)
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      'the HNSW structure needs the usearch package, which does not load on this platform; use kind exact',
    );
  const s = ix.structure;
  const int8 = s.quantization === 'int8';
  const g = new u.Index({
    dimensions: ix.dims,
    metric: u.MetricKind.IP,
    quantization: int8 ? u.ScalarKind.I8 : u.ScalarKind.F32,
    connectivity: HNSW_BUILD.connectivity,
    expansion_add: HNSW_BUILD.expansionAdd,
    expansion_search: s.ef ?? 64,
    multi: false,
  });
  const expected = ix.size - (options.leaveOut?.length ?? 0);
  if (options.hnswFile) {
    g.view(options.hnswFile);
    if (g.size() !== expected)
      throw new ShortlistError('INDEX_MISMATCH', `the saved HNSW graph holds ${g.size()} vectors, the version ${expected}`);
    return g;
  }
  const data: Float32Array | Int8Array = int8 ? codes! : ix.vectors;
  let rows: number[] | undefined;
  if (options.extendFrom) {
    if (int8) throw new ShortlistError('INVALID_ARGUMENT', 'an int8 graph is rebuilt, not extended (its ranges move with the data)');
    g.load(options.extendFrom);
    const gone = options.removed ?? [];
    if (gone.length > 0) g.remove(BigUint64Array.from(gone, (k) => BigInt(k)));
    rows = [];
    const present = new BigUint64Array(keys.length);
    keys.forEach((k, i) => (present[i] = BigInt(k)));
    const has = [g.contains(present)].flat();
    has.forEach((h, row) => {
      if (!h) rows!.push(row);
    });
  }
  const out = new Set(options.leaveOut ?? []);
  const todo = (rows ?? Array.from({ length: ix.size }, (_, i) => i)).filter((r) => !out.has(r));
  const step = 10_000;
  for (let start = 0; start < todo.length; start += step) {
    const part = todo.slice(start, start + step);
    const batchKeys = BigUint64Array.from(part, (r) => BigInt(keys[r]));
    const batch = int8 ? new Int8Array(part.length * ix.dims) : new Float32Array(part.length * ix.dims);
    part.forEach((r, i) => batch.set(data.subarray(r * ix.dims, (r + 1) * ix.dims), i * ix.dims));
    g.add(batchKeys, batch, 0);
    options.onProgress?.(start + part.length, todo.length);
  }
  if (g.size() !== expected)
    throw new ShortlistError('INDEX_MISMATCH', `the HNSW graph holds ${g.size()} vectors after the update, the version ${expected}`);
  return g;
}
