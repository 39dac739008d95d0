/**
 * The ONNX graph of a BERT encoder (as HF Optimum / Xenova exports it, opset 17), with one of three
 * heads. Node order and patterns follow the PyTorch exporter so ONNX Runtime's fusions apply
 * (LayerNormalization, Div→Erf→Add→Mul→Mul = Gelu, MatMul+Add = Gemm-like bias add):
 *
 * 1. embeddings: Gather(word, input_ids) + Slice(position)[:T] + Gather(type, token_type_ids) → LayerNorm
 * 2. mask: (1 - Cast(Unsqueeze(attention_mask, [1, 2]))) * float32 min, added to every attention score
 * 3. per layer: Q, K, V → heads → softmax(QKᵀ/√d + mask)·V → dense + residual → LayerNorm
 *    → dense, exact GELU (erf), dense + residual → LayerNorm
 * 4. head: encoder → `last_hidden_state` [B,T,H]; classifier → tanh(dense(h[:,0])) → dense →
 *    `logits` [B,labels]; colbert → bias-free dense H→dim → `last_hidden_state` [B,T,dim].
 *
 * With `quantize`, every weight MatMul is replaced by ONNX Runtime's dynamic-quantization pattern
 * (what `quantize_dynamic` writes): DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q) → Cast →
 * Mul(x_scale · W_scale), weights int8 symmetric per tensor (zero point 0).
 */
import { ShortlistError } from '../../src/core/errors.ts';
import { DType, GraphBuilder } from './onnx-builder.ts';
import type { BertShape, Head } from './shapes.ts';
import type { BertWeights, Linear, Norm } from './weights.ts';

/** Graph options. */
export interface GraphOptions {
  /** Dynamic int8 quantization of weight MatMuls. @default false */
  quantize?: boolean;
  /** LayerNorm epsilon. @default 1e-12 */
  layerNormEps?: number;
}

/** The ONNX opset the generated graphs import. */
export const OPSET = 17;

const FLOAT32_MIN = -3.4028234663852886e38;

/** Serialised ONNX ModelProto for the weights, shape and head. */
export function buildBertGraph(weights: BertWeights, shape: BertShape, head: Head, options: GraphOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const quantize = options.quantize ?? false;
  const eps = options.layerNormEps ?? 1e-12;
  const H = shape.hidden;
  const headDim = H / shape.heads;
  const dims = ['batch_size', 'sequence_length'];

  const inputIds = g.input('input_ids', DType.int64, dims);
  const attentionMask = g.input('attention_mask', DType.int64, dims);
  const tokenTypeIds = g.input('token_type_ids', DType.int64, dims);

  const vocab = weights.wordEmbeddings.length / H;
  const maxPos = weights.positionEmbeddings.length / H;
  const typeVocab = weights.tokenTypeEmbeddings.length / H;

  // 1. Embeddings.
  const wordW = g.weight('embeddings.word_embeddings.weight', [vocab, H], weights.wordEmbeddings);
  const posW = g.weight('embeddings.position_embeddings.weight', [maxPos, H], weights.positionEmbeddings);
  const typeW = g.weight('embeddings.token_type_embeddings.weight', [typeVocab, H], weights.tokenTypeEmbeddings);
  const zero1 = g.weight('const_zero_1d', [1], BigInt64Array.of(0n));
  const words = g.op('Gather', [wordW, inputIds], '/embeddings/word_embeddings/Gather', { axis: { int: 0 } });
  const types = g.op('Gather', [typeW, tokenTypeIds], '/embeddings/token_type_embeddings/Gather', { axis: { int: 0 } });
  const seqLen = g.op('Shape', [inputIds], '/embeddings/Shape', { start: { int: 1 }, end: { int: 2 } });
  const positions = g.op('Slice', [posW, zero1, seqLen, zero1], '/embeddings/position_embeddings/Slice');
  const sum1 = g.op('Add', [words, types], '/embeddings/Add');
  const sum2 = g.op('Add', [sum1, positions], '/embeddings/Add_1');
  let hidden = layerNorm(g, sum2, weights.embeddingNorm, 'embeddings.LayerNorm', '/embeddings/LayerNorm', eps);

  // 2. Additive attention mask [B, 1, 1, T].
  const axes12 = g.weight('const_axes_1_2', [2], BigInt64Array.of(1n, 2n));
  const maskExp = g.op('Unsqueeze', [attentionMask, axes12], '/Unsqueeze');
  const maskF = g.op('Cast', [maskExp], '/Cast', { to: { int: DType.float } });
  const one = g.weight('const_one', [], Float32Array.of(1));
  const inverted = g.op('Sub', [one, maskF], '/Sub');
  const minF = g.weight('const_float_min', [], Float32Array.of(FLOAT32_MIN));
  const mask = g.op('Mul', [inverted, minF], '/Mul');

  // 3. Layers.
  const splitShape = g.weight('const_split_heads_shape', [4], BigInt64Array.of(0n, 0n, BigInt(shape.heads), BigInt(headDim)));
  const mergeShape = g.weight('const_merge_heads_shape', [3], BigInt64Array.of(0n, 0n, BigInt(H)));
  const scale = g.weight('const_sqrt_head_dim', [], Float32Array.of(Math.sqrt(headDim)));
  const sqrt2 = g.weight('const_sqrt_2', [], Float32Array.of(Math.SQRT2));
  const half = g.weight('const_half', [], Float32Array.of(0.5));
  weights.layers.forEach((layer, l) => {
    const p = `encoder.layer.${l}`;
    const n = `/encoder/layer.${l}`;
    const heads = (name: string, lin: Linear, perm: number[]): string => {
      const x = dense(g, hidden, lin, `${p}.attention.self.${name}`, `${n}/attention/self/${name}`, quantize);
      const r = g.op('Reshape', [x, splitShape], `${n}/attention/self/${name}/Reshape`);
      return g.op('Transpose', [r], `${n}/attention/self/${name}/Transpose`, { perm: { ints: perm } });
    };
    const q = heads('query', layer.query, [0, 2, 1, 3]);
    const k = heads('key', layer.key, [0, 2, 3, 1]);
    const v = heads('value', layer.value, [0, 2, 1, 3]);
    const scores = g.op('MatMul', [q, k], `${n}/attention/self/MatMul`);
    const scaled = g.op('Div', [scores, scale], `${n}/attention/self/Div`);
    const masked = g.op('Add', [scaled, mask], `${n}/attention/self/Add`);
    const probs = g.op('Softmax', [masked], `${n}/attention/self/Softmax`, { axis: { int: -1 } });
    const context = g.op('MatMul', [probs, v], `${n}/attention/self/MatMul_1`);
    const merged = g.op('Transpose', [context], `${n}/attention/self/Transpose_3`, { perm: { ints: [0, 2, 1, 3] } });
    const flat = g.op('Reshape', [merged, mergeShape], `${n}/attention/self/Reshape_3`);
    const attnOut = dense(g, flat, layer.attentionOutput, `${p}.attention.output.dense`, `${n}/attention/output/dense`, quantize);
    const res1 = g.op('Add', [attnOut, hidden], `${n}/attention/output/Add`);
    const normed = layerNorm(g, res1, layer.attentionNorm, `${p}.attention.output.LayerNorm`, `${n}/attention/output/LayerNorm`, eps);
    const inter = dense(g, normed, layer.intermediate, `${p}.intermediate.dense`, `${n}/intermediate/dense`, quantize);
    const gelu = exactGelu(g, inter, sqrt2, one, half, `${n}/intermediate/intermediate_act_fn`);
    const out = dense(g, gelu, layer.output, `${p}.output.dense`, `${n}/output/dense`, quantize);
    const res2 = g.op('Add', [out, normed], `${n}/output/Add`);
    hidden = layerNorm(g, res2, layer.outputNorm, `${p}.output.LayerNorm`, `${n}/output/LayerNorm`, eps);
  });

  // 4. Head.
  if (head === 'encoder') {
    g.rename(hidden, 'last_hidden_state');
    g.output('last_hidden_state', DType.float, ['batch_size', 'sequence_length', H]);
  } else if (head === 'classifier') {
    const pooler = required(weights.pooler, 'pooler');
    const classifier = required(weights.classifier, 'classifier');
    const index0 = g.weight('const_zero_scalar', [], BigInt64Array.of(0n));
    const first = g.op('Gather', [hidden, index0], '/pooler/Gather', { axis: { int: 1 } });
    const pooled = g.op('Tanh', [dense(g, first, pooler, 'pooler.dense', '/pooler/dense', quantize)], '/pooler/activation/Tanh');
    const logits = dense(g, pooled, classifier, 'classifier', '/classifier', quantize);
    g.rename(logits, 'logits');
    g.output('logits', DType.float, ['batch_size', classifier.outFeatures]);
  } else {
    const projection = required(weights.projection, 'projection');
    const projected = dense(g, hidden, projection, 'linear', '/linear', quantize);
    g.rename(projected, 'last_hidden_state');
    g.output('last_hidden_state', DType.float, ['batch_size', 'sequence_length', projection.outFeatures]);
  }
  return g.toBytes({ graphName: 'main_graph', opset: OPSET, producer: 'shortlist-generate' });
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new ShortlistError('INTERNAL', `weights.${name} missing for this head`);
  return value;
}

/** x·W (+ b), W stored [in, out]; int8 dynamic-quantized when asked. */
function dense(g: GraphBuilder, x: string, lin: Linear, weightName: string, nodeName: string, quantize: boolean): string {
  let y: string;
  if (!quantize) {
    const w = g.weight(`${weightName}.weight`, [lin.inFeatures, lin.outFeatures], lin.weight);
    y = g.op('MatMul', [x, w], `${nodeName}/MatMul`);
  } else {
    const q = quantizeSymmetric(lin.weight);
    const w = g.weight(`${weightName}.weight_quantized`, [lin.inFeatures, lin.outFeatures], q.values);
    const wScale = g.weight(`${weightName}.weight_scale`, [], Float32Array.of(q.scale));
    const wZero = g.weight(`${weightName}.weight_zero_point`, [], Int8Array.of(0));
    const [xq, xScale, xZero] = g.node('DynamicQuantizeLinear', [x], `${nodeName}/MatMul_quant`, {}, 3);
    const yInt = g.op('MatMulInteger', [xq, w, xZero, wZero], `${nodeName}/MatMul_quant_int`);
    const yF = g.op('Cast', [yInt], `${nodeName}/MatMul_quant_cast`, { to: { int: DType.float } });
    const s = g.op('Mul', [xScale, wScale], `${nodeName}/MatMul_quant_scales_mul`);
    y = g.op('Mul', [yF, s], `${nodeName}/MatMul_quant_output_scale_mul`);
  }
  if (!lin.bias) return y;
  const b = g.weight(`${weightName}.bias`, [lin.outFeatures], lin.bias);
  return g.op('Add', [b, y], `${nodeName}/Add`);
}

/** Per-tensor symmetric int8 quantization: scale = max|w| / 127, zero point 0. */
export function quantizeSymmetric(w: Float32Array): { values: Int8Array; scale: number } {
  let maxAbs = 0;
  for (let i = 0; i < w.length; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i]));
  const scale = Math.fround(maxAbs > 0 ? maxAbs / 127 : 1);
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) values[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
  return { values, scale };
}

function layerNorm(g: GraphBuilder, x: string, norm: Norm, weightName: string, nodeName: string, eps: number): string {
  const gamma = g.weight(`${weightName}.weight`, [norm.gamma.length], norm.gamma);
  const beta = g.weight(`${weightName}.bias`, [norm.beta.length], norm.beta);
  return g.op('LayerNormalization', [x, gamma, beta], nodeName, { axis: { int: -1 }, epsilon: { float: eps } });
}

/** GELU(x) = x · ½ · (1 + erf(x / √2)), in the exporter's node order so ORT fuses it. */
function exactGelu(g: GraphBuilder, x: string, sqrt2: string, one: string, half: string, name: string): string {
  const d = g.op('Div', [x, sqrt2], `${name}/Div`);
  const e = g.op('Erf', [d], `${name}/Erf`);
  const a = g.op('Add', [e, one], `${name}/Add`);
  const m = g.op('Mul', [x, a], `${name}/Mul`);
  return g.op('Mul', [m, half], `${name}/Mul_1`);
}
