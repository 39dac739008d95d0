/**
 * The analyzers shortlist ships, in one frozen registry. An analyzer's `id` (name plus version) is
 * stored in every index it builds; `getAnalyzer` turns a configured name into the analyzer.
 */
import { ShortlistError } from '../core/errors.ts';
import type { Analyzer } from './analyzer.ts';
import { englishAnalyzer } from './english.ts';
import { LANGUAGE_ANALYZERS, LANGUAGE_CODES } from './languages.ts';
import { plainAnalyzer } from './plain.ts';

/**
 * Every analyzer by name. `english` matches Lucene 8.7's EnglishAnalyzer, each language analyzer
 * (./languages.ts) Lucene's analyzer for that language; `plain` only splits and lowercases.
 */
export const ANALYZERS = Object.freeze({
  english: englishAnalyzer,
  plain: plainAnalyzer,
  ...LANGUAGE_ANALYZERS,
} as const satisfies Record<string, Analyzer>);

/** A registered analyzer name. */
export type AnalyzerName = keyof typeof ANALYZERS;

/** Other names for analyzers: ISO 639-1 codes (`de` → `german`), `en` → `english`. */
export const ANALYZER_ALIASES: Readonly<Record<string, AnalyzerName>> = Object.freeze({ en: 'english', ...LANGUAGE_CODES });

/** Every name `getAnalyzer` accepts without a version: analyzer names and aliases (for CLI choices and schemas). */
export const ANALYZER_NAMES: readonly string[] = Object.freeze([...Object.keys(ANALYZERS), ...Object.keys(ANALYZER_ALIASES)]);

/**
 * The analyzer registered as `name` (`english`, `german`, `plain`), an alias (`de`), or a
 * versioned id such as `german@1` (what an index stores).
 */
export function getAnalyzer(name: string): Analyzer {
  if (Object.hasOwn(ANALYZERS, name)) return ANALYZERS[name as AnalyzerName];
  if (Object.hasOwn(ANALYZER_ALIASES, name)) return ANALYZERS[ANALYZER_ALIASES[name]];
  for (const analyzer of Object.values(ANALYZERS)) if (analyzer.id === name) return analyzer;
  const valid = Object.keys(ANALYZERS).join(', ');
  const aliases = Object.keys(ANALYZER_ALIASES).join(', ');
  throw new ShortlistError('INVALID_ARGUMENT', `unknown analyzer "${name}"; valid analyzers: ${valid} (or a language code: ${aliases})`);
}

export type { Analyzer } from './analyzer.ts';
export { englishAnalyzer, analyzeEnglish, stripPossessive } from './english.ts';
export { plainAnalyzer, analyzePlain } from './plain.ts';
export { tokenize, MAX_TOKEN_LENGTH } from './tokenize.ts';
export { lowerCase } from './lowercase.ts';
export { ENGLISH_STOP_WORDS } from './stopwords.ts';
export { porterStem } from './porter.ts';
