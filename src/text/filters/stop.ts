/**
 * Lucene's StopFilter over each language analyzer's default stop set (Lucene 8.x, shipped here as
 * data: ../stopwords-data.ts). Sets are built on first use.
 */
import { STOPWORD_DATA } from '../stopwords-data.ts';
import type { TermFilter } from '../chain.ts';

/** A language whose Lucene analyzer has a default stop set. */
export type StopLanguage = keyof typeof STOPWORD_DATA;

const sets = new Map<StopLanguage, ReadonlySet<string>>();

/** The default stop words of `language`'s Lucene analyzer. */
export function stopWords(language: StopLanguage): ReadonlySet<string> {
  let set = sets.get(language);
  if (!set) {
    set = new Set(STOPWORD_DATA[language].split(' '));
    sets.set(language, set);
  }
  return set;
}

/**
 * StopFilter: drops a term found in `language`'s stop set (exact match, after lowercasing). The set
 * is built on the first term, so the analyzer registry costs nothing at import for unused languages.
 */
export function stopFilter(language: StopLanguage): TermFilter {
  let set: ReadonlySet<string> | undefined;
  return (term) => ((set ??= stopWords(language)).has(term) ? null : term);
}
