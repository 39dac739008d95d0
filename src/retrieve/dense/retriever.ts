/** The dense first stage: embed documents with a {@link BiEncoder}, search an exact flat index. */
import type { Document, Hit, Retriever, SearchOptions } from '../../core/types.ts';
import { ShortlistError } from '../../core/errors.ts';
import type { BiEncoder, BiEncoderOptions } from '../../models/encoders/bi-encoder.ts';
import { FlatIndex } from './flat-index.ts';

/** Options of {@link DenseRetriever.create}. */
export interface DenseRetrieverOptions extends BiEncoderOptions {
  /**
   * Matryoshka dimension of the stored vectors; smaller is faster and lighter, at some quality cost.
   * @default the model's full dimension
   */
  dims?: number;
  /**
   * Documents embedded per call while adding (bounds memory, not speed).
   * @default 256
   */
  addBatch?: number;
}

/** Dense retrieval over an exact index. Build with `create`, add documents, search; `dispose` releases the model. */
export class DenseRetriever implements Retriever {
  /** Stage name in traces. */
  readonly name = 'dense';
  /** The encoder this stage runs. */
  readonly encoder: BiEncoder;
  readonly #dims?: number;
  readonly #addBatch: number;
  #index: FlatIndex | undefined;
  readonly #docs = new Map<string, Document>();

  /** Wrap an encoder the caller owns (`dispose` then releases it). */
  constructor(encoder: BiEncoder, options: { dims?: number; addBatch?: number } = {}) {
    this.encoder = encoder;
    this.#dims = options.dims;
    this.#addBatch = options.addBatch ?? 256;
    if (!Number.isInteger(this.#addBatch) || this.#addBatch < 1) {
      throw new ShortlistError('INVALID_ARGUMENT', `addBatch must be a positive integer, got ${options.addBatch}`);
    }
  }

  /** Load the model and build an empty retriever (the encoder's code is imported here, on first use). */
  static async create(options: DenseRetrieverOptions): Promise<DenseRetriever> {
    const { BiEncoder } = await import('../../models/encoders/bi-encoder.ts');
    return new DenseRetriever(await BiEncoder.create(options), options);
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.#index?.size ?? 0;
  }

  /** Embed and index documents (`title + "\n" + text` when titled); duplicate ids are an error. */
  async add(documents: readonly Document[]): Promise<void> {
    const seen = new Set<string>();
    for (const d of documents) {
      if (this.#docs.has(d.id) || seen.has(d.id)) throw new ShortlistError('DUPLICATE_ID', `document id '${d.id}' is already in the index`);
      seen.add(d.id);
    }
    for (let start = 0; start < documents.length; start += this.#addBatch) {
      const chunk = documents.slice(start, start + this.#addBatch);
      const vectors = await this.encoder.embed(
        chunk.map((d) => (d.title ? `${d.title}\n${d.text}` : d.text)),
        'document',
        { dims: this.#dims },
      );
      this.#index ??= new FlatIndex(vectors[0].length);
      this.#index.add(
        chunk.map((d) => d.id),
        vectors,
      );
      for (const d of chunk) this.#docs.set(d.id, d);
    }
  }

  /** The top `k` documents by dot product with the query embedding, ties by id. */
  async search(query: string, k: number, options: SearchOptions = {}): Promise<Hit[]> {
    if (options.signal?.aborted) throw new ShortlistError('ABORTED', 'search was aborted', { cause: options.signal.reason });
    if (!this.#index) return [];
    const [q] = await this.encoder.embed([query], 'query', { dims: this.#dims });
    return this.#index.search(q, k).map((hit) => ({ ...hit, document: this.#docs.get(hit.id) }));
  }

  /** Release the encoder's session. */
  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }
}
