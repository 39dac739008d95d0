/**
 * Memoised token filters: a stemmer gives a word the same stem every time, and running text
 * repeats its words, so each analyzer remembers the stems of up to {@link MEMO_SIZE} distinct
 * words (and starts afresh when full). Only for pure filters.
 */
import type { TermFilter } from '../chain.ts';

/** Most distinct words remembered per filter. */
export const MEMO_SIZE = 50_000;

/** `filter` with its results remembered (`filter` must be pure; a `null`, a dropped term, is remembered too). */
export function memoize(filter: TermFilter): TermFilter {
  const memo = new Map<string, string | null>();
  return (term) => {
    let out = memo.get(term);
    if (out === undefined) {
      out = filter(term);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(term, out);
    }
    return out;
  };
}
