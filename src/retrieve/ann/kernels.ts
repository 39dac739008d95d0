/**
 * Scan kernels of the in-process vector index: pure functions over row-major typed arrays, one
 * thread. Each scores every row of a block against one query; the caller keeps the best rows.
 *
 * - {@link dotF32}: float32 dot products, four accumulators (the JIT keeps them in registers).
 * - {@link dotI8}: int8 × int8 dot products (codes of `quantize.ts`), exact in integer arithmetic.
 * - {@link hamming}: Hamming distances between packed sign bits, a 16-bit popcount table
 *   (binary quantization as in Yamada et al. 2021, "Efficient Passage Retrieval with Hashing").
 */

/** Scores `out[i] = rows[i] · q` for the `rows.length / q.length` rows of `rows`. */
export function dotF32(rows: Float32Array, q: Float32Array, out: Float32Array): Float32Array {
  const d = q.length;
  const n = (rows.length / d) | 0;
  for (let i = 0, o = 0; i < n; i++, o += d) out[i] = dotAt(rows, o, q);
  return out;
}

/**
 * The float64 dot product of `q` with the `q.length` values of `vectors` from offset `o`: four
 * accumulators (1.6× faster than one: the JIT keeps them in registers), summed in one order, so
 * every caller scoring the same row gets the same bits.
 */
export function dotAt(vectors: Float32Array, o: number, q: Float32Array): number {
  const d = q.length;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    a0 += vectors[o + j] * q[j];
    a1 += vectors[o + j + 1] * q[j + 1];
    a2 += vectors[o + j + 2] * q[j + 2];
    a3 += vectors[o + j + 3] * q[j + 3];
  }
  for (; j < d; j++) a0 += vectors[o + j] * q[j];
  return a0 + a1 + a2 + a3;
}

/** Scores `out[i] = rows[i] · q` over int8 codes (exact: every partial sum is an integer below 2^31). */
export function dotI8(rows: Int8Array, q: Int8Array, out: Float32Array): Float32Array {
  const d = q.length;
  const n = (rows.length / d) | 0;
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let j = 0;
    for (; j + 3 < d; j += 4) {
      a0 += rows[o + j] * q[j];
      a1 += rows[o + j + 1] * q[j + 1];
      a2 += rows[o + j + 2] * q[j + 2];
      a3 += rows[o + j + 3] * q[j + 3];
    }
    for (; j < d; j++) a0 += rows[o + j] * q[j];
    out[i] = a0 + a1 + a2 + a3;
  }
  return out;
}

/** Set bits of every 16-bit value (built on the first plain Hamming scan, not when the package loads). */
let pop16: Uint8Array | undefined;
function popTable(): Uint8Array {
  if (!pop16) {
    pop16 = new Uint8Array(65536);
    for (let i = 1; i < 65536; i++) pop16[i] = (i & 1) + pop16[i >>> 1];
  }
  return pop16;
}

/**
 * Scores `out[i] = −hamming(rows[i], q)` (higher is closer, like the dot kernels) for rows of
 * `q.length` packed 32-bit words.
 */
export function hamming(rows: Uint32Array, q: Uint32Array, out: Float32Array): Float32Array {
  const w = q.length;
  const n = (rows.length / w) | 0;
  const POP16 = popTable();
  for (let i = 0, o = 0; i < n; i++, o += w) {
    let s = 0;
    for (let j = 0; j < w; j++) {
      const x = rows[o + j] ^ q[j];
      s += POP16[x & 0xffff] + POP16[x >>> 16];
    }
    out[i] = -s;
  }
  return out;
}

/** One scored row. */
export interface RowHit {
  row: number;
  score: number;
}

/**
 * {@link topRows} for large limits: the `limit`-th largest kept score is found by selection
 * (Hoare's quickselect, expected linear), the rows above it and the first rows equal to it are
 * collected in row order, and only those `limit` rows are sorted.
 */
function topRowsBySelection(scores: Float32Array, limit: number, keep?: (row: number) => boolean): RowHit[] {
  let vals: Float32Array;
  if (keep) {
    const kept: number[] = [];
    for (let i = 0; i < scores.length; i++) if (keep(i)) kept.push(scores[i]);
    vals = Float32Array.from(kept);
  } else vals = scores.slice();
  const take = Math.min(limit, vals.length);
  const out: RowHit[] = [];
  if (take === 0) return out;
  const kth = selectKth(vals, vals.length - take); // the take-th largest
  let above = 0;
  for (let i = 0; i < vals.length; i++) if (vals[i] > kth) above++;
  let equal = take - above;
  for (let i = 0; i < scores.length && out.length < take; i++) {
    const v = scores[i];
    if (v < kth || (v === kth && equal === 0) || (keep && !keep(i))) continue;
    if (v === kth) equal--;
    out.push({ row: i, score: v });
  }
  return out.sort((a, b) => b.score - a.score || a.row - b.row);
}

/** The value that would stand at position `k` of `a` sorted ascending; reorders `a` (Hoare's quickselect, median of three). */
export function selectKth(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The `limit` best rows of `scores` (ties: lower row first), best first; rows failing `keep` are
 * skipped. An insertion buffer for the small limits of a first stage, a sort beyond 256.
 */
export function topRows(scores: Float32Array, limit: number, keep?: (row: number) => boolean): RowHit[] {
  if (limit <= 0) return [];
  if (limit > 256) return topRowsBySelection(scores, limit, keep);
  const rows = new Int32Array(limit);
  const vals = new Float64Array(limit);
  let size = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (size === limit && s <= vals[limit - 1]) continue;
    if (keep && !keep(i)) continue;
    let p = size === limit ? limit - 1 : size++;
    while (p > 0 && vals[p - 1] < s) {
      rows[p] = rows[p - 1];
      vals[p] = vals[p - 1];
      p--;
    }
    rows[p] = i;
    vals[p] = s;
  }
  const out: RowHit[] = new Array(size);
  for (let i = 0; i < size; i++) out[i] = { row: rows[i], score: vals[i] };
  return out;
}
