/**
 * The ColBERT second stage: encode the query as a token matrix and score candidates by MaxSim.
 * Document matrices are computed at query time, or read precomputed (per chunk, from a
 * collection that stored them at ingest) through a {@link StoredMatrices} source; a candidate the
 * source lacks is encoded at query time.
 */
import type { Candidate, Hit, Reranker, SearchOptions } from '../../core/types.ts';
import { MultiVectorEncoder, type MultiVectorEncoderOptions } from '../../models/encoders/multi-vector.ts';
import { candidateText, checkAbort, topHits } from '../../core/rerank.ts';
import { maxSim } from './maxsim.ts';

/** Options of {@link ColbertReranker.create}. */
export interface ColbertRerankerOptions extends MultiVectorEncoderOptions {
  /**
   * Read `title + "\n" + text` when a candidate has a title.
   * @default true
   */
  includeTitle?: boolean;
}

/** Precomputed token matrices (flattened tokens × dims) of each document's chunks, in chunk order, by document id; ids it lacks are left out. */
export type StoredMatrices = (docIds: readonly string[]) => Promise<Map<string, Float32Array[]>>;

/**
 * How the MaxSim scores of a document's chunks become its score: `max` (best chunk), `first`
 * (chunk 0), `sum` (sum of the best `n`).
 */
export interface ChunkAggregation {
  by: 'max' | 'first' | 'sum';
  /** Chunks summed by `sum`. */
  n: number;
}

/** Options of the {@link ColbertReranker} constructor. */
export interface ColbertStageOptions {
  /** Read `title + "\n" + text` when a candidate has a title. @default true */
  includeTitle?: boolean;
  /** Score from these precomputed chunk matrices instead of encoding documents. @default none (encode at query time) */
  stored?: StoredMatrices;
  /** Chunk scores to a document score when reading stored matrices. @default { by: 'max', n: 3 } */
  aggregate?: ChunkAggregation;
}

/** A reranker over a ColBERT encoder; hits carry the MaxSim score. Build with `create`, release with `dispose`. */
export class ColbertReranker implements Reranker {
  /** Stage name in traces. */
  readonly name = 'colbert';
  /** The encoder this stage runs. */
  readonly encoder: MultiVectorEncoder;
  /** Encoder calls: query batches, document batches and documents encoded (ingest and query time). */
  readonly counters = { queryCalls: 0, documentCalls: 0, documentTexts: 0 };
  readonly #includeTitle: boolean;
  readonly #stored?: StoredMatrices;
  readonly #aggregate: ChunkAggregation;

  /** Wrap an encoder the caller owns (`dispose` then releases it). */
  constructor(encoder: MultiVectorEncoder, options: ColbertStageOptions = {}) {
    this.encoder = encoder;
    this.#includeTitle = options.includeTitle ?? true;
    this.#stored = options.stored;
    this.#aggregate = options.aggregate ?? { by: 'max', n: 3 };
  }

  /** Load the model and build the stage. */
  static async create(options: ColbertRerankerOptions & Omit<ColbertStageOptions, 'includeTitle'>): Promise<ColbertReranker> {
    return new ColbertReranker(await MultiVectorEncoder.create(options), options);
  }

  /** The same encoder scoring from `stored` matrices (shares the encoder and its counters; the original keeps ownership). */
  withStored(stored: StoredMatrices, aggregate?: ChunkAggregation): ColbertReranker {
    const view = new ColbertReranker(this.encoder, { includeTitle: this.#includeTitle, stored, aggregate });
    Object.assign(view, { counters: this.counters });
    return view;
  }

  /** Document matrices of `texts`, flattened tokens × dims (what a collection stores per chunk). */
  async encodeDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    this.counters.documentCalls++;
    this.counters.documentTexts += texts.length;
    return (await this.encoder.encodeDocuments(texts)).map((m) => m.data);
  }

  /**
   * Score all candidates by MaxSim and return the top `k`, sorted by score then id. With stored
   * matrices, a document's score aggregates its chunks' MaxSim scores; a document stored as one
   * chunk scores exactly as when encoded at query time (same text, same truncation).
   */
  async rerank(query: string, candidates: Candidate[], k: number, options: SearchOptions = {}): Promise<Hit[]> {
    checkAbort(options.signal);
    if (candidates.length === 0) return [];
    this.counters.queryCalls++;
    const [q] = await this.encoder.encodeQueries([query]);
    const stored = this.#stored ? await this.#stored(candidates.map((c) => c.id)) : new Map<string, Float32Array[]>();
    const scores = candidates.map((c) => {
      const chunks = stored.get(c.id);
      return chunks && chunks.length > 0
        ? aggregateChunkScores(
            chunks.map((m) => maxSim(q.data, m, q.dims)),
            this.#aggregate,
          )
        : NaN;
    });
    const missing = candidates.flatMap((c, i) => (Number.isNaN(scores[i]) ? [i] : []));
    if (missing.length > 0) {
      const docs = await this.encodeDocuments(missing.map((i) => candidateText(candidates[i], this.#includeTitle)));
      missing.forEach((i, j) => (scores[i] = maxSim(q.data, docs[j], q.dims)));
    }
    checkAbort(options.signal);
    return topHits(candidates, scores, k);
  }

  /** Release the encoder's session. */
  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }
}

/** A document score from its chunks' scores in chunk order (see {@link ChunkAggregation}). */
export function aggregateChunkScores(scores: readonly number[], aggregate: ChunkAggregation): number {
  if (aggregate.by === 'first') return scores[0];
  if (aggregate.by === 'max') return Math.max(...scores);
  return [...scores]
    .sort((a, b) => b - a)
    .slice(0, aggregate.n)
    .reduce((s, x) => s + x, 0);
}
