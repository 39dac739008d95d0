/**
 * A multi-vector (ColBERT) encoder: one L2-normalised vector per token. Queries get the query
 * marker after the first special token and are padded with the mask token up to the model's query
 * length (query augmentation; the pads are attended to only when the preset says so); documents get the document marker, and punctuation tokens and padding are
 * dropped from their matrices. The projection to the token-vector size is part of the exported graph.
 * Khattab & Zaharia, "ColBERT", SIGIR 2020, §3.2 (markers, [MASK] augmentation, punctuation filter).
 */
import { ShortlistError } from '../../core/errors.ts';
import { runBatched, type BatchStats } from '../batching.ts';
import type { ModelPreset } from '../presets/types.ts';
import { loadModel, type LoadedModel } from './model.ts';
import type { EncoderOptions } from './options.ts';
import { l2Normalize } from './pooling.ts';
import { checkTexts, packBatch, type TokenSequence } from './tokens.ts';

/** A token matrix: `tokens` rows of `dims` floats, row-major. */
export interface TokenMatrix {
  data: Float32Array;
  tokens: number;
  dims: number;
}

/** Options of {@link MultiVectorEncoder.create}. */
export type MultiVectorEncoderOptions = EncoderOptions;

/** ColBERT's skip-list: Python's `string.punctuation`. */
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

type ColbertFacts = NonNullable<ModelPreset['colbert']>;

/** A ColBERT encoder over one ONNX session. Build with `create`, release with `dispose`. */
export class MultiVectorEncoder {
  /** The model as the user named it. */
  readonly name: string;
  /** The resolved preset. */
  readonly preset: Readonly<ModelPreset>;
  /** Batching statistics of the last encode call. */
  lastStats: BatchStats | undefined;
  readonly #model: LoadedModel;
  readonly #colbert: ColbertFacts;
  readonly #queryMarker: number;
  readonly #documentMarker: number;
  readonly #maskId: number;
  readonly #skip: Set<number>;

  private constructor(model: LoadedModel) {
    this.#model = model;
    this.name = model.name;
    this.preset = model.preset;
    const colbert = model.preset.colbert;
    if (!colbert) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `${model.name}: the preset has no \`colbert\` field (query/document length, markers); give it explicitly`,
      );
    }
    this.#colbert = colbert;
    const id = (token: string, field: string): number => {
      const found = model.tokenizer.tokenId(token);
      if (found === undefined) {
        throw new ShortlistError(
          'MODEL_ERROR',
          `${model.name}: token ${token} (preset field colbert.${field}) is not in tokenizer.json's vocabulary`,
        );
      }
      return found;
    };
    this.#queryMarker = id(colbert.queryMarker, 'queryMarker');
    this.#documentMarker = id(colbert.documentMarker, 'documentMarker');
    this.#maskId = colbert.maskAugment ? id(colbert.maskToken ?? model.tokenizer.maskToken ?? '[MASK]', 'maskToken') : -1;
    this.#skip = new Set<number>();
    if (colbert.skipPunctuation) {
      for (const symbol of PUNCTUATION) {
        const ids = model.tokenizer.tokenIds(symbol);
        if (ids.length > 0) this.#skip.add(ids[0]);
      }
    }
  }

  /** Load a ColBERT model (resolves the model, its preset, tokenizer and ONNX session). */
  static async create(options: MultiVectorEncoderOptions): Promise<MultiVectorEncoder> {
    const model = await loadModel(options, 'multi-vector');
    try {
      return new MultiVectorEncoder(model);
    } catch (err) {
      await model.session.dispose();
      throw err;
    }
  }

  /** Encode queries: `[queryLength, dims]` matrices with [MASK] augmentation when the model uses it. */
  async encodeQueries(texts: readonly string[]): Promise<TokenMatrix[]> {
    checkTexts(texts, this.name, 'query');
    const { queryLength, maskAugment } = this.#colbert;
    const maskAttention = this.#colbert.attendToMaskTokens ? 1 : 0;
    const seqs = texts.map((text) => {
      const seq = this.#withMarker(this.#model.preset.queryPrefix ?? '', text, queryLength, this.#queryMarker);
      if (maskAugment) {
        const attention = seq.ids.map(() => 1);
        while (seq.ids.length < queryLength) {
          seq.ids.push(this.#maskId);
          attention.push(maskAttention); // ColBERT's attend_to_mask_tokens, off by default
        }
        seq.attention = attention;
        seq.typeIds = seq.ids.map(() => 0);
      }
      return seq;
    });
    return this.#encode(seqs, () => true);
  }

  /** Encode documents: one row per kept token (punctuation and padding dropped). */
  async encodeDocuments(texts: readonly string[]): Promise<TokenMatrix[]> {
    checkTexts(texts, this.name, 'document');
    const seqs = texts.map((text) =>
      this.#withMarker(this.#model.preset.documentPrefix ?? '', text, this.#colbert.documentLength, this.#documentMarker),
    );
    return this.#encode(seqs, (id) => !this.#skip.has(id));
  }

  /** Release the ONNX session. */
  async dispose(): Promise<void> {
    await this.#model.session.dispose();
  }

  /** Tokenize to `maxLength - 1` tokens, then insert the marker after the first special token. */
  #withMarker(prefix: string, text: string, maxLength: number, marker: number): TokenSequence {
    const seq = this.#model.tokenizer.encode(prefix + text, maxLength - 1);
    const ids = [seq.ids[0], marker, ...seq.ids.slice(1)];
    return { ids, typeIds: ids.map(() => 0) };
  }

  async #encode(seqs: TokenSequence[], keep: (id: number) => boolean): Promise<TokenMatrix[]> {
    const { session, tokenizer, batching } = this.#model;
    const { results, stats } = await runBatched(
      seqs.map((s) => s.ids.length),
      batching,
      async (batch) => {
        const feeds = packBatch(seqs, batch.indices, batch.length, tokenizer.padId);
        const out = await session.run(feeds);
        const dims = out.dims[2];
        return batch.indices.map((index, row) => {
          const ids = seqs[index].ids;
          const kept = ids.map((id, t) => t).filter((t) => keep(ids[t]));
          const data = new Float32Array(kept.length * dims);
          kept.forEach((t, r) => {
            const off = (row * feeds.length + t) * dims;
            data.set(out.data.subarray(off, off + dims), r * dims);
            l2Normalize(data.subarray(r * dims, (r + 1) * dims));
          });
          return { data, tokens: kept.length, dims };
        });
      },
    );
    this.lastStats = stats;
    return results;
  }
}
