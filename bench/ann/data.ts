/** Inputs of the ANN benchmark: seeded random-normal vectors, exact top-k ground truth, cached on disk. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** mulberry32 stream of uniform numbers in [0, 1). */
function uniform(seed: number): () => number {
  let h = seed | 0;
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` L2-normalised random-normal vectors of `dims` components (Box–Muller), flattened. */
export function randomNormal(n: number, dims: number, seed: number): Float32Array {
  const next = uniform(seed);
  const out = new Float32Array(n * dims);
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
  normalise(out, dims);
  return out;
}

/**
 * `n` L2-normalised rows of a Gaussian mixture: `clusters` random-normal centres, each row a centre
 * plus isotropic noise of `spread` per component (so that neighbourhoods exist and HNSW is not in
 * its random-normal worst case). Rows pick their centre uniformly; flattened.
 */
export function gaussianMixture(n: number, dims: number, clusters: number, seed: number, spread = 0.5, centresSeed = 7): Float32Array {
  const centres = randomNormal(clusters, dims, centresSeed);
  const next = uniform(seed);
  const out = new Float32Array(n * dims);
  const noise = spread / Math.sqrt(dims); // centres are unit vectors: noise of norm ≈ spread
  for (let i = 0; i < n; i++) {
    const c = Math.floor(next() * clusters) * dims;
    for (let j = 0; j < dims; j += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const a = 2 * Math.PI * next();
      out[i * dims + j] = centres[c + j] + noise * r * Math.cos(a);
      if (j + 1 < dims) out[i * dims + j + 1] = centres[c + j + 1] + noise * r * Math.sin(a);
    }
    if (i % 100_000 === 99_999) process.stderr.write(`generated ${i + 1}/${n} mixture rows\n`);
  }
  normalise(out, dims);
  return out;
}

/** Scales every row of `m` to unit length in place. */
export function normalise(m: Float32Array, dims: number): void {
  for (let o = 0; o < m.length; o += dims) {
    let s = 0;
    for (let j = 0; j < dims; j++) s += m[o + j] * m[o + j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dims; j++) m[o + j] *= inv;
  }
}

/** Exact top `k` rows of `base` by dot product for each query row (ids best first), flattened queries × k. */
export function exactTopK(base: Float32Array, queries: Float32Array, dims: number, k: number): Int32Array {
  const n = base.length / dims;
  const q = queries.length / dims;
  const out = new Int32Array(q * k);
  const scores = new Float32Array(n);
  const t0 = performance.now();
  for (let qi = 0; qi < q; qi++) {
    if (qi % 100 === 99) process.stderr.write(`ground truth: ${qi + 1}/${q} queries (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    const qo = qi * dims;
    for (let i = 0; i < n; i++) {
      const bo = i * dims;
      let s = 0;
      for (let j = 0; j < dims; j++) s += base[bo + j] * queries[qo + j];
      scores[i] = s;
    }
    const top = topK(scores, k);
    out.set(top, qi * k);
  }
  return out;
}

/**
 * {@link exactTopK} through usearch's SIMD exact search on every core, in blocks of queries with
 * progress (seconds where the plain-JS scan takes minutes at a million rows); undefined when usearch
 * does not load. Float32 sums: a near-tie may order differently from the JS scan's.
 */
export function simdTopK(base: Float32Array, queries: Float32Array, dims: number, k: number): Int32Array | undefined {
  let u: { exactSearch: (...a: unknown[]) => { keys: BigUint64Array }; MetricKind: { IP: string } };
  try {
    u = createRequire(import.meta.url)('usearch');
  } catch {
    return undefined;
  }
  const whole = base.byteOffset === 0 && base.byteLength === base.buffer.byteLength ? base : base.slice();
  const q = queries.length / dims;
  const out = new Int32Array(q * k);
  const t0 = performance.now();
  for (let start = 0; start < q; start += 50) {
    const end = Math.min(q, start + 50);
    const keys = u.exactSearch(whole, queries.slice(start * dims, end * dims), dims, k, u.MetricKind.IP, 0).keys;
    for (let i = 0; i < keys.length; i++) out[start * k + i] = Number(keys[i]);
    process.stderr.write(`ground truth (SIMD): ${end}/${q} queries (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  return out;
}

/** Indices of the `k` largest values, largest first (ties by lower index). */
export function topK(scores: Float32Array, k: number): Int32Array {
  const ids = new Int32Array(k).fill(-1);
  const vals = new Float32Array(k).fill(-Infinity);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s <= vals[k - 1]) continue;
    let p = k - 1;
    while (p > 0 && vals[p - 1] < s) {
      vals[p] = vals[p - 1];
      ids[p] = ids[p - 1];
      p--;
    }
    vals[p] = s;
    ids[p] = i;
  }
  return ids;
}

/** Share of the exact top `k` found among each query's first `k` results, averaged over queries. */
export function recallAtK(found: readonly (readonly number[])[], truth: Int32Array, k: number): number {
  let hit = 0;
  for (let q = 0; q < found.length; q++) {
    const want = new Set(truth.subarray(q * k, q * k + k));
    for (const id of found[q].slice(0, k)) if (want.has(id)) hit++;
  }
  return hit / (found.length * k);
}

/** Reads a cached Float32Array/Int32Array file, or computes and writes it. */
export function cached<T extends Float32Array | Int32Array>(path: string, make: () => T, ctor: new (b: ArrayBuffer) => T): T {
  if (existsSync(path)) {
    const b = readFileSync(path);
    return new ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  const v = make();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return v;
}
