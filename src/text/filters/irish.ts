/**
 * IrishAnalyzer's own steps (Lucene 8.x, org.apache.lucene.analysis.ga): the hyphenation stop
 * set it applies before elision, and IrishLowerCaseFilter, which writes the prefix of an
 * eclipsed or t-prothesis vowel with a hyphen (`nAthair` → `n-athair`) before lowercasing.
 */
import type { TermFilter } from '../chain.ts';
import { lowerCase } from '../lowercase.ts';

const HYPHENATIONS = new Set(['h', 'n', 't']);

/** IrishAnalyzer.HYPHENATIONS as a StopFilter (case-insensitive): drops `h`, `n`, `t` in any case. */
export const irishHyphenationFilter: TermFilter = (term) => (HYPHENATIONS.has(lowerCase(term)) ? null : term);

const UPPER_VOWELS = new Set([65, 69, 73, 79, 85, 193, 201, 205, 211, 218]); // A E I O U Á É Í Ó Ú

/** IrishLowerCaseFilter. */
export const irishLowerCaseFilter: TermFilter = (term) => {
  if (term.length > 1 && (term[0] === 'n' || term[0] === 't') && UPPER_VOWELS.has(term.charCodeAt(1))) {
    return `${term[0]}-${lowerCase(term.slice(1))}`;
  }
  return lowerCase(term);
};
