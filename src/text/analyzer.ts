/**
 * Analyzers turn text into the terms BM25 indexes and matches. An analyzer's `id` is stored in
 * every index it builds (with a version), so an index refuses to open with another analyzer.
 */

/** Text → terms, in order. Pure and deterministic. */
export interface Analyzer {
  /** Stable id including a version, e.g. `english@1`; stored in indexes. */
  readonly id: string;
  /**
   * Set when the analyzer is known to differ from the Lucene analyzer it follows: says how, with
   * the measured line match (see docs/analyzers.md). Absent for analyzers equal to Lucene's.
   */
  readonly experimental?: string;
  /** The terms of `text`, in document order (stop words removed, stemmed, per the analyzer). */
  analyze(text: string): string[];
}
