/**
 * Lucene's English stop words: `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET` (Lucene 8.7,
 * lucene/analysis/common/src/java/org/apache/lucene/analysis/en/EnglishAnalyzer.java), 33 words.
 */

/** The 33 lowercase stop words Lucene's EnglishAnalyzer removes. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these',
  'they', 'this', 'to', 'was', 'will', 'with',
]);
