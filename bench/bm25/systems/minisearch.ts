/**
 * MiniSearch 7, as its README sets it up (https://github.com/lucaong/minisearch#readme): default
 * tokenizer and term processing (lower-case, no stemming, no stop words), default search options —
 * `combineWith: 'OR'`, no prefix or fuzzy matching — and its default BM25+ scoring
 * (k 1.2, b 0.7, d 0.5; https://lucaong.github.io/minisearch/types/MiniSearch.SearchOptions.html).
 * Title and text are indexed as one field so every system scores the same text.
 */
import MiniSearch from 'minisearch';
import type { BenchDoc } from '../dataset.ts';
import { flatText, type BenchSystem } from './types.ts';

/** A fresh MiniSearch index. */
export function createMiniSearch(): BenchSystem {
  const ms = new MiniSearch<{ id: string; content: string }>({ fields: ['content'], idField: 'id' });
  return {
    name: 'minisearch',
    async build(docs: readonly BenchDoc[]) {
      ms.addAll(docs.map((d) => ({ id: d.id, content: flatText(d) })));
    },
    search(text: string, k: number) {
      return ms
        .search(text, { combineWith: 'OR' })
        .slice(0, k)
        .map((r) => ({ id: String(r.id), score: r.score }));
    },
  };
}
