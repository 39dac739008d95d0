/**
 * InfoNCE (van den Oord et al. 2018, "Representation Learning with Contrastive Predictive Coding";
 * the in-batch form is Henderson et al. 2017 and sentence-transformers' MultipleNegativesRankingLoss)
 * over adapted queries, with its gradient derived by hand.
 *
 * For example i with query q_i, its positive p and candidate documents c_j (unit vectors: the
 * batch's positives and mined negatives, or only its own when in-batch negatives are off):
 *   u = W·q + b,  z = u / ‖u‖,  s_j = z·c_j / τ,  L_i = −s_p + log Σ_j exp(s_j)
 * The batch loss is the mean over i. Candidates that are other known positives of the same query
 * are masked out (they are not negatives). Gradient, with P_j = softmax(s)_j and y_j = [j = p]:
 *   ∂L/∂z = Σ_j (P_j − y_j) c_j / τ
 *   ∂L/∂u = (∂L/∂z − z (z·∂L/∂z)) / ‖u‖          (the Jacobian of u/‖u‖)
 *   ∂L/∂W = ∂L/∂u ⊗ q,   ∂L/∂b = ∂L/∂u
 *   ∂L/∂log(1/τ) = Σ_j (P_j − y_j) s_j                (for a learned temperature, as CLIP learns it)
 * A finite-difference check in test/train/adapter.test.ts verifies these.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { QueryAdapter } from '../../models/encoders/query-adapter.ts';

/** One training example: a query vector, the index of its positive document and of mined negatives. */
export interface TrainingExample {
  /** The unadapted query embedding. */
  query: Float32Array;
  /** Index into the document table of the positive. */
  positive: number;
  /** Indices of mined negatives. */
  negatives: readonly number[];
  /** Every known positive of the query (masked out as negatives); @default [positive] */
  positives?: readonly number[];
}

/** Gradient accumulators (float64, same layout as the adapter). */
export interface AdapterGradient {
  W: Float64Array;
  b: Float64Array;
  /** ∂L/∂log(1/τ): the gradient for a learned temperature. */
  logScale: number;
}

/** Options of {@link infoNceLoss}. */
export interface LossOptions {
  /** Softmax temperature τ: lower is sharper. @default 0.05 */
  temperature?: number;
  /** Use the other examples' positives and negatives as extra negatives. @default true */
  inBatch?: boolean;
}

/** A zeroed gradient for an adapter of size `dims`. */
export function zeroGradient(dims: number): AdapterGradient {
  return { W: new Float64Array(dims * dims), b: new Float64Array(dims), logScale: 0 };
}

/**
 * The mean InfoNCE loss of `examples` under adapter `a`; when `grad` is given, the gradient of that
 * mean is added into it. `docs` are unit-length document vectors.
 */
export function infoNceLoss(
  a: QueryAdapter,
  examples: readonly TrainingExample[],
  docs: readonly Float32Array[],
  options: LossOptions = {},
  grad?: AdapterGradient,
): number {
  const tau = options.temperature ?? 0.05;
  if (!(tau > 0)) throw new ShortlistError('INVALID_ARGUMENT', `temperature must be > 0, got ${tau}`);
  const d = a.dims;
  const B = examples.length;
  if (B === 0) return 0;
  const pool = options.inBatch === false ? undefined : batchPool(examples);
  const u = new Float64Array(d);
  const z = new Float64Array(d);
  const gz = new Float64Array(d);
  let total = 0;
  for (const ex of examples) {
    const cands = pool ?? [ex.positive, ...ex.negatives.filter((n) => n !== ex.positive)];
    const masked = new Set((ex.positives ?? []).filter((p) => p !== ex.positive));
    // u = W q + b, z = u / |u|
    let nu = 0;
    for (let i = 0; i < d; i++) {
      let s = a.b[i];
      const row = i * d;
      for (let j = 0; j < d; j++) s += a.W[row + j] * ex.query[j];
      u[i] = s;
      nu += s * s;
    }
    nu = Math.sqrt(nu);
    if (nu === 0) throw new ShortlistError('INTERNAL', 'an adapted query has zero length; lower the learning rate');
    for (let i = 0; i < d; i++) z[i] = u[i] / nu;
    // scores and softmax over the unmasked candidates
    const scores = new Float64Array(cands.length);
    let max = -Infinity;
    let posAt = -1;
    for (let k = 0; k < cands.length; k++) {
      if (cands[k] === ex.positive) posAt = k;
      if (masked.has(cands[k])) {
        scores[k] = -Infinity;
        continue;
      }
      const c = docs[cands[k]];
      let s = 0;
      for (let i = 0; i < d; i++) s += z[i] * c[i];
      scores[k] = s / tau;
      if (scores[k] > max) max = scores[k];
    }
    let sum = 0;
    for (let k = 0; k < cands.length; k++) sum += Math.exp(scores[k] - max);
    const lse = max + Math.log(sum);
    total += lse - scores[posAt];
    if (!grad) continue;
    // dL/dz = Σ_k (P_k − y_k) c_k / τ, scaled by 1/B for the mean
    gz.fill(0);
    for (let k = 0; k < cands.length; k++) {
      if (scores[k] === -Infinity) continue;
      const delta = (Math.exp(scores[k] - lse) - (k === posAt ? 1 : 0)) / B;
      grad.logScale += delta * scores[k];
      const coef = delta / tau;
      if (coef === 0) continue;
      const c = docs[cands[k]];
      for (let i = 0; i < d; i++) gz[i] += coef * c[i];
    }
    let zg = 0;
    for (let i = 0; i < d; i++) zg += z[i] * gz[i];
    for (let i = 0; i < d; i++) {
      const gu = (gz[i] - z[i] * zg) / nu;
      grad.b[i] += gu;
      const row = i * d;
      for (let j = 0; j < d; j++) grad.W[row + j] += gu * ex.query[j];
    }
  }
  return total / B;
}

/** The batch's candidate documents: every positive and mined negative, each once, in first-seen order. */
export function batchPool(examples: readonly TrainingExample[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (i: number) => {
    if (!seen.has(i)) {
      seen.add(i);
      out.push(i);
    }
  };
  for (const ex of examples) add(ex.positive);
  for (const ex of examples) ex.negatives.forEach(add);
  return out;
}
