/**
 * The analyzers shortlist ships, in one frozen registry. An analyzer's `id` (name plus version) is
 * stored in every index it builds; `getAnalyzer` turns a configured name into the analyzer.
 */
import { ShortlistError } from '../core/errors.ts';
import type { Analyzer } from './analyzer.ts';
import { englishAnalyzer } from './english.ts';
import { plainAnalyzer } from './plain.ts';

/** Every analyzer by name. `english` matches Lucene 8.7's EnglishAnalyzer; `plain` only splits and lowercases. */
export const ANALYZERS = Object.freeze({
  english: englishAnalyzer,
  plain: plainAnalyzer,
} as const satisfies Record<string, Analyzer>);

/** A registered analyzer name. */
export type AnalyzerName = keyof typeof ANALYZERS;

/** The analyzer registered as `name` (`english`, `plain`); a versioned id such as `english@1` also works. */
export function getAnalyzer(name: string): Analyzer {
  if (Object.hasOwn(ANALYZERS, name)) return ANALYZERS[name as AnalyzerName];
  for (const analyzer of Object.values(ANALYZERS)) if (analyzer.id === name) return analyzer;
  const valid = Object.keys(ANALYZERS).join(', ');
  throw new ShortlistError('INVALID_ARGUMENT', `unknown analyzer "${name}"; valid analyzers: ${valid}`);
}

export type { Analyzer } from './analyzer.ts';
export { englishAnalyzer, analyzeEnglish, stripPossessive } from './english.ts';
export { plainAnalyzer, analyzePlain } from './plain.ts';
export { tokenize, MAX_TOKEN_LENGTH } from './tokenize.ts';
export { lowerCase } from './lowercase.ts';
export { ENGLISH_STOP_WORDS } from './stopwords.ts';
export { porterStem } from './porter.ts';
