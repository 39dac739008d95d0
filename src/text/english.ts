/**
 * The `english` analyzer: Lucene 8.7's `EnglishAnalyzer`
 * (lucene/analysis/common/src/java/org/apache/lucene/analysis/en/EnglishAnalyzer.java), the
 * analyzer behind the reference BM25 runs (Anserini, BEIR "flat"). Its chain, in Lucene's order:
 *
 * 1. StandardTokenizer (UAX#29 words, max 255 units) — {@link tokenize}
 * 2. EnglishPossessiveFilter — drops a trailing `'s`, `’s` or `＇s` (any case of `s`)
 * 3. LowerCaseFilter — per code point — {@link lowerCase}
 * 4. StopFilter — the 33 {@link ENGLISH_STOP_WORDS}
 * 5. PorterStemFilter — {@link porterStem}
 */
import type { Analyzer } from './analyzer.ts';
import { lowerCase } from './lowercase.ts';
import { porterStem } from './porter.ts';
import { ENGLISH_STOP_WORDS } from './stopwords.ts';
import { tokenize } from './tokenize.ts';

/** `token` without a trailing possessive `'s` (also `’s`, `＇s`, `'S`), as EnglishPossessiveFilter. */
export function stripPossessive(token: string): string {
  const n = token.length;
  if (n < 2) return token;
  const last = token.charCodeAt(n - 1);
  if (last !== 115 && last !== 83) return token; // s S
  const quote = token.charCodeAt(n - 2);
  return quote === 39 || quote === 0x2019 || quote === 0xff07 ? token.slice(0, n - 2) : token;
}

/** The terms of `text` under Lucene 8.7's EnglishAnalyzer. */
export function analyzeEnglish(text: string): string[] {
  const tokens = tokenize(text);
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const term = lowerCase(stripPossessive(tokens[i]));
    if (!ENGLISH_STOP_WORDS.has(term)) tokens[n++] = porterStem(term);
  }
  tokens.length = n;
  return tokens;
}

/** Lucene 8.7 EnglishAnalyzer: UAX#29 words, possessives, lowercase, 33 stop words, Porter. */
export const englishAnalyzer: Analyzer = Object.freeze({ id: 'english@1', analyze: analyzeEnglish });
