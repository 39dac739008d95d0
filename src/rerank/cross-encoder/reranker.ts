/** The cross-encoder second stage: score every candidate with a {@link CrossEncoder}, keep the top k. */
import type { Candidate, Hit, Reranker, SearchOptions } from '../../core/types.ts';
import { candidateText, checkAbort, topHits } from '../../core/rerank.ts';
import { CrossEncoder, type CrossEncoderOptions } from '../../models/encoders/cross-encoder.ts';

/** Options of {@link CrossEncoderReranker.create}. */
export interface CrossEncoderRerankerOptions extends CrossEncoderOptions {
  /**
   * Read `title + "\n" + text` when a candidate has a title.
   * @default true
   */
  includeTitle?: boolean;
}

/** A reranker over a cross-encoder; hits carry the activated score. Build with `create`, release with `dispose`. */
export class CrossEncoderReranker implements Reranker {
  /** Stage name in traces. */
  readonly name = 'cross-encoder';
  /** The encoder this stage runs. */
  readonly encoder: CrossEncoder;
  readonly #includeTitle: boolean;

  /** Wrap an encoder the caller owns (`dispose` then releases it). */
  constructor(encoder: CrossEncoder, options: { includeTitle?: boolean } = {}) {
    this.encoder = encoder;
    this.#includeTitle = options.includeTitle ?? true;
  }

  /** Load the model and build the stage. */
  static async create(options: CrossEncoderRerankerOptions): Promise<CrossEncoderReranker> {
    return new CrossEncoderReranker(await CrossEncoder.create(options), options);
  }

  /** Score all candidates and return the top `k`, sorted by score desc, then id. */
  async rerank(query: string, candidates: Candidate[], k: number, options: SearchOptions = {}): Promise<Hit[]> {
    checkAbort(options.signal);
    if (candidates.length === 0) return [];
    const scores = await this.encoder.score(
      query,
      candidates.map((c) => candidateText(c, this.#includeTitle)),
    );
    checkAbort(options.signal);
    return topHits(
      candidates,
      scores.map((s) => s.score),
      k,
    );
  }

  /** Release the encoder's session. */
  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }
}
