/**
 * `shortlist/langchain`: LangChain.js integration (needs the optional peer `@langchain/core`).
 * `ShortlistRetriever` searches a collection; `ShortlistReranker` reorders any documents with a
 * shortlist reranker.
 *
 * @module shortlist/langchain
 */
export { ShortlistRetriever, type ShortlistRetrieverInput, type Searchable } from './retriever.ts';
export { ShortlistReranker, type ShortlistRerankerInput } from './reranker.ts';
export { hitsToDocuments, type ShortlistMetadata, type HitPassage } from './documents.ts';
