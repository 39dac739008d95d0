/**
 * The shapes every stage shares: documents, queries, ranked hits with a per-stage trace, and the
 * two stage interfaces (first stage `Retriever`, second stage `Reranker`).
 */

/** A document as ingested. `title` and `text` are searched; `metadata` is carried along. */
export interface Document {
  id: string;
  text: string;
  title?: string;
  metadata?: Record<string, unknown>;
}

/** A query: its id (for evaluation runs) and its text. */
export interface Query {
  id: string;
  text: string;
}

/** One stage's view of a hit: which stage, the rank it gave (1-based) and its score. */
export interface TraceEntry {
  stage: string;
  rank: number;
  score: number;
  /** P(relevant) from the stage's stored calibration, when the stage cuts by `minRelevance`. */
  probability?: number;
}

/**
 * A passage of a document: a chunk's text with its character range in the document's `text`
 * (`document.text.slice(start, end) === text`), its chunk number and the score that chose it.
 */
export interface Passage {
  text: string;
  /** Offset of the passage's first character in the document's text. */
  start: number;
  /** Offset just after its last character. */
  end: number;
  /** 0-based chunk number within the document (the collection's chunking). */
  chunk: number;
  /** The score that ranked the passage among the document's chunks (or the hit's score in a passage-unit pipeline). */
  score: number;
}

/** One ranked result. `trace` lists the rank and score at every stage it went through. */
export interface Hit {
  /** The document id; in a passage-unit pipeline the chunk id `<documentId>#<chunk>`. */
  id: string;
  score: number;
  /** The stored document, when the stage that produced the hit has it. */
  document?: Document;
  trace?: TraceEntry[];
  /** The hit's best passages, best first (a collection attaches them to its final hits; see `docs/passages.md`). */
  passages?: Passage[];
  /** Scores a stage gave to some of the document's chunks, best first (dense retrieval keeps them so passages follow the chunk scores). */
  chunkScores?: { chunk: number; score: number }[];
}

/** Options every retriever accepts. */
export interface SearchOptions {
  /** Abort the search. */
  signal?: AbortSignal;
}

/** A first stage: from a query to the top `k` hits, best first. */
export interface Retriever {
  /** Short name shown in traces and timings, e.g. `bm25`. */
  readonly name: string;
  /** The top `k` hits for `query`, sorted by {@link compareHits}. */
  search(query: string, k: number, options?: SearchOptions): Promise<Hit[]>;
}

/** A candidate handed to a reranker: the hit and the text to read. */
export interface Candidate {
  id: string;
  text: string;
  title?: string;
  /** The score the previous stage gave it. */
  score?: number;
}

/** A second stage: reorder candidates by reading query and document together. */
export interface Reranker {
  /** Short name shown in traces and timings, e.g. `cross-encoder`. */
  readonly name: string;
  /** The top `k` of `candidates` for `query`, re-scored and sorted by {@link compareHits}. */
  rerank(query: string, candidates: Candidate[], k: number, options?: SearchOptions): Promise<Hit[]>;
}

/**
 * The fixed order of a ranked list: score descending, then id ascending, so equal scores always
 * come out in the same order whatever the input order was.
 */
export function compareHits(a: { id: string; score: number }, b: { id: string; score: number }): number {
  if (a.score !== b.score) return b.score > a.score ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
