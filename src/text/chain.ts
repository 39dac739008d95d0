/**
 * Analysis chains in Lucene's shape: a tokenizer, then token filters in order. A token filter here
 * maps one term to one term, or to `null` to drop it (Lucene's StopFilter); filters that need the
 * whole stream (CJK bigrams) are written as analyzers of their own.
 */
import type { Analyzer } from './analyzer.ts';
import { memoize } from './filters/memo.ts';
import { tokenize } from './tokenize.ts';

/** One token filter: the new term, or `null` to drop the token. */
export type TermFilter = (term: string) => string | null;

/** The terms of `text` through `filters`, in order, after Lucene's StandardTokenizer (or `tokenizer`). */
export function runChain(text: string, filters: readonly TermFilter[], tokenizer: (text: string) => string[] = tokenize): string[] {
  const tokens = tokenizer(text);
  let n = 0;
  outer: for (let i = 0; i < tokens.length; i++) {
    let term: string | null = tokens[i];
    for (const filter of filters) {
      term = filter(term);
      if (term === null) continue outer;
    }
    tokens[n++] = term;
  }
  tokens.length = n;
  return tokens;
}

/** `filters` run in order as one filter (`null` as soon as one drops the term). */
export function composeFilters(filters: readonly TermFilter[]): TermFilter {
  return (term) => {
    let out: string | null = term;
    for (const filter of filters) {
      out = filter(out);
      if (out === null) return null;
    }
    return out;
  };
}

/**
 * A frozen analyzer with id `id` that runs `filters` after the tokenizer. The filters are pure, so
 * the whole chain's result is remembered per token (./filters/memo.ts): running text repeats its
 * words, and a repeated token then costs one lookup instead of lowercasing, normalising and
 * stemming again.
 */
export function chainAnalyzer(id: string, filters: readonly TermFilter[], tokenizer?: (text: string) => string[]): Analyzer {
  const chain = [memoize(composeFilters(filters))];
  return Object.freeze({ id, analyze: (text: string) => runChain(text, chain, tokenizer) });
}
