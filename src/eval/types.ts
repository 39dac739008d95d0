/**
 * The two shapes evaluation works on: relevance judgments (qrels) and a ranked run.
 */

/**
 * Relevance judgments: query id → (document id → grade). Grades are integers as trec_eval reads
 * them; a grade > 0 is relevant, 0 (or below) is judged non-relevant, and a document that is
 * absent is unjudged, which every metric treats as non-relevant.
 */
export type Qrels = Map<string, Map<string, number>>;

/** One retrieved document of a run. */
export interface RunEntry {
  docid: string;
  score: number;
}

/**
 * A ranked run: query id → retrieved documents. The order of the array does not matter for
 * evaluation: like trec_eval, metrics re-sort by score (descending), ties by document id in
 * descending byte order. A docid may appear at most once per query.
 */
export type Run = Map<string, RunEntry[]>;
