/**
 * Writes a hub-style folder holding a BERT-architecture ONNX model with seeded random weights:
 *
 *   config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt,
 *   onnx/model.onnx (fp32) and, when asked, onnx/model_quantized.onnx (dynamic int8).
 *
 * transformers.js loads the folder unchanged (AutoTokenizer, AutoModel,
 * AutoModelForSequenceClassification). Heads and their outputs:
 * - `encoder`: `last_hidden_state` [batch, seq, hidden] (BertModel)
 * - `classifier`: `logits` [batch, 1] (BertForSequenceClassification: pooler tanh(dense(h[:,0])), dense)
 * - `colbert`: `last_hidden_state` [batch, seq, colbertDim] — the encoder's last hidden state through a
 *   bias-free Linear(hidden → colbertDim), the same contract as ColBERT ONNX exports
 *   (answerai-colbert-small-v1 projects 384 → 96, colbertv2.0 768 → 128): the projection is inside
 *   the graph, the output is not normalised.
 *
 * CLI: `node --import tsx scripts/models/generate.ts --shape tiny --head classifier --out dir
 *       [--seed 42] [--vocab path|builtin] [--dtypes fp32,int8] [--colbert-dim 128] [--num-labels 1]`
 *       (`--shape custom --layers L --hidden H --heads A --intermediate I` for any other size)
 */
import { ShortlistError } from '../../src/core/errors.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBertGraph } from './bert-graph.ts';
import { bertConfig, bertTokenizerConfig, bertTokenizerJson, specialTokensMap } from './hub-files.ts';
import { HEADS, resolveShape, SHAPES, type BertShape, type Head, type ShapeName } from './shapes.ts';
import { builtinVocab, defaultVocabPath, readVocab } from './vocab.ts';
import { randomWeights, type BertWeights, type WeightSizes } from './weights.ts';

/** A weight precision the generator writes. */
export type GeneratedDtype = 'fp32' | 'int8';

/** ONNX file per dtype, as transformers.js names them (`int8` = its `q8` = `_quantized`). */
export const ONNX_FILES = Object.freeze({ fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' } as const);

/** What to generate. */
export interface GenerateOptions {
  /** Output folder; created if missing, files in it overwritten. */
  out: string;
  /** A named shape or a custom `{layers, hidden, heads, intermediate}`. */
  shape: ShapeName | BertShape;
  /** Output head. */
  head: Head;
  /** PRNG seed; the same seed gives byte-identical files. @default 42 */
  seed?: number;
  /** Path of a WordPiece `vocab.txt`, or `'builtin'` for the small built-in vocabulary. @default ../shared/vocab/bert-base-uncased-vocab.txt when it exists, else `'builtin'` */
  vocab?: string;
  /** Which ONNX files to write. @default ['fp32'] */
  dtypes?: GeneratedDtype[];
  /** ColBERT projection size (colbert head only). @default 128 */
  colbertDim?: number;
  /** Logits of the classifier head. @default 1 */
  numLabels?: number;
  /** model_max_length / max_position_embeddings. @default 512 */
  maxLength?: number;
}

const DEFAULTS = { seed: 42, dtypes: ['fp32'] as GeneratedDtype[], colbertDim: 128, numLabels: 1, maxLength: 512 };

/** Everything a generated model is made of, resolved from the options (no files written). */
export interface ResolvedModel {
  shape: BertShape;
  head: Head;
  vocab: string[];
  sizes: WeightSizes & { layerNormEps: number };
  weights: BertWeights;
  dtypes: GeneratedDtype[];
  maxLength: number;
}

/** Resolves options to the shape, vocabulary and seeded weights (what {@link generateModel} writes). */
export function resolveModel(opts: Omit<GenerateOptions, 'out'>): ResolvedModel {
  const shape = resolveShape(opts.shape);
  if (!HEADS.includes(opts.head)) throw new ShortlistError('INVALID_ARGUMENT', `unknown head '${opts.head}'; valid: ${HEADS.join(', ')}`);
  const seed = opts.seed ?? DEFAULTS.seed;
  const dtypes = opts.dtypes ?? DEFAULTS.dtypes;
  for (const d of dtypes)
    if (!(d in ONNX_FILES))
      throw new ShortlistError('INVALID_ARGUMENT', `unknown dtype '${d}'; valid: ${Object.keys(ONNX_FILES).join(', ')}`);
  const vocabPath = opts.vocab ?? defaultVocabPath();
  const vocab = vocabPath && vocabPath !== 'builtin' ? readVocab(vocabPath) : builtinVocab();
  const maxLength = opts.maxLength ?? DEFAULTS.maxLength;
  const sizes = {
    vocabSize: vocab.length,
    maxPositions: maxLength,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    colbertDim: opts.colbertDim ?? DEFAULTS.colbertDim,
    numLabels: opts.numLabels ?? DEFAULTS.numLabels,
  };
  return { shape, head: opts.head, vocab, sizes, weights: randomWeights(shape, opts.head, sizes, seed), dtypes, maxLength };
}

/** Generates the folder described by `opts`. */
export async function generateModel(opts: GenerateOptions): Promise<void> {
  const { shape, vocab, sizes, weights, dtypes, maxLength } = resolveModel(opts);
  await mkdir(join(opts.out, 'onnx'), { recursive: true });
  const json = (name: string, value: unknown) => writeFile(join(opts.out, name), `${JSON.stringify(value, null, 2)}\n`);
  await Promise.all([
    json('config.json', bertConfig(shape, opts.head, sizes, vocab)),
    json('tokenizer.json', bertTokenizerJson(vocab)),
    json('tokenizer_config.json', bertTokenizerConfig(vocab, maxLength)),
    json('special_tokens_map.json', specialTokensMap()),
    writeFile(join(opts.out, 'vocab.txt'), `${vocab.join('\n')}\n`),
  ]);
  for (const dtype of dtypes) {
    const bytes = buildBertGraph(weights, shape, opts.head, { quantize: dtype === 'int8', layerNormEps: sizes.layerNormEps });
    await writeFile(join(opts.out, ONNX_FILES[dtype]), bytes);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      shape: { type: 'string', default: 'tiny' },
      head: { type: 'string', default: 'encoder' },
      seed: { type: 'string' },
      vocab: { type: 'string' },
      dtypes: { type: 'string', default: 'fp32' },
      'colbert-dim': { type: 'string' },
      'num-labels': { type: 'string' },
      layers: { type: 'string' },
      hidden: { type: 'string' },
      heads: { type: 'string' },
      intermediate: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    console.log(
      `usage: generate.ts --out DIR [--shape ${Object.keys(SHAPES).join('|')}|custom] [--head ${HEADS.join('|')}] ` +
        '[--seed N] [--vocab vocab.txt|builtin] [--dtypes fp32,int8] [--colbert-dim 128] [--num-labels 1] ' +
        '[--layers L --hidden H --heads A --intermediate I  (with --shape custom)]',
    );
    process.exitCode = values.out || values.help ? 0 : 2;
    return;
  }
  const shape: ShapeName | BertShape =
    values.shape === 'custom'
      ? {
          layers: Number(values.layers),
          hidden: Number(values.hidden),
          heads: Number(values.heads),
          intermediate: Number(values.intermediate),
        }
      : (values.shape as ShapeName);
  const started = performance.now();
  await generateModel({
    out: values.out,
    shape,
    head: values.head as Head,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    vocab: values.vocab,
    dtypes: values.dtypes.split(',').map((d) => d.trim()) as GeneratedDtype[],
    colbertDim: values['colbert-dim'] === undefined ? undefined : Number(values['colbert-dim']),
    numLabels: values['num-labels'] === undefined ? undefined : Number(values['num-labels']),
  });
  console.log(`wrote ${values.out} (${values.shape}, ${values.head}) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
