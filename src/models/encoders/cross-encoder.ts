/**
 * A cross-encoder: reads query and document together and returns a raw logit and an activated
 * score per document. Documents longer than the model's window are split into overlapping windows
 * whose logits are pooled; only the document side is ever truncated.
 */
import { ShortlistError } from '../../core/errors.ts';
import { runBatched, type BatchStats } from '../batching.ts';
import type { Activation, ModelPreset } from '../presets/types.ts';
import { loadModel, type LoadedModel } from './model.ts';
import type { EncoderOptions } from './options.ts';
import { checkTexts, packBatch, type TokenSequence } from './tokens.ts';

/** What to do with a document that does not fit the window next to the query. */
export type LongDocuments = 'window' | 'truncate' | 'error';

/** How the logits of a document's windows become one logit. */
export type WindowPooling = 'max' | 'first' | 'mean';

/** Options of {@link CrossEncoder.create}. */
export interface CrossEncoderOptions extends EncoderOptions {
  /**
   * Documents past the window: `window` splits them into overlapping windows, `truncate` keeps the
   * first window, `error` refuses them.
   * @default 'window'
   */
  longDocuments?: LongDocuments;
  /**
   * Document tokens consecutive windows share (the `stride` of HF tokenizers). More overlap costs
   * more windows but keeps passages that straddle a boundary whole. Capped at half the document
   * tokens a window holds next to the query.
   * @default 64
   */
  windowStride?: number;
  /**
   * How window logits are pooled into the document's logit.
   * @default 'max'
   */
  windowPooling?: WindowPooling;
}

/** One (query, document) pair for {@link CrossEncoder.scorePairs}. */
export interface QueryDocPair {
  query: string;
  doc: string;
}

/** One document's score. */
export interface CrossScore {
  /** The raw model output (for softmax models: the logit of `labelIndex`). */
  logit: number;
  /** The logit after the model's activation. */
  score: number;
}

const DEFAULTS = Object.freeze({ longDocuments: 'window', windowStride: 64, windowPooling: 'max' } as const);

/** A cross-encoder over one ONNX session. Build with `create`, release with `dispose`. */
export class CrossEncoder {
  /** The model as the user named it. */
  readonly name: string;
  /** The resolved preset. */
  readonly preset: Readonly<ModelPreset>;
  /** Batching statistics of the last `score` or `scorePairs` call. */
  lastStats: BatchStats | undefined;
  readonly #model: LoadedModel;
  readonly #options: { longDocuments: LongDocuments; windowStride: number; windowPooling: WindowPooling };

  private constructor(model: LoadedModel, options: CrossEncoderOptions) {
    this.#model = model;
    this.name = model.name;
    this.preset = model.preset;
    this.#options = {
      longDocuments: options.longDocuments ?? DEFAULTS.longDocuments,
      windowStride: options.windowStride ?? DEFAULTS.windowStride,
      windowPooling: options.windowPooling ?? DEFAULTS.windowPooling,
    };
    if (!Number.isInteger(this.#options.windowStride) || this.#options.windowStride < 0) {
      throw new ShortlistError('INVALID_ARGUMENT', `windowStride must be a non-negative integer, got ${options.windowStride}`);
    }
  }

  /** Load a cross-encoder (resolves the model, its preset, tokenizer and ONNX session). */
  static async create(options: CrossEncoderOptions): Promise<CrossEncoder> {
    const model = await loadModel(options, 'cross-encoder');
    try {
      return new CrossEncoder(model, options);
    } catch (err) {
      await model.session.dispose();
      throw err;
    }
  }

  /** Score every document against `query`; one result per document, in input order. */
  async score(query: string, docs: readonly string[]): Promise<CrossScore[]> {
    checkTexts([query], this.name, 'query');
    checkTexts(docs, this.name, 'document');
    return this.#scoreChecked(
      docs.map((doc) => ({ query, doc })),
      'documents',
    );
  }

  /**
   * Score (query, document) pairs whose queries may differ, in one batched pass: one result per
   * pair, in input order. Pairs of several requests share ONNX batches this way; a pair's score
   * equals what `score(pair.query, [pair.doc])` returns for it.
   */
  async scorePairs(pairs: readonly QueryDocPair[]): Promise<CrossScore[]> {
    checkTexts(
      pairs.map((p) => p.query),
      this.name,
      'query',
    );
    checkTexts(
      pairs.map((p) => p.doc),
      this.name,
      'document',
    );
    return this.#scoreChecked(pairs, 'pairs');
  }

  /** Tokenize every pair into its windows, run them in token-budget batches, pool and activate. */
  async #scoreChecked(pairs: readonly QueryDocPair[], field: string): Promise<CrossScore[]> {
    const { preset, tokenizer, session, batching } = this.#model;
    const { longDocuments, windowStride, windowPooling } = this.#options;
    const strides = new Map<string, number>();
    const strideFor = (query: string): number => {
      let stride = strides.get(query);
      if (stride === undefined) {
        const room = preset.maxLength - tokenizer.numAddedTokens(true) - tokenizer.tokenIds(query).length;
        if (room < 1) {
          throw new ShortlistError(
            'INVALID_INPUT',
            `${this.name}: the query takes ${preset.maxLength - room} tokens with the special tokens, which leaves no room for a document ` +
              `in the model's window of ${preset.maxLength} (maxLength); shorten the query`,
            { location: { field: 'query' } },
          );
        }
        stride = Math.min(windowStride, Math.floor(room / 2));
        strides.set(query, stride);
      }
      return stride;
    };
    const seqs: TokenSequence[] = [];
    const owner: number[] = [];
    pairs.forEach(({ query, doc }, d) => {
      const stride = strideFor(query);
      if (longDocuments === 'error') {
        const length = tokenizer.pairLength(query, doc);
        if (length > preset.maxLength) {
          throw new ShortlistError(
            'INVALID_INPUT',
            `${this.name}: document ${d} with the query takes ${length} tokens, past the model's window of ` +
              `${preset.maxLength} tokens (maxLength); shorten it, or set longDocuments to 'window' or 'truncate'`,
            { location: { field: `${field}[${d}]` } },
          );
        }
      }
      const windows =
        longDocuments === 'window'
          ? tokenizer.encodePairWindows(query, doc, preset.maxLength, stride)
          : [tokenizer.encodePair(query, doc, preset.maxLength)];
      for (const w of windows) {
        seqs.push(w);
        owner.push(d);
      }
    });
    const { results, stats } = await runBatched(
      seqs.map((s) => s.ids.length),
      batching,
      async (batch) => {
        const out = await session.run(packBatch(seqs, batch.indices, batch.length, tokenizer.padId));
        const labels = out.dims.length > 1 ? out.dims[out.dims.length - 1] : 1;
        return batch.indices.map((_, row) => out.data.slice(row * labels, (row + 1) * labels));
      },
    );
    this.lastStats = stats;
    const perDoc: Float32Array[][] = pairs.map(() => []);
    results.forEach((logits, i) => perDoc[owner[i]].push(logits));
    return perDoc.map((windows) => activate(poolWindows(windows, windowPooling), preset.activation ?? 'sigmoid', preset.labelIndex));
  }

  /** Release the ONNX session. */
  async dispose(): Promise<void> {
    await this.#model.session.dispose();
  }
}

/** Pool the label vectors of a document's windows, label by label. */
function poolWindows(windows: Float32Array[], pooling: WindowPooling): Float32Array {
  if (windows.length === 1 || pooling === 'first') return windows[0];
  const out = new Float32Array(windows[0].length);
  for (let j = 0; j < out.length; j++) {
    let acc = pooling === 'max' ? -Infinity : 0;
    for (const w of windows) acc = pooling === 'max' ? Math.max(acc, w[j]) : acc + w[j];
    out[j] = pooling === 'max' ? acc : acc / windows.length;
  }
  return out;
}

/** Apply the model's activation to one label vector. */
export function activate(logits: Float32Array, activation: Activation, labelIndex = 0): CrossScore {
  if (labelIndex < 0 || labelIndex >= logits.length) {
    throw new ShortlistError('MODEL_ERROR', `labelIndex ${labelIndex} is out of range: the model outputs ${logits.length} label(s)`);
  }
  const logit = logits[labelIndex];
  if (activation === 'none') return { logit, score: logit };
  if (activation === 'sigmoid') return { logit, score: 1 / (1 + Math.exp(-logit)) };
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x);
  let sum = 0;
  for (const x of logits) sum += Math.exp(x - max);
  return { logit, score: Math.exp(logit - max) / sum };
}
