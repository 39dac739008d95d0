/**
 * BM25 inside Postgres with exactly the embedded index's scores (`src/retrieve/bm25`, Lucene 8.7's
 * BM25Similarity). The application analyses text with the collection's analyzer and writes one
 * posting row per (term, document) with its tf and the document's one-byte norm; each version
 * records N (documents with at least one term) and Σ dl. At query time the application computes
 * what involves logarithms (idf, term weights) and the 256-entry norm cache in float32, as the
 * embedded index does, and passes them as parameters; the SQL sums
 * `weight − weight / (1 + tf · cache[norm])` in `real` (float32) arithmetic per term, in double
 * across terms, then rounds once to float32 — the same operations in the same precision.
 */
import type { Analyzer } from '../../text/analyzer.ts';
import type { Document } from '../../core/types.ts';
import { fieldText } from '../../retrieve/bm25/builder.ts';
import { intToByte4 } from '../../retrieve/bm25/smallfloat.ts';
import { avgFieldLength, idf, normInverseCache, resolveParams, termWeight, type Bm25Params } from '../../retrieve/bm25/similarity.ts';

/** The postings of one document. */
export interface DocPostings {
  /** Terms in the analysed title + text (BM25's dl). */
  length: number;
  /** Lucene's norm byte of `length`. */
  norm: number;
  terms: string[];
  tfs: number[];
}

/** Analyses a document as the embedded BM25 index does (`title + ' ' + text`, one field). */
export function documentPostings(doc: Document, analyzer: Analyzer): DocPostings {
  const tokens = analyzer.analyze(fieldText(doc));
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { length: tokens.length, norm: intToByte4(tokens.length), terms: [...counts.keys()], tfs: [...counts.values()] };
}

/** Collection-wide BM25 statistics of one version. */
export interface Bm25VersionStats {
  /** Documents with at least one term (BM25's N). */
  indexedDocCount: number;
  /** Σ dl over those documents. */
  sumTotalTermFreq: number;
}

/** What the scoring SQL needs, computed in the application exactly as the embedded index does. */
export interface Bm25QueryPlan {
  terms: string[];
  weights: number[];
  /** 256 float32 values indexed by norm byte. */
  cache: number[];
}

/**
 * Query terms (each repeat counts, like Anserini's boost) and their document frequencies → the
 * distinct terms with Lucene's weights, plus the norm cache for k1, b and avgdl.
 */
export function planBm25Query(queryTerms: readonly string[], docFreq: ReadonlyMap<string, number>, stats: Bm25VersionStats, params: Bm25Params = {}): Bm25QueryPlan {
  const { k1, b } = resolveParams(params);
  const counts = new Map<string, number>();
  for (const t of queryTerms) if ((docFreq.get(t) ?? 0) > 0) counts.set(t, (counts.get(t) ?? 0) + 1);
  const terms = [...counts.keys()];
  const weights = terms.map((t) => termWeight(counts.get(t)!, idf(docFreq.get(t)!, stats.indexedDocCount)));
  const cache = Array.from(normInverseCache(k1, b, avgFieldLength(stats.sumTotalTermFreq, stats.indexedDocCount)));
  return { terms, weights, cache };
}

/**
 * The scoring query over `postings` (alias p) of schema `s`: parameters $1 terms, $2 weights,
 * $3 norm cache, $4 version, $5 k; `extra` is an optional further condition on p.doc_id (a filter).
 */
export function bm25Sql(s: string, visible: string, extra = ''): string {
  return `WITH q AS (SELECT * FROM unnest($1::text[], $2::real[]) AS q(term, w))
    SELECT p.doc_id AS id, sum((q.w - q.w / (1::real + p.tf::real * ($3::real[])[p.norm + 1]))::float8)::real::float8 AS score
    FROM q JOIN ${s}.postings p ON p.term = q.term
    WHERE ${visible}${extra}
    GROUP BY p.doc_id
    ORDER BY score DESC, p.doc_id COLLATE "C"
    LIMIT $5`;
}
