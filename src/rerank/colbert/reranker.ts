/** The ColBERT second stage: encode query and candidates as token matrices, score by MaxSim. */
import type { Candidate, Hit, Reranker, SearchOptions } from '../../core/types.ts';
import { MultiVectorEncoder, type MultiVectorEncoderOptions } from '../../models/encoders/multi-vector.ts';
import { candidateText, checkAbort, topHits } from '../cross-encoder/reranker.ts';
import { maxSim } from './maxsim.ts';

/** Options of {@link ColbertReranker.create}. */
export interface ColbertRerankerOptions extends MultiVectorEncoderOptions {
  /**
   * Read `title + "\n" + text` when a candidate has a title.
   * @default true
   */
  includeTitle?: boolean;
}

/** A reranker over a ColBERT encoder; hits carry the MaxSim score. Build with `create`, release with `dispose`. */
export class ColbertReranker implements Reranker {
  /** Stage name in traces. */
  readonly name = 'colbert';
  /** The encoder this stage runs. */
  readonly encoder: MultiVectorEncoder;
  readonly #includeTitle: boolean;

  /** Wrap an encoder the caller owns (`dispose` then releases it). */
  constructor(encoder: MultiVectorEncoder, options: { includeTitle?: boolean } = {}) {
    this.encoder = encoder;
    this.#includeTitle = options.includeTitle ?? true;
  }

  /** Load the model and build the stage. */
  static async create(options: ColbertRerankerOptions): Promise<ColbertReranker> {
    return new ColbertReranker(await MultiVectorEncoder.create(options), options);
  }

  /** Score all candidates by MaxSim and return the top `k`, sorted by score then id. */
  async rerank(query: string, candidates: Candidate[], k: number, options: SearchOptions = {}): Promise<Hit[]> {
    checkAbort(options.signal);
    if (candidates.length === 0) return [];
    const [q] = await this.encoder.encodeQueries([query]);
    const docs = await this.encoder.encodeDocuments(candidates.map((c) => candidateText(c, this.#includeTitle)));
    checkAbort(options.signal);
    return topHits(candidates, docs.map((d) => maxSim(q.data, d.data, q.dims)), k);
  }

  /** Release the encoder's session. */
  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }
}
