/**
 * Retrieval quality of (adapted) query vectors over a table of document vectors: exact cosine
 * top-k per query, scored with the evaluation lab's trec_eval metrics (Recall@10, nDCG@10 by default).
 * Used for the before/after report of `shortlist adapt`.
 */
import { evaluate } from '../../eval/evaluate.ts';
import type { Qrels, Run } from '../../eval/types.ts';
import { applyQueryAdapter, unit, type QueryAdapter } from '../../models/encoders/query-adapter.ts';

/** A query to evaluate: its unadapted vector and the indices of its relevant documents. */
export interface VectorQuery {
  vector: Float32Array;
  relevant: readonly number[];
}

/** Options of {@link evaluateVectors}. */
export interface VectorEvalOptions {
  /** Metrics, trec_eval names. @default ['recall@10', 'ndcg@10'] */
  metrics?: string[];
  /** Documents retrieved per query. @default 100 */
  depth?: number;
}

/** Mean metrics of the queries under `adapter` (none = the raw query vectors); `docs` need not be unit length. */
export function evaluateVectors(
  queries: readonly VectorQuery[],
  docs: readonly Float32Array[],
  adapter?: QueryAdapter,
  options: VectorEvalOptions = {},
): Record<string, number> {
  const metrics = options.metrics ?? ['recall@10', 'ndcg@10'];
  const depth = options.depth ?? 100;
  const unitDocs = docs.map(unit);
  const run: Run = new Map();
  const qrels: Qrels = new Map();
  queries.forEach((q, qi) => {
    const v = unit(adapter ? applyQueryAdapter(adapter, q.vector) : q.vector);
    const scored = unitDocs.map((d, i) => ({ docid: String(i), score: dot(v, d) }));
    scored.sort((a, b) => b.score - a.score || (a.docid < b.docid ? -1 : 1));
    run.set(String(qi), scored.slice(0, depth));
    qrels.set(String(qi), new Map(q.relevant.map((r) => [String(r), 1])));
  });
  return evaluate(run, qrels, metrics).mean;
}

/** Dot product. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
