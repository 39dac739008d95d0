/**
 * What to mine for: BEIR queries + qrels (positives are the judged documents, read from the
 * collection), or a JSONL of `{query, positive}` pairs (sentence-transformers' (anchor, positive)
 * pairs; `anchor` is accepted for `query`). Pairs sharing a query become one item with several positives.
 */
import { ShortlistError } from '../../core/errors.ts';
import { readJsonl } from '../../core/jsonl.ts';
import type { Document, Query } from '../../core/types.ts';
import type { Qrels } from '../../eval/types.ts';
import { passageText, type MineItem } from './mine.ts';

/** Items from queries and qrels: judged documents with grade >= `minGrade` are the positives; queries without one are left out. */
export function itemsFromQrels(
  queries: readonly Query[],
  qrels: Qrels,
  lookup: (id: string) => Document | undefined,
  minGrade = 1,
): MineItem[] {
  const items: MineItem[] = [];
  for (const q of queries) {
    const judged = qrels.get(q.id);
    if (!judged) continue;
    const positives: MineItem['positives'] = [];
    for (const [id, grade] of judged) {
      if (grade < minGrade) continue;
      const d = lookup(id);
      if (!d)
        throw new ShortlistError(
          'INVALID_INPUT',
          `qrels name document "${id}" (query ${q.id}) but the collection has no such document; add the corpus or fix the qrels`,
        );
      positives.push({ id, text: passageText(d) });
    }
    if (positives.length > 0) items.push({ queryId: q.id, query: q.text, positives });
  }
  if (items.length === 0)
    throw new ShortlistError('EMPTY_INPUT', 'no query has a judged positive (grade >= 1) in the qrels; check that query ids match');
  return items;
}

/** Items from a pairs JSONL (`{"query": …, "positive": …}` per line; `anchor` for `query` also works). */
export async function readPairs(file: string): Promise<MineItem[]> {
  const byQuery = new Map<string, MineItem>();
  for await (const { value, line } of readJsonl(file)) {
    const rec = value as Record<string, unknown>;
    const query = rec?.query ?? rec?.anchor;
    const positive = rec?.positive;
    if (typeof query !== 'string' || typeof positive !== 'string') {
      throw new ShortlistError('INVALID_INPUT', 'each line needs string fields "query" (or "anchor") and "positive"', {
        location: { file, line },
      });
    }
    const item = byQuery.get(query) ?? { query, positives: [] };
    if (!item.positives.some((p) => p.text === positive)) item.positives.push({ text: positive });
    byQuery.set(query, item);
  }
  if (byQuery.size === 0) throw new ShortlistError('EMPTY_INPUT', `${file} holds no pairs`);
  return [...byQuery.values()];
}
