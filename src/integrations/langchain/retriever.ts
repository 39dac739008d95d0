/** `ShortlistRetriever`: a LangChain.js retriever over a shortlist collection (or any pipeline). */
import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import type { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { Hit } from '../../core/types.ts';
import { hitsToDocuments, type ShortlistMetadata } from './documents.ts';

/** What the retriever searches: a `Collection`, or a `Pipeline` (which ignores `k` and `filter`). */
export interface Searchable {
  search(query: string, options?: { k?: number; filter?: string; signal?: AbortSignal }): Promise<{ hits: Hit[] }>;
}

/** Options of {@link ShortlistRetriever}. */
export interface ShortlistRetrieverInput extends BaseRetrieverInput {
  /** The collection (from `Collection.open`) or pipeline to search; the caller owns and closes it. */
  collection: Searchable;
  /** How many documents to return. @default the collection pipeline's k */
  k?: number;
  /** A metadata where clause, e.g. `"year >= 2020 AND lang = 'en'"`. @default none */
  filter?: string;
  /**
   * Return one document per passage (`hit.passages`, the best chunks of each hit) instead of one
   * per hit: smaller, more precise context for an LLM. A hit without passages yields its whole text.
   * @default false
   */
  passages?: boolean;
}

/**
 * A LangChain `BaseRetriever` over a shortlist collection: each query runs the collection's whole
 * pipeline (first stage → fusion → rerankers → cut); documents carry the id, score, rank and the
 * stage trace in their metadata.
 */
export class ShortlistRetriever extends BaseRetriever<ShortlistMetadata & Record<string, unknown>> {
  static override lc_name(): string {
    return 'ShortlistRetriever';
  }

  lc_namespace = ['shortlist', 'retrievers'];
  readonly collection: Searchable;
  readonly k?: number;
  readonly filter?: string;
  readonly passages: boolean;

  constructor(fields: ShortlistRetrieverInput) {
    super(fields);
    this.collection = fields.collection;
    this.k = fields.k;
    this.filter = fields.filter;
    this.passages = fields.passages ?? false;
  }

  override async _getRelevantDocuments(
    query: string,
    _run?: CallbackManagerForRetrieverRun,
  ): Promise<Document<ShortlistMetadata & Record<string, unknown>>[]> {
    const options = {
      ...(this.k !== undefined ? { k: this.k } : {}),
      ...(this.filter !== undefined ? { filter: this.filter } : {}),
      ...(this.passages ? { passages: true } : {}),
    };
    const { hits } = await this.collection.search(query, options);
    return hitsToDocuments(hits, this.passages);
  }
}
