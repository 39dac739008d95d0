/**
 * Orama 3 with its built-in English Porter stemmer, as its stemming guide recommends for English
 * (https://docs.orama.com/open-source/text-analysis/stemming: `components.tokenizer =
 * { language: 'english', stemming: true }`), default BM25 relevance (k 1.2, b 0.75, d 0.5),
 * `insertMultiple` to load, `search({ term, limit, properties })` with the default threshold
 * (documents matching any term). Title and text are one `content` property.
 */
import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import type { BenchDoc } from '../dataset.ts';
import { flatText, type BenchSystem } from './types.ts';

/** A fresh Orama database. */
export function createOrama(): BenchSystem {
  let db: AnyOrama | undefined;
  return {
    name: 'orama',
    async build(docs: readonly BenchDoc[]) {
      db = create({
        schema: { content: 'string' } as const,
        components: { tokenizer: { language: 'english', stemming: true } },
      });
      await insertMultiple(
        db,
        docs.map((d) => ({ id: d.id, content: flatText(d) })),
        1000,
      );
    },
    async search(text: string, k: number) {
      const res = await search(db!, { term: text, limit: k, properties: ['content'] });
      return res.hits.map((h) => ({ id: String(h.id), score: h.score }));
    },
  };
}
