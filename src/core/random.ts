/** Seeded pseudo-random numbers for generated test and benchmark data (not cryptographic). */

/** mulberry32 (Tommy Ettinger, public domain): a small seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded sample of `count` distinct positions in `0..n-1`, ascending (Floyd's algorithm with {@link mulberry32}). */
export function samplePositions(n: number, count: number, seed = 1): number[] {
  const next = mulberry32(seed);
  const chosen = new Set<number>();
  for (let j = n - Math.min(count, n); j < n; j++) {
    const t = Math.floor(next() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
