/** The BM25 index as a pipeline first stage: hits carry their stored documents. */
import { ShortlistError } from '../../core/errors.ts';
import type { Hit, Retriever, SearchOptions } from '../../core/types.ts';
import type { Bm25Index } from './index.ts';
import type { Bm25Params } from './similarity.ts';

/** Options for {@link Bm25Retriever}. */
export interface Bm25RetrieverOptions extends Bm25Params {
  /** Attach each hit's stored document (title, text, metadata), which rerankers need. @default true */
  withDocuments?: boolean;
}

/** First stage over a {@link Bm25Index}. */
export class Bm25Retriever implements Retriever {
  readonly name = 'bm25';
  private readonly options: Readonly<Bm25RetrieverOptions>;

  constructor(
    private readonly index: Bm25Index,
    options: Bm25RetrieverOptions = {},
  ) {
    this.options = Object.freeze({ withDocuments: true, ...options });
  }

  /** The top `k` hits for `query`, sorted by score desc then id asc. */
  async search(query: string, k: number, options: SearchOptions = {}): Promise<Hit[]> {
    if (options.signal?.aborted) throw new ShortlistError('ABORTED', 'the BM25 search was cancelled', { cause: options.signal.reason });
    const { k1, b } = this.options;
    const top = this.index.searchDocs(this.index.analyzer.analyze(query), k, { k1, b });
    const hits: Hit[] = Array.from(top.docs, (d, i) => ({
      id: this.index.idAt(d),
      score: top.scores[i],
      ...(this.options.withDocuments ? { document: this.index.documentAt(d) } : {}),
    }));
    return hits;
  }
}
