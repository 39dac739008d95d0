/**
 * A bi-encoder: one vector per text, pooled (cls, mean, max or last token) and normalised as the model's
 * authors intended, with the query or document prefix the model was trained with.
 */
import { ShortlistError } from '../../core/errors.ts';
import { runBatched, type BatchStats } from '../batching.ts';
import type { ModelPreset } from '../presets/types.ts';
import { loadModel, type LoadedModel } from './model.ts';
import type { EncoderOptions } from './options.ts';
import { l2Normalize, poolRow, truncateDims } from './pooling.ts';
import { checkTexts, packBatch } from './tokens.ts';

/** Which side of retrieval a text is on; picks the prefix. */
export type EmbedKind = 'query' | 'document';

/** Options of {@link BiEncoder.embed}. */
export interface EmbedOptions {
  /**
   * Matryoshka truncation: keep the first `dims` components, then renormalise (when the model
   * normalises). Use one of the model's trained sizes (`preset.matryoshkaDims`).
   * @default the model's full dimension
   */
  dims?: number;
}

/** Options of {@link BiEncoder.create}. */
export type BiEncoderOptions = EncoderOptions;

/** A bi-encoder over one ONNX session. Build with `create`, release with `dispose`. */
export class BiEncoder {
  /** The model as the user named it. */
  readonly name: string;
  /** The resolved preset. */
  readonly preset: Readonly<ModelPreset>;
  /** Batching statistics of the last `embed` call. */
  lastStats: BatchStats | undefined;
  readonly #model: LoadedModel;

  private constructor(model: LoadedModel) {
    this.#model = model;
    this.name = model.name;
    this.preset = model.preset;
  }

  /** Load a bi-encoder (resolves the model, its preset, tokenizer and ONNX session). */
  static async create(options: BiEncoderOptions): Promise<BiEncoder> {
    return new BiEncoder(await loadModel(options, 'bi-encoder'));
  }

  /** Embed `texts` as queries or documents; one vector per text, in input order. */
  async embed(texts: readonly string[], kind: EmbedKind, options: EmbedOptions = {}): Promise<Float32Array[]> {
    const { preset, tokenizer, session, batching } = this.#model;
    checkTexts(texts, this.name);
    if (texts.length === 0) return [];
    const prefix = (kind === 'query' ? preset.queryPrefix : preset.documentPrefix) ?? '';
    const seqs = texts.map((text) => tokenizer.encode(prefix + text, preset.maxLength));
    const lengths = seqs.map((s) => s.ids.length);
    const pooling = preset.pooling ?? 'cls';
    // sentence-transformers' include_prompt false: the prompt's tokens ([CLS] + prefix, its
    // `prompt_length` = tokens of the prompt alone - 1) are masked out of pooling.
    const promptTokens =
      preset.includePrompt === false && prefix !== '' && pooling !== 'cls' ? tokenizer.encode(prefix, preset.maxLength).ids.length - 1 : 0;
    const { results, stats } = await runBatched(lengths, batching, async (batch) => {
      const feeds = packBatch(seqs, batch.indices, batch.length, tokenizer.padId);
      const out = await session.run(feeds);
      if (out.dims.length === 2) {
        const h = out.dims[1];
        return batch.indices.map((_, row) => out.data.slice(row * h, (row + 1) * h));
      }
      const shape = { batch: feeds.batch, length: feeds.length, hidden: out.dims[2] };
      let mask = feeds.attentionMask;
      if (promptTokens > 0) {
        mask = mask.slice();
        for (let row = 0; row < feeds.batch; row++)
          mask.fill(0n, row * feeds.length, row * feeds.length + Math.min(promptTokens, feeds.length));
      }
      return batch.indices.map((_, row) => poolRow(pooling, out.data, mask, shape, row));
    });
    this.lastStats = stats;
    const normalize = preset.normalize ?? true;
    const full = results[0]?.length ?? 0;
    const dims = options.dims ?? full;
    if (!Number.isInteger(dims) || dims < 1 || dims > full) {
      throw new ShortlistError('INVALID_ARGUMENT', `${this.name}: dims must be an integer in 1..${full}, got ${options.dims}`);
    }
    return results.map((v) => {
      if (normalize) l2Normalize(v);
      return dims < full ? truncateDims(v, dims, normalize) : v;
    });
  }

  /** Release the ONNX session. */
  async dispose(): Promise<void> {
    await this.#model.session.dispose();
  }
}
