/** Seeded test vectors: a Gaussian mixture (clusters around random unit centres), L2-normalised rows. */

/** mulberry32 uniform stream in [0, 1). */
function uniform(seed: number): () => number {
  let h = seed | 0;
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` rows of `dims`: centre `c` (of `clusters`, seeded by `seed`) plus noise (seeded by `noiseSeed`), normalised. */
export function clustered(n: number, dims: number, clusters: number, seed: number, noiseSeed = seed + 1, spread = 0.6): Float32Array {
  const gauss = (next: () => number) => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const c = uniform(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dims }, () => gauss(c)));
  const next = uniform(noiseSeed);
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const centre = centres[Math.floor(next() * clusters)];
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const v = centre[j] + spread * gauss(next);
      out[i * dims + j] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dims; j++) out[i * dims + j] *= inv;
  }
  return out;
}
