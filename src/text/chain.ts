/**
 * Analysis chains in Lucene's shape: a tokenizer, then token filters in order. A token filter here
 * maps one term to one term, or to `null` to drop it (Lucene's StopFilter); filters that need the
 * whole stream (CJK bigrams) are written as analyzers of their own.
 */
import type { Analyzer } from './analyzer.ts';
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

/** A frozen analyzer with id `id` that runs `filters` after the tokenizer. */
export function chainAnalyzer(id: string, filters: readonly TermFilter[], tokenizer?: (text: string) => string[]): Analyzer {
  return Object.freeze({ id, analyze: (text: string) => runChain(text, filters, tokenizer) });
}
