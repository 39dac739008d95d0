/**
 * Lucene's SnowballFilter: a Snowball stemmer applied to every term, memoised (./memo.ts): some
 * Snowball programs (Turkish, Finnish) cost tens of microseconds per word.
 *
 * The stemmers come from the npm package `snowball-stemmers` (a JavaScript port of the Tartarus
 * Snowball generation that Lucene 8's `org.tartarus.snowball.ext.*Stemmer` classes were built
 * from). For the languages in {@link SnowballLanguage} it gives exactly Lucene's stems on every
 * distinct word of the test text (test/text/lucene-diff.test.ts); Hungarian is close but not
 * equal (experimental, see docs/analyzers.md).
 */
import { createRequire } from 'node:module';
import type { TermFilter } from '../chain.ts';
import { memoize } from './memo.ts';

/** The package's API (CommonJS, without types). */
interface SnowballStemmers {
  newStemmer(language: string): { stem(word: string): string };
}

// Required on first use: the package is one 850 kB script, which an English or plain analyzer never needs.
let snowball: SnowballStemmers | undefined;

/** The Snowball languages shortlist uses. */
export type SnowballLanguage =
  | 'armenian' | 'basque' | 'catalan' | 'danish' | 'dutch' | 'finnish' | 'hungarian'
  | 'irish' | 'norwegian' | 'romanian' | 'russian' | 'swedish' | 'turkish';

/** A fresh Snowball stemmer for `language` (stateful: one per analyzer; stemming is synchronous). */
export function snowballStemmer(language: SnowballLanguage): (word: string) => string {
  let stemmer: { stem(word: string): string } | undefined; // made on the first word, so building an analyzer loads nothing
  return (word) => (stemmer ??= (snowball ??= createRequire(import.meta.url)('snowball-stemmers') as SnowballStemmers).newStemmer(language)).stem(word);
}

/** SnowballFilter for `language` (one instance per analyzer). */
export function snowballFilter(language: SnowballLanguage): TermFilter {
  return memoize(snowballStemmer(language));
}
