/**
 * Whole pipelines on a BEIR dataset, stage by stage:
 * 1. open the dataset → 2. build (or reuse) a collection with the pipeline and add the corpus →
 * 3. run every judged query, keeping each stage's full list and timings → 4. score each stage's
 * list with trec_eval's definitions: Recall@depth of the candidates (the ceiling no reranker can
 * exceed), nDCG@10, MRR@10 and MAP before and after each rerank stage → 5. latency p50/p95 per stage.
 * With a BM25-only pipeline and the same depth this reproduces `runBm25Experiment` exactly.
 */
import { evaluate } from '../eval/evaluate.ts';
import type { Qrels, Run } from '../eval/types.ts';
import type { PipelineInput, ResolvedPipeline } from '../pipeline/config.ts';
import { loadPipeline } from '../pipeline/presets.ts';
import { atDepth, withEvalCollection } from './eval-collection.ts';
import { addStageStats } from '../pipeline/explain.ts';
import type { StageStats } from '../pipeline/pipeline.ts';

/** Options of {@link evaluatePipeline}. */
export interface PipelineEvalOptions {
  /** Qrels split. @default 'test' */
  split?: string;
  /** First-stage depth; overrides the pipeline's. @default the pipeline's depth */
  depth?: number;
  /** Extra metrics reported for every stage (e.g. `recall@100`). @default [] */
  metrics?: string[];
  /** Keep the collection at this location, a directory or a `postgres://…?schema=` URL (reused when it exists). @default a temporary directory, removed after */
  collection?: string;
  /** Build the temporary collection in this Postgres database (a `postgres://` URL without `?schema=`; a schema made and dropped). @default a temporary directory */
  store?: string;
  /** Apply the collection's stored query adapter (`shortlist adapt`); false gives the "before" numbers. @default true */
  adapter?: boolean;
  /** Called while the corpus is added and while queries run. */
  onProgress?: (phase: 'add' | 'search', done: number, total: number) => void;
}

/** One stage's scores. */
export interface StageReport {
  stage: string;
  /** Mean list length. */
  candidates: number;
  metrics: Record<string, number>;
  /** Each evaluated query's metrics (query id → metric → value), for per-query charts. */
  perQuery: Record<string, Record<string, number>>;
  /** The stage's scores of relevant vs non-relevant candidates (unjudged counts as non-relevant). */
  scores: ScoreHistogram;
}

/** Equal-width histogram of one stage's candidate scores, split by relevance (qrels grade > 0). */
export interface ScoreHistogram {
  /** Lowest score (left edge of the first bin). */
  min: number;
  /** Highest score (right edge of the last bin). */
  max: number;
  /** Candidates per bin whose document is relevant. */
  relevant: number[];
  /** Candidates per bin whose document is not relevant or unjudged. */
  nonRelevant: number[];
}

/** Bins of {@link scoreHistogram}. */
export const SCORE_BINS = 30;

/** Latency of one stage over all queries, in ms. */
export interface LatencyReport {
  stage: string;
  p50: number;
  p95: number;
  mean: number;
}

/** What {@link evaluatePipeline} measured. */
export interface PipelineEvalReport {
  dataset: string;
  split: string;
  documents: number;
  queries: number;
  pipeline: ResolvedPipeline;
  /** Metric names, in the order reported. */
  metrics: string[];
  stages: StageReport[];
  latency: LatencyReport[];
  /** Calls, tokens, cost and request time summed over all queries, per stage that reports them (LLM, hosted). */
  stageStats: Record<string, StageStats>;
  /** Each stage's run (for TREC output). */
  runs: Map<string, Run>;
}

/** Runs `pipeline` on the BEIR dataset at `path` and reports every stage (see the module comment). */
export async function evaluatePipeline(
  path: string,
  pipeline: string | PipelineInput,
  options: PipelineEvalOptions = {},
): Promise<PipelineEvalReport> {
  let p = loadPipeline(pipeline);
  if (options.depth !== undefined) p = atDepth(p, options.depth);
  return withEvalCollection(path, p, options, async ({ collection: c, dataset, qrels, queries }) => {
    const runs = new Map<string, Run>();
    const times = new Map<string, number[]>();
    const stageStats: Record<string, StageStats> = {};
    const k = p.rerank.length > 0 ? p.k : p.depth; // without rerankers the first stage's full list is the result
    let done = 0;
    for (const q of queries) {
      const t0 = performance.now();
      const res = await c.search(q.text, { k, record: true, passages: false });
      const total = performance.now() - t0;
      for (const l of res.lists!) {
        if (!runs.has(l.stage)) runs.set(l.stage, new Map());
        runs.get(l.stage)!.set(
          q.id,
          l.hits.map((h) => ({ docid: h.id, score: h.score })),
        );
      }
      for (const t of [...res.timings, { stage: 'total', ms: total }]) {
        if (!times.has(t.stage)) times.set(t.stage, []);
        times.get(t.stage)!.push(t.ms);
      }
      for (const [stage, st] of Object.entries(res.stats ?? {}))
        addStageStats(
          (stageStats[stage] ??= { calls: 0, retries: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 0 }),
          st,
        );
      options.onProgress?.('search', ++done, queries.length);
    }
    const metrics = unique([`recall@${p.depth}`, 'ndcg@10', 'mrr@10', 'map', ...(options.metrics ?? [])]);
    const stages: StageReport[] = [...runs].map(([stage, run]) => {
      const result = evaluate(run, qrels, metrics);
      const lengths = [...run.values()].map((l) => l.length);
      const perQuery = Object.fromEntries(result.perQuery);
      return {
        stage,
        candidates: lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length),
        metrics: result.mean,
        perQuery,
        scores: scoreHistogram(run, qrels),
      };
    });
    const latency = [...times].map(([stage, ms]) => ({ stage, ...percentiles(ms) }));
    const info = await c.info();
    return {
      dataset: dataset.dir,
      split: dataset.split,
      documents: info.documents,
      queries: queries.length,
      pipeline: p,
      metrics,
      stages,
      latency,
      stageStats,
      runs,
    };
  });
}

/**
 * Histogram of every score in `run` over `bins` equal-width bins from the lowest to the highest
 * score (the highest falls in the last bin), counting relevant (grade > 0) and other candidates apart.
 */
export function scoreHistogram(run: Run, qrels: Qrels, bins: number = SCORE_BINS): ScoreHistogram {
  let min = Infinity;
  let max = -Infinity;
  for (const list of run.values()) {
    for (const e of list) {
      if (!Number.isFinite(e.score)) continue;
      min = Math.min(min, e.score);
      max = Math.max(max, e.score);
    }
  }
  const relevant = new Array<number>(bins).fill(0);
  const nonRelevant = new Array<number>(bins).fill(0);
  if (min > max) return { min: 0, max: 0, relevant, nonRelevant };
  const width = max > min ? (max - min) / bins : 1;
  for (const [qid, list] of run) {
    const judged = qrels.get(qid);
    for (const e of list) {
      if (!Number.isFinite(e.score)) continue;
      const k = Math.min(bins - 1, Math.floor((e.score - min) / width));
      ((judged?.get(e.docid) ?? 0) > 0 ? relevant : nonRelevant)[k]++;
    }
  }
  return { min, max, relevant, nonRelevant };
}

/** p50, p95 (nearest rank) and mean of `ms`. */
export function percentiles(ms: readonly number[]): { p50: number; p95: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]);
  return { p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
