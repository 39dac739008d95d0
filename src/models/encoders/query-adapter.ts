/**
 * A linear query-side adapter: `q' = W·q + b` over a dense model's query embeddings, with `W` a
 * `dims × dims` row-major matrix. Documents are not touched, so a collection's stored vectors stay
 * valid; only the query moves. Initialised at the identity (`W = I`, `b = 0`), it changes nothing.
 */
import { ShortlistError } from '../../core/errors.ts';

/** The adapter's parameters. */
export interface QueryAdapter {
  /** Embedding size. */
  readonly dims: number;
  /** `dims × dims`, row-major: `q'[i] = Σ_j W[i·dims + j]·q[j] + b[i]`. */
  readonly W: Float32Array;
  /** `dims` components. */
  readonly b: Float32Array;
}

/** The identity adapter of size `dims` (W = I, b = 0). */
export function identityAdapter(dims: number): QueryAdapter {
  if (!Number.isInteger(dims) || dims < 1)
    throw new ShortlistError('INVALID_ARGUMENT', `adapter dims must be a positive integer, got ${dims}`);
  const W = new Float32Array(dims * dims);
  for (let i = 0; i < dims; i++) W[i * dims + i] = 1;
  return { dims, W, b: new Float32Array(dims) };
}

/** A deep copy of `a`. */
export function cloneAdapter(a: QueryAdapter): QueryAdapter {
  return { dims: a.dims, W: Float32Array.from(a.W), b: Float32Array.from(a.b) };
}

/** `W·q + b` into `out` (a new array by default). */
export function adaptVector(a: QueryAdapter, q: Float32Array, out = new Float32Array(a.dims)): Float32Array {
  const d = a.dims;
  if (q.length !== d)
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `the query vector has ${q.length} components but the adapter expects ${d}; it was trained for another model or dims`,
    );
  for (let i = 0; i < d; i++) {
    let s = a.b[i];
    const row = i * d;
    for (let j = 0; j < d; j++) s += a.W[row + j] * q[j];
    out[i] = s;
  }
  return out;
}

/**
 * The adapted query as a search vector: `W·q + b`, rescaled to unit length when `q` was unit length
 * (so a normalised model's queries stay normalised; cosine ranking is unchanged either way).
 */
export function applyQueryAdapter(a: QueryAdapter, q: Float32Array): Float32Array {
  const out = adaptVector(a, q);
  const inNorm = norm(q);
  if (Math.abs(inNorm - 1) > 1e-3) return out;
  const n = norm(out);
  if (n > 0) for (let i = 0; i < out.length; i++) out[i] /= n;
  return out;
}

/** Relative distance from the identity: `sqrt(‖W − I‖² + ‖b‖²) / sqrt(dims)`. */
export function distanceFromIdentity(a: QueryAdapter): number {
  const d = a.dims;
  let s = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const x = a.W[i * d + j] - (i === j ? 1 : 0);
      s += x * x;
    }
    s += a.b[i] * a.b[i];
  }
  return Math.sqrt(s / d);
}

/** Euclidean length of `v`. */
export function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** `v` scaled to unit length (a zero vector stays zero), as a new array. */
export function unit(v: Float32Array): Float32Array {
  const n = norm(v);
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}
