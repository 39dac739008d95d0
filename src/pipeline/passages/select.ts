/**
 * Choosing a document's best passages. A passage is one of the document's chunks (the
 * collection's chunking), so its offsets point into the document's text.
 *
 * `termDensityScores` is the lexical choice (a BM25-ranked hit): each chunk scored by BM25 over the
 * document's own chunks (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and
 * Beyond", 2009), terms from the collection's analyzer — a query term that is in every chunk of
 * the document tells the chunks apart less than one that is in a single chunk, and a chunk dense in
 * query terms beats a long one that holds them once. Pure functions.
 */
import { compareHits, type Passage } from '../../core/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import type { TextChunk } from '../../text/chunk.ts';

/** Settings of {@link termDensityScores}: Anserini's BM25 defaults. */
const K1 = 0.9;
const B = 0.4;

/**
 * One score per chunk: Σ over distinct query terms t in the chunk of
 * idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avglen)), idf and avglen over the document's chunks.
 * Chunks without a query term score 0.
 */
export function termDensityScores(chunkTerms: readonly (readonly string[])[], queryTerms: readonly string[]): number[] {
  const query = [...new Set(queryTerms)];
  const n = chunkTerms.length;
  if (n === 0 || query.length === 0) return chunkTerms.map(() => 0);
  const tfs = chunkTerms.map((terms) => {
    const tf = new Map<string, number>();
    for (const t of terms) if (query.includes(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const avg = chunkTerms.reduce((s, t) => s + t.length, 0) / n || 1;
  const idf = new Map(
    query.map((t) => {
      const df = tfs.reduce((c, tf) => c + (tf.has(t) ? 1 : 0), 0);
      return [t, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
  return tfs.map((tf, i) => {
    let s = 0;
    for (const [t, f] of tf) s += (idf.get(t)! * f * (K1 + 1)) / (f + K1 * (1 - B + (B * chunkTerms[i].length) / avg));
    return s;
  });
}

/**
 * The `n` best chunks as passages, best first (score desc, then chunk order). When no chunk
 * scores above 0 the first chunk stands for the document (score 0).
 */
export function topPassages(chunks: readonly TextChunk[], scores: readonly number[], n: number): Passage[] {
  if (n <= 0 || chunks.length === 0) return [];
  const ranked = chunks
    .map((c, i) => ({ id: String(i).padStart(8, '0'), score: scores[i] ?? 0, c }))
    .sort(compareHits)
    .filter((r, i) => r.score > 0 || i === 0)
    .slice(0, n);
  if (ranked[0].score <= 0) return [toPassage(chunks[0], 0)];
  return ranked.filter((r) => r.score > 0).map((r) => toPassage(r.c, r.score));
}

/** The chunks of one document, best first by the analyzer's query-term density. */
export function densityPassages(chunks: readonly TextChunk[], query: string, analyzer: Analyzer, n: number): Passage[] {
  const queryTerms = analyzer.analyze(query);
  return topPassages(
    chunks,
    termDensityScores(
      chunks.map((c) => analyzer.analyze(c.text)),
      queryTerms,
    ),
    n,
  );
}

/** A chunk as a passage with `score`. */
export function toPassage(c: TextChunk, score: number): Passage {
  return { text: c.text, start: c.start, end: c.end, chunk: c.index, score };
}
