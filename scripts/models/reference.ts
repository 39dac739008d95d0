/**
 * A plain TypeScript forward pass of the generated BERT (float64, one unpadded sequence), written
 * from the BERT paper's equations rather than from the graph, so tests can check that the ONNX
 * graph computes BERT: embeddings + LayerNorm, softmax(QKᵀ/√d)V per head, residual LayerNorms,
 * exact GELU, and the heads. Slow; for tiny shapes only.
 */
import type { BertShape, Head } from './shapes.ts';
import type { BertWeights, Linear, Norm } from './weights.ts';

/** The head's output for one sequence: [T, H] / [T, dim] rows flattened, or the logits. */
export function referenceForward(
  weights: BertWeights,
  shape: BertShape,
  head: Head,
  ids: readonly number[],
  typeIds: readonly number[],
  eps = 1e-12,
): Float64Array {
  const H = shape.hidden;
  const T = ids.length;
  let x: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const row = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      row[h] =
        weights.wordEmbeddings[ids[t] * H + h] + weights.positionEmbeddings[t * H + h] + weights.tokenTypeEmbeddings[typeIds[t] * H + h];
    }
    x.push(layerNorm(row, weights.embeddingNorm, eps));
  }
  const dh = H / shape.heads;
  for (const layer of weights.layers) {
    const q = x.map((r) => apply(layer.query, r));
    const k = x.map((r) => apply(layer.key, r));
    const v = x.map((r) => apply(layer.value, r));
    const ctx = x.map(() => new Float64Array(H));
    for (let a = 0; a < shape.heads; a++) {
      for (let i = 0; i < T; i++) {
        const scores = new Float64Array(T);
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let d = a * dh; d < (a + 1) * dh; d++) s += q[i][d] * k[j][d];
          scores[j] = s / Math.sqrt(dh);
        }
        const max = Math.max(...scores);
        let sum = 0;
        for (let j = 0; j < T; j++) sum += scores[j] = Math.exp(scores[j] - max);
        for (let j = 0; j < T; j++) for (let d = a * dh; d < (a + 1) * dh; d++) ctx[i][d] += (scores[j] / sum) * v[j][d];
      }
    }
    const attn = x.map((r, i) => layerNorm(add(apply(layer.attentionOutput, ctx[i]), r), layer.attentionNorm, eps));
    x = attn.map((r) => {
      const inner = apply(layer.intermediate, r).map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2)));
      return layerNorm(add(apply(layer.output, inner), r), layer.outputNorm, eps);
    });
  }
  if (head === 'encoder') return concat(x);
  if (head === 'colbert') return concat(x.map((r) => apply(weights.projection!, r)));
  const pooled = apply(weights.pooler!, x[0]).map(Math.tanh);
  return apply(weights.classifier!, pooled);
}

function apply(lin: Linear, x: Float64Array): Float64Array {
  const out = new Float64Array(lin.outFeatures);
  for (let o = 0; o < lin.outFeatures; o++) out[o] = lin.bias ? lin.bias[o] : 0;
  for (let i = 0; i < lin.inFeatures; i++) {
    const xi = x[i];
    const row = i * lin.outFeatures;
    for (let o = 0; o < lin.outFeatures; o++) out[o] += xi * lin.weight[row + o];
  }
  return out;
}

function layerNorm(x: Float64Array, norm: Norm, eps: number): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  variance /= x.length;
  const inv = 1 / Math.sqrt(variance + eps);
  return x.map((v, i) => (v - mean) * inv * norm.gamma[i] + norm.beta[i]);
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]);
}

function concat(rows: Float64Array[]): Float64Array {
  const out = new Float64Array(rows.length * (rows[0]?.length ?? 0));
  rows.forEach((r, i) => out.set(r, i * r.length));
  return out;
}

/** erf to ~1e-15 (Abramowitz–Stegun 7.1.26 is too coarse for a 1e-5 check): series / continued fraction. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)).
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz) for the tail.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = 1 / d;
    c = ax + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}
