/**
 * The `thai` analyzer: Lucene 8.x's ThaiAnalyzer (org.apache.lucene.analysis.th) — ThaiTokenizer,
 * LowerCaseFilter, DecimalDigitFilter, StopFilter (Lucene's 115 Thai stop words).
 *
 * ThaiTokenizer segments words with the JDK's dictionary-based BreakIterator for Thai; shortlist
 * uses ICU's (`Intl.Segmenter`), whose dictionary differs, and keeps Lucene's rule of emitting
 * only segments that start with a letter or digit. This analyzer is therefore registered as
 * experimental: docs/analyzers.md gives the measured line match against Lucene.
 */
import type { Analyzer } from './analyzer.ts';
import { chainAnalyzer } from './chain.ts';
import { decimalDigitFilter } from './filters/arabic.ts';
import { lowerCaseFilter } from './filters/lowercase.ts';
import { stopFilter } from './filters/stop.ts';

let segmenter: Intl.Segmenter | undefined; // built on first use (ICU's dictionary data is costly to load)
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]/u;

/** ThaiTokenizer's words, by ICU's dictionary: segments that start with a letter or digit. */
export function tokenizeThai(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of (segmenter ??= new Intl.Segmenter('th', { granularity: 'word' })).segment(text)) if (LETTER_OR_DIGIT.test(segment)) out.push(segment);
  return out;
}

/** Lucene 8.x ThaiAnalyzer with ICU word segmentation (experimental: see docs/analyzers.md). */
export const thaiAnalyzer: Analyzer = Object.freeze({
  ...chainAnalyzer('thai@1', [lowerCaseFilter, decimalDigitFilter, stopFilter('thai')], tokenizeThai),
  experimental:
    "word segmentation by ICU's Thai dictionary, not the JDK's: 295 of 1,500 test sentences give exactly Lucene's terms",
});
