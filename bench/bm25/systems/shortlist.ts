/**
 * shortlist's own BM25 (src/retrieve/bm25): `Bm25Index.build` over the documents with the English
 * analyzer (Lucene EnglishAnalyzer equivalent), title + text as one field, Anserini's k1 0.9 / b 0.4
 * (the index's defaults), MaxScore top-k. The build includes shortlist's document store, in memory.
 */
import type { Document } from '../../../src/core/types.ts';
import { Bm25Index } from '../../../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../../../src/text/index.ts';
import type { BenchSystem } from './types.ts';

/** shortlist's BM25 with the English analyzer, k1 0.9, b 0.4. */
export function createShortlist(): BenchSystem {
  let index: Bm25Index | undefined;
  return {
    name: 'shortlist',
    async build(docs: readonly Document[]) {
      index = await Bm25Index.build(docs, { analyzer: getAnalyzer('english') });
      void index.size; // settle any staged work so the index is ready to search
    },
    search(text: string, k: number) {
      return index!.search(text, k);
    },
  };
}
