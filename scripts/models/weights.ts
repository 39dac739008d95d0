/**
 * Seeded random weights for a BERT encoder and its heads, at real shapes.
 *
 * Linear weights are drawn from N(0, 1/fan_in) rather than BERT's N(0, 0.02): with 0.02 at small
 * widths attention is uniform and every [CLS] vector is nearly the same, so rankings and
 * batch-equality tests would compare noise. 1/fan_in keeps activations O(1), attention peaked and
 * classifier logits spread over roughly [-2, 2]. Matrices are stored [in, out] (pre-transposed) so
 * the graph multiplies with a plain MatMul.
 */
import { Rng } from './rng.ts';
import type { BertShape, Head } from './shapes.ts';

/** A dense layer: `weight` is row-major [inFeatures, outFeatures]; `bias` may be absent. */
export interface Linear {
  inFeatures: number;
  outFeatures: number;
  weight: Float32Array;
  bias?: Float32Array;
}

/** LayerNorm scale (gamma) and shift (beta). */
export interface Norm {
  gamma: Float32Array;
  beta: Float32Array;
}

/** One transformer layer. */
export interface LayerWeights {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOutput: Linear;
  attentionNorm: Norm;
  intermediate: Linear;
  output: Linear;
  outputNorm: Norm;
}

/** All weights of a generated model. */
export interface BertWeights {
  wordEmbeddings: Float32Array;
  positionEmbeddings: Float32Array;
  tokenTypeEmbeddings: Float32Array;
  embeddingNorm: Norm;
  layers: LayerWeights[];
  /** Classifier head: pooler dense (+tanh) then the 1-logit classifier. */
  pooler?: Linear;
  classifier?: Linear;
  /** ColBERT head: bias-free projection to the token-vector size. */
  projection?: Linear;
}

/** Sizes that are not part of the shape. */
export interface WeightSizes {
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  /** ColBERT projection output size. */
  colbertDim: number;
  numLabels: number;
}

/** Draws every weight from one seeded stream, in a fixed order. */
export function randomWeights(shape: BertShape, head: Head, sizes: WeightSizes, seed: number): BertWeights {
  const rng = new Rng(seed);
  const H = shape.hidden;
  const embStd = 0.5;
  const weights: BertWeights = {
    wordEmbeddings: rng.normalArray(sizes.vocabSize * H, embStd),
    positionEmbeddings: rng.normalArray(sizes.maxPositions * H, embStd),
    tokenTypeEmbeddings: rng.normalArray(sizes.typeVocabSize * H, embStd),
    embeddingNorm: norm(rng, H),
    layers: [],
  };
  for (let l = 0; l < shape.layers; l++) {
    weights.layers.push({
      query: linear(rng, H, H),
      key: linear(rng, H, H),
      value: linear(rng, H, H),
      attentionOutput: linear(rng, H, H),
      attentionNorm: norm(rng, H),
      intermediate: linear(rng, H, shape.intermediate),
      output: linear(rng, shape.intermediate, H),
      outputNorm: norm(rng, H),
    });
  }
  if (head === 'classifier') {
    weights.pooler = linear(rng, H, H);
    weights.classifier = linear(rng, H, sizes.numLabels);
  } else if (head === 'colbert') {
    weights.projection = linear(rng, H, sizes.colbertDim, false);
  }
  return weights;
}

function linear(rng: Rng, inFeatures: number, outFeatures: number, withBias = true): Linear {
  const weight = rng.normalArray(inFeatures * outFeatures, 1 / Math.sqrt(inFeatures));
  return withBias ? { inFeatures, outFeatures, weight, bias: rng.normalArray(outFeatures, 0.02) } : { inFeatures, outFeatures, weight };
}

function norm(rng: Rng, n: number): Norm {
  return { gamma: rng.normalArray(n, 0.05, 1), beta: rng.normalArray(n, 0.02) };
}
