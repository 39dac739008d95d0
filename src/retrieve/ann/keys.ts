/**
 * HNSW keys of rows: a 53-bit hash of the row's id (cyrb53, bryc/code, public domain), so that a
 * saved graph stays valid while rows move between versions. Two ids of one collection sharing a
 * key is a 2^-53-per-pair event; the index refuses the graph then (see `VectorIndex.build`).
 */

/** cyrb53 of `s`: an integer in [0, 2^53). */
export function idKey(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The keys of `ids`, in order. */
export function idKeys(ids: readonly string[]): Float64Array {
  return Float64Array.from(ids, (id) => idKey(id));
}
