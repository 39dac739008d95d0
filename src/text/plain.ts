/**
 * The `plain` analyzer, for any language: Lucene's StandardTokenizer words, lowercased per code
 * point. No stop words, no stemming (Lucene's `StandardAnalyzer` with an empty stop set).
 */
import type { Analyzer } from './analyzer.ts';
import { lowerCase } from './lowercase.ts';
import { tokenize } from './tokenize.ts';

/** The lowercased UAX#29 words of `text`. */
export function analyzePlain(text: string): string[] {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) tokens[i] = lowerCase(tokens[i]);
  return tokens;
}

/** Words and lowercase only: no stop words, no stemming. */
export const plainAnalyzer: Analyzer = Object.freeze({ id: 'plain@1', analyze: analyzePlain });
