/**
 * Lucene's SnowballFilter: a Snowball stemmer applied to every term, memoised (./memo.ts): some
 * Snowball programs (Turkish, Finnish) cost tens of microseconds per word.
 *
 * The stemmers come from the npm package `snowball-stemmers` (a JavaScript port of the Tartarus
 * Snowball generation that Lucene 8's `org.tartarus.snowball.ext.*Stemmer` classes were built
 * from). For the languages in {@link SnowballLanguage} it gives exactly Lucene's stems on every
 * distinct word of the test text and of the held-back text (test/text/lucene-diff.test.ts,
 * test/text/lucene-held-back.test.ts).
 *
 * Hungarian: Lucene 8's HungarianStemmer was generated from the Latin-1 era source of the
 * algorithm, which spells ő and ű as õ (U+00F5) and û (U+00FB); the package's program spells them
 * as ő (U+0151) and ű (U+0171). So in Lucene a real ő or ű is neither a vowel nor part of any
 * suffix (`sőt` stays `sőt`, `-ről`/`-től` are never removed) while õ and û are. Swapping the two
 * spellings around the package's stemmer gives exactly Lucene's stems (0 differences on 31,141
 * distinct Hungarian words of the test and held-back text).
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
  | 'armenian'
  | 'basque'
  | 'catalan'
  | 'danish'
  | 'dutch'
  | 'finnish'
  | 'hungarian'
  | 'irish'
  | 'norwegian'
  | 'romanian'
  | 'russian'
  | 'swedish'
  | 'turkish';

/** A fresh Snowball stemmer for `language` (stateful: one per analyzer; stemming is synchronous). */
export function snowballStemmer(language: SnowballLanguage): (word: string) => string {
  let stemmer: { stem(word: string): string } | undefined; // made on the first word, so building an analyzer loads nothing
  const stem = (word: string) =>
    (stemmer ??= (snowball ??= createRequire(import.meta.url)('snowball-stemmers') as SnowballStemmers).newStemmer(language)).stem(word);
  if (language === 'hungarian') return (word) => swapLatin1Spellings(stem(swapLatin1Spellings(word)));
  return stem;
}

const LATIN1_SPELLINGS: Readonly<Record<string, string>> = { ő: 'õ', õ: 'ő', ű: 'û', û: 'ű' };

/** ő ↔ õ and ű ↔ û (an involution): the Hungarian program's spelling ↔ Lucene 8's. */
function swapLatin1Spellings(word: string): string {
  return /[őõűû]/.test(word) ? word.replace(/[őõűû]/g, (c) => LATIN1_SPELLINGS[c]) : word;
}

/** SnowballFilter for `language` (one instance per analyzer). */
export function snowballFilter(language: SnowballLanguage): TermFilter {
  return memoize(snowballStemmer(language));
}
