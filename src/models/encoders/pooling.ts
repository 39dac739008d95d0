/**
 * Pure kernels that turn a batch of token vectors into one vector per row, plus L2 normalisation
 * and Matryoshka truncation. Hidden states are row-major `[batch, length, hidden]`; the attention
 * mask is row-major `[batch, length]` with right padding.
 */
import type { Pooling } from '../presets/types.ts';

/** Shape of a hidden-state tensor. */
export interface HiddenShape {
  batch: number;
  length: number;
  hidden: number;
}

/**
 * Pool row `row` of `hidden` into one vector.
 * `cls` takes the first token; `mean` averages the tokens whose mask is 1; `max` takes each
 * component's maximum over those tokens; `last` takes the last token whose mask is 1 (decoder-style
 * embedders). As sentence-transformers' Pooling module (cls, mean, max, lasttoken).
 */
export function poolRow(pooling: Pooling, hidden: Float32Array, mask: BigInt64Array, shape: HiddenShape, row: number): Float32Array {
  const { length, hidden: h } = shape;
  const base = row * length * h;
  const out = new Float32Array(h);
  if (pooling === 'cls') {
    out.set(hidden.subarray(base, base + h));
    return out;
  }
  if (pooling === 'last') {
    let last = 0;
    for (let t = 0; t < length; t++) if (mask[row * length + t] !== 0n) last = t;
    out.set(hidden.subarray(base + last * h, base + (last + 1) * h));
    return out;
  }
  if (pooling === 'max') {
    out.fill(-Infinity);
    let any = false;
    for (let t = 0; t < length; t++) {
      if (mask[row * length + t] === 0n) continue;
      any = true;
      const off = base + t * h;
      for (let j = 0; j < h; j++) if (hidden[off + j] > out[j]) out[j] = hidden[off + j];
    }
    if (!any) out.fill(0);
    return out;
  }
  const acc = new Float64Array(h);
  let count = 0;
  for (let t = 0; t < length; t++) {
    if (mask[row * length + t] === 0n) continue;
    count++;
    const off = base + t * h;
    for (let j = 0; j < h; j++) acc[j] += hidden[off + j];
  }
  const inv = 1 / Math.max(count, 1e-9);
  for (let j = 0; j < h; j++) out[j] = acc[j] * inv;
  return out;
}

/** Scale `v` to unit L2 norm in place (a zero vector stays zero); returns `v`. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/**
 * Matryoshka truncation: keep the first `dims` components (a copy); renormalise when asked.
 * Kusupati et al., "Matryoshka Representation Learning", NeurIPS 2022.
 */
export function truncateDims(v: Float32Array, dims: number, renormalize: boolean): Float32Array {
  const out = v.slice(0, dims);
  return renormalize ? l2Normalize(out) : out;
}

/** Dot product of two equal-length vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
