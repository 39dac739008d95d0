/**
 * usearch (github.com/unum-cloud/usearch), loaded on first use so that nothing native loads
 * until a dense search runs. It ships prebuilt binaries for linux-x64/arm64, darwin and win32,
 * so a plain `npm ci` is enough; where it does not load, exact scans fall back to the plain-JS
 * kernels and HNSW is not offered to the calibration.
 */
import { createRequire } from 'node:module';

/** The part of usearch's JS API the index uses. */
export interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: string;
    quantization: string;
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => UsearchIndex;
  MetricKind: { IP: string };
  ScalarKind: { F32: string; I8: string };
  exactSearch(
    dataset: Float32Array | Int8Array,
    queries: Float32Array | Int8Array,
    dimensions: number,
    count: number,
    metric: string,
    threads: number,
  ): { keys: BigUint64Array; distances: Float32Array };
}

/** A usearch index handle. */
export interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array | Int8Array, threads: number): void;
  search(vector: Float32Array | Int8Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  save(path: string): void;
  view(path: string): void;
  load(path: string): void;
  size(): number;
  contains(keys: BigUint64Array): boolean | boolean[];
  remove(keys: BigUint64Array): number | number[];
}

let loaded: UsearchModule | null | undefined;

/** The usearch module, or undefined when it does not load here (no prebuilt binary for the platform). */
export function usearch(): UsearchModule | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('usearch') as UsearchModule;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * The `count` best rows of `dataset` by inner product with `query`, through usearch's SIMD exact
 * search on one thread. usearch reads the arrays from the start of their buffers, so views into a
 * larger buffer are copied first.
 */
export function simdTop(
  u: UsearchModule,
  dataset: Float32Array | Int8Array,
  query: Float32Array | Int8Array,
  dims: number,
  count: number,
): BigUint64Array {
  const whole = <T extends Float32Array | Int8Array>(a: T): T =>
    a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T);
  return u.exactSearch(whole(dataset), whole(query), dims, Math.min(count, dataset.length / dims), u.MetricKind.IP, 1).keys;
}
