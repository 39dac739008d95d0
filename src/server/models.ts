/**
 * The server's models: one cross-encoder (rerank routes) and one bi-encoder (embedding routes),
 * each loaded once at start-up behind a cross-request batch queue, so pairs and texts of
 * concurrent requests share ONNX batches. Either may be absent; its routes then answer 404.
 */
import { ShortlistError } from '../core/errors.ts';
import { BiEncoder } from '../models/encoders/bi-encoder.ts';
import { CrossEncoder, type CrossScore, type QueryDocPair } from '../models/encoders/cross-encoder.ts';
import { basename } from 'node:path';
import { resolveModel } from '../models/hub/resolve.ts';
import { parseModelSource } from '../models/hub/source.ts';
import type { ModelPreset } from '../models/presets/types.ts';
import { TextTokenizer } from '../models/tokenize/index.ts';
import { crossEncoderQueue, embeddingQueue } from './batching/models.ts';
import type { BatchQueue } from './batching/queue.ts';
import type { ServerOptions } from './options.ts';

/** Results of one queued model call and where its time went (ms). */
export interface Timed<T> {
  results: T[];
  queueMs: number;
  inferenceMs: number;
}

/** A loaded cross-encoder behind its queue. */
export class RerankModel {
  readonly #encoder: CrossEncoder;
  readonly #queue: BatchQueue<QueryDocPair, CrossScore>;
  #tokenizer?: Promise<TextTokenizer>;

  private constructor(encoder: CrossEncoder, queue: BatchQueue<QueryDocPair, CrossScore>) {
    this.#encoder = encoder;
    this.#queue = queue;
  }

  /** Load `model` and start its queue. */
  static async load(model: string, options: Pick<ServerOptions, 'batching' | 'threads' | 'rerankPreset'>): Promise<RerankModel> {
    const encoder = await CrossEncoder.create({
      model,
      preset: (options.rerankPreset ?? {}) as Partial<ModelPreset>,
      threads: options.threads,
    });
    return new RerankModel(encoder, crossEncoderQueue(encoder, options.batching));
  }

  /** The model's public name: its hub id, or a local folder's last segment (server paths stay private). */
  get name(): string {
    return publicName(this.#encoder.name);
  }

  /** The model's window in tokens. */
  get maxLength(): number {
    return this.#encoder.preset.maxLength;
  }

  /** The queue (depth and batch statistics for /metrics). */
  get queue(): BatchQueue<QueryDocPair, CrossScore> {
    return this.#queue;
  }

  /** Score every document against `query` through the shared queue. */
  async score(query: string, docs: readonly string[], signal?: AbortSignal): Promise<Timed<CrossScore>> {
    return this.#queue.submit(
      docs.map((doc) => ({ query, doc })),
      signal,
    );
  }

  /** `text` cut to its longest word prefix of at most `tokens` model tokens (whole words, so it may be a few tokens shorter). */
  async truncate(text: string, tokens: number): Promise<string> {
    this.#tokenizer ??= resolveModel(this.#encoder.name).then((r) => TextTokenizer.fromFolder(r.dir));
    const tok = await this.#tokenizer;
    if (tok.tokenIds(text).length <= tokens) return text;
    const words = text.match(/\S+\s*/g) ?? [];
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (tok.tokenIds(words.slice(0, mid).join('')).length <= tokens) lo = mid;
      else hi = mid - 1;
    }
    return words.slice(0, lo).join('').trimEnd();
  }

  /** Finish queued work and release the session. */
  async close(): Promise<void> {
    await this.#queue.close();
    await this.#encoder.dispose();
  }
}

/** A loaded bi-encoder behind its queue (texts embedded as documents, i.e. with the document prefix). */
export class EmbedModel {
  readonly #encoder: BiEncoder;
  readonly #queue: BatchQueue<string, Float32Array>;
  readonly #batching: ServerOptions['batching'];
  /** Queries (the model's query prefix) in their own queue, started on first use (Cohere `input_type: search_query`). */
  #queries?: BatchQueue<string, Float32Array>;
  #dims?: number;

  private constructor(encoder: BiEncoder, queue: BatchQueue<string, Float32Array>, batching: ServerOptions['batching']) {
    this.#encoder = encoder;
    this.#queue = queue;
    this.#batching = batching;
  }

  /** Load `model` and start its queue. */
  static async load(model: string, options: Pick<ServerOptions, 'batching' | 'threads' | 'embedPreset'>): Promise<EmbedModel> {
    const encoder = await BiEncoder.create({
      model,
      preset: (options.embedPreset ?? {}) as Partial<ModelPreset>,
      threads: options.threads,
    });
    const queue = embeddingQueue(
      publicName(encoder.name),
      (texts) => encoder.embed(texts, 'document'),
      encoder.preset.maxLength,
      options.batching,
    );
    return new EmbedModel(encoder, queue, options.batching);
  }

  /** The model's public name: its hub id, or a local folder's last segment (server paths stay private). */
  get name(): string {
    return publicName(this.#encoder.name);
  }

  /** The queue (depth and batch statistics for /metrics). */
  get queue(): BatchQueue<string, Float32Array> {
    return this.#queue;
  }

  /** Whether the model L2-normalises its vectors. */
  get normalizes(): boolean {
    return this.#encoder.preset.normalize ?? true;
  }

  /** The model's full vector size (learned from one embedding, then remembered). */
  async dims(): Promise<number> {
    this.#dims ??= (await this.#encoder.embed(['dimension probe'], 'document'))[0].length;
    return this.#dims;
  }

  /** Embed `texts` (as documents, or as queries with the model's query prefix) through a shared queue; vectors are the model's own (normalised when it normalises). */
  async embed(texts: readonly string[], signal?: AbortSignal, kind: 'query' | 'document' = 'document'): Promise<Timed<Float32Array>> {
    if (kind === 'document') return this.#queue.submit(texts, signal);
    const encoder = this.#encoder;
    this.#queries ??= embeddingQueue(`${this.name} (queries)`, (t) => encoder.embed(t, 'query'), encoder.preset.maxLength, this.#batching);
    return this.#queries.submit(texts, signal);
  }

  /** Finish queued work and release the session. */
  async close(): Promise<void> {
    await this.#queries?.close();
    await this.#queue.close();
    await this.#encoder.dispose();
  }
}

/** The models a server holds. */
export interface ServerModels {
  rerank?: RerankModel;
  embed?: EmbedModel;
}

/** Load the models `options` names (both at once). */
export async function loadServerModels(
  options: Pick<ServerOptions, 'rerankModel' | 'embedModel' | 'batching' | 'threads' | 'rerankPreset' | 'embedPreset'>,
): Promise<ServerModels> {
  const [rerank, embed] = await Promise.allSettled([
    options.rerankModel ? RerankModel.load(options.rerankModel, options) : Promise.resolve(undefined),
    options.embedModel ? EmbedModel.load(options.embedModel, options) : Promise.resolve(undefined),
  ]);
  if (rerank.status === 'rejected' || embed.status === 'rejected') {
    if (rerank.status === 'fulfilled') await rerank.value?.close();
    if (embed.status === 'fulfilled') await embed.value?.close();
    throw rerank.status === 'rejected' ? rerank.reason : (embed as PromiseRejectedResult).reason;
  }
  return { rerank: rerank.value, embed: embed.value };
}

/** A hub id as given; a local folder as its last path segment. */
function publicName(model: string): string {
  const source = parseModelSource(model);
  return source.kind === 'local' ? basename(source.dir) : model;
}

/** The model or a NOT_FOUND naming the flag that loads it. */
export function need<T>(model: T | undefined, what: 'rerank' | 'embed'): T {
  if (model) return model;
  throw new ShortlistError(
    'NOT_FOUND',
    `this server has no ${what === 'rerank' ? 'rerank' : 'embedding'} model; start it with --${what}-model <id|folder>`,
  );
}
