/**
 * Depth sweep: how many candidates should the first stage retrieve?
 * 1. run the pipeline ONCE at the largest depth, every rerank stage scoring all its candidates
 *    (`collectCandidates`; each (query, document) pair scored once per stage) →
 * 2. for each depth K, replay without any model: the first stage's top K (pipeline order), each
 *    rerank stage reordering its input by the cached scores and keeping its `keep` →
 * 3. per K: Recall@K of the first stage (the ceiling, trec_eval's definition on the full list, so it
 *    equals the BM25 foundation's Recall@K), nDCG@10 and MRR@10 of the final list →
 * 4. latency per stage, mean and p95 over queries. First-stage stages (retrievers, fusion) are
 *    measured at the largest depth and reported unchanged for every K; hydrate and each rerank stage
 *    are ESTIMATED per query as (time measured at the largest depth) × (documents the stage would
 *    score at K) / (documents it scored at the largest depth), i.e. from the per-document time;
 *    `total` is the per-query sum of the stages →
 * 5. recommend a depth (`recommendDepth`).
 */
import { ShortlistError } from '../core/errors.ts';
import { compareHits } from '../core/types.ts';
import { collectCandidates, type CandidateSet } from './candidates.ts';
import { percentiles } from './evaluate.ts';
import type { PipelineInput } from '../pipeline/config.ts';
import { evaluate } from '../eval/evaluate.ts';
import type { Run } from '../eval/types.ts';

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** First-stage depths to compare (sorted, deduplicated). @default [10, 20, 50, 100, 200, 500] */
  depths?: number[];
  /** A depth counts as "as good as the best" when its nDCG@10 is within this of the best. @default 0.005 */
  epsilon?: number;
  /** Recommend the best depth whose total p95 latency (ms) fits this budget. @default none */
  latencyBudgetMs?: number;
  /** Qrels split. @default 'test' */
  split?: string;
  /** Keep the collection in this directory (reused when it exists). @default a temporary one */
  collection?: string;
  /** Called while the corpus is added and while queries run. */
  onProgress?: (phase: 'add' | 'search', done: number, total: number) => void;
}

/** Latency of one stage at one depth, in ms (see the module comment for what is estimated). */
export interface SweepLatency {
  stage: string;
  mean: number;
  p95: number;
}

/** One depth's row. */
export interface SweepRow {
  depth: number;
  /** Recall@depth of the first stage: the ceiling no reranker can exceed. */
  recall: number;
  /** nDCG@10 of the final (reranked) list. */
  ndcg10: number;
  /** MRR@10 of the final (reranked) list. */
  mrr10: number;
  /** Per stage in pipeline order, then `total`. */
  latency: SweepLatency[];
}

/** Which depth to use, and why. */
export interface DepthRecommendation {
  /** The recommended depth; undefined when no depth fits the latency budget. */
  depth?: number;
  reason: string;
}

/** What {@link sweep} measured. */
export interface SweepReport {
  dataset: string;
  split: string;
  documents: number;
  queries: number;
  /** The first stage's list name (`bm25`, `dense`, `fusion`, …) and the rerank stages. */
  firstStage: string;
  rerankStages: string[];
  rows: SweepRow[];
  recommendation: DepthRecommendation;
  /** Model calls per rerank stage (each (query, document) pair once). */
  rerankScored: number[];
  /** (query, document) pairs in the first stage's lists at the largest depth. */
  candidates: number;
}

/** Defaults of {@link sweep}. */
export const SWEEP_DEFAULTS = Object.freeze({ depths: Object.freeze([10, 20, 50, 100, 200, 500]), epsilon: 0.005 });

/** Runs the pipeline once at the largest depth and replays every smaller depth (see the module comment). */
export async function sweep(path: string, pipeline: string | PipelineInput, options: SweepOptions = {}): Promise<SweepReport> {
  const depths = checkDepths(options.depths ?? [...SWEEP_DEFAULTS.depths]);
  const set = await collectCandidates(path, pipeline, {
    depth: depths[depths.length - 1],
    split: options.split,
    collection: options.collection,
    onProgress: options.onProgress,
  });
  return sweepCandidates(set, depths, options);
}

/** Steps 2–5 of the module comment over already collected candidates; calls no model. */
export function sweepCandidates(
  set: CandidateSet,
  depths: number[],
  options: Pick<SweepOptions, 'epsilon' | 'latencyBudgetMs'> = {},
): SweepReport {
  depths = checkDepths(depths);
  const stages = set.original.rerank.map((s) => ({ name: s.name, keep: s.keep ?? set.original.k }));
  const firstIndex = set.queries[0] ? set.queries[0].lists.length - stages.length - 1 : 0;
  const firstStage = set.queries[0]?.lists[firstIndex]?.stage ?? set.pipeline.retrievers[0].name;
  const first: Run = new Map(set.queries.map((q) => [q.id, q.lists[firstIndex].hits.map((h) => ({ docid: h.id, score: h.score }))]));
  const recalls = evaluate(
    first,
    set.qrels,
    depths.map((d) => `recall@${d}`),
  ).mean;

  const rows = depths.map((depth) => {
    const final: Run = new Map();
    const ms = new Map<string, number[]>();
    const push = (stage: string, v: number) => (ms.get(stage) ?? ms.set(stage, []).get(stage)!).push(v);
    for (const q of set.queries) {
      const replay = replayQuery(q.lists.slice(firstIndex), stages, depth);
      final.set(
        q.id,
        replay.hits.map((h) => ({ docid: h.id, score: h.score })),
      );
      const scored = new Map(replay.scored.map((n, i) => [stages[i].name, n]));
      const fullFirst = q.lists[firstIndex].hits.length;
      const fullScored = new Map(stages.map((s, i) => [s.name, i === 0 ? fullFirst : q.lists[firstIndex + i].hits.length]));
      let total = 0;
      for (const t of q.timings) {
        let v = t.ms;
        if (t.stage === 'hydrate') v = scale(t.ms, replay.scored[0] ?? Math.min(depth, fullFirst), fullFirst);
        else if (scored.has(t.stage)) v = scale(t.ms, scored.get(t.stage)!, fullScored.get(t.stage)!);
        push(t.stage, v);
        total += v;
      }
      push('total', total);
    }
    const m =
      stages.length > 0
        ? evaluate(final, set.qrels, ['ndcg@10', 'mrr@10']).mean
        : evaluate(truncate(first, depth), set.qrels, ['ndcg@10', 'mrr@10']).mean;
    const latency = [...ms].map(([stage, v]) => {
      const p = percentiles(v);
      return { stage, mean: p.mean, p95: p.p95 };
    });
    return { depth, recall: recalls[`recall@${depth}`], ndcg10: m['ndcg@10'], mrr10: m['mrr@10'], latency };
  });
  return {
    dataset: set.dataset,
    split: set.split,
    documents: set.documents,
    queries: set.queries.length,
    firstStage,
    rerankStages: stages.map((s) => s.name),
    rows,
    recommendation: recommendDepth(rows, options),
    rerankScored: set.rerankCache.map((c) => c.misses),
    candidates: [...first.values()].reduce((n, l) => n + l.length, 0),
  };
}

/**
 * One query at depth `depth`: the first list's top `depth` (its order), then each stage reorders
 * its input by that stage's recorded scores and keeps `keep`. `lists` = [first, stage 1, …] as
 * recorded with every stage keeping all candidates. `scored[i]` = documents stage i scores.
 */
export function replayQuery(
  lists: readonly { stage: string; hits: readonly { id: string; score: number }[] }[],
  stages: readonly { name: string; keep: number }[],
  depth: number,
): { hits: { id: string; score: number }[]; scored: number[] } {
  let hits = lists[0].hits.slice(0, depth).map(({ id, score }) => ({ id, score }));
  const scored: number[] = [];
  stages.forEach((s, i) => {
    const scores = new Map(lists[i + 1].hits.map((h) => [h.id, h.score]));
    scored.push(hits.length);
    hits = hits.map((h) => {
      const score = scores.get(h.id);
      if (score === undefined)
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          `rerank stage ${s.name} has no recorded score for document ${h.id}; record the stage with every candidate kept`,
        );
      return { id: h.id, score };
    });
    hits.sort(compareHits);
    hits = hits.slice(0, s.keep);
  });
  return { hits, scored };
}

/**
 * The recommended depth: without a budget, the smallest depth whose nDCG@10 is within `epsilon`
 * of the best; with `latencyBudgetMs`, the depth with the best nDCG@10 (the smaller on ties) among
 * those whose `total` p95 latency fits the budget.
 */
export function recommendDepth(
  rows: readonly Pick<SweepRow, 'depth' | 'ndcg10' | 'latency'>[],
  options: { epsilon?: number; latencyBudgetMs?: number } = {},
): DepthRecommendation {
  if (rows.length === 0)
    throw new ShortlistError('INVALID_ARGUMENT', 'recommendDepth needs at least one sweep row; give at least one depth');
  const epsilon = options.epsilon ?? SWEEP_DEFAULTS.epsilon;
  if (!(epsilon >= 0)) throw new ShortlistError('INVALID_ARGUMENT', `epsilon must be a number >= 0, got ${epsilon}`);
  const sorted = [...rows].sort((a, b) => a.depth - b.depth);
  const fmt = (x: number) => x.toFixed(4);
  if (options.latencyBudgetMs !== undefined) {
    const budget = options.latencyBudgetMs;
    const p95 = (r: (typeof rows)[number]) => r.latency.find((l) => l.stage === 'total')?.p95 ?? Infinity;
    const fits = sorted.filter((r) => p95(r) <= budget);
    if (fits.length === 0) {
      return {
        reason: `no depth fits the p95 latency budget of ${budget} ms (the fastest, K=${sorted[0].depth}, takes ${p95(sorted[0]).toFixed(1)} ms); raise --latency-budget or add smaller depths`,
      };
    }
    const best = fits.reduce((a, b) => (b.ndcg10 > a.ndcg10 ? b : a));
    return {
      depth: best.depth,
      reason: `best nDCG@10 (${fmt(best.ndcg10)}) among depths whose total p95 latency fits ${budget} ms (K=${best.depth}: ${p95(best).toFixed(1)} ms)`,
    };
  }
  const best = Math.max(...sorted.map((r) => r.ndcg10));
  const pick = sorted.find((r) => r.ndcg10 >= best - epsilon)!;
  return {
    depth: pick.depth,
    reason: `smallest depth whose nDCG@10 (${fmt(pick.ndcg10)}) is within ${epsilon} of the best (${fmt(best)})`,
  };
}

function checkDepths(depths: readonly number[]): number[] {
  if (depths.length === 0)
    throw new ShortlistError('INVALID_ARGUMENT', 'sweep depths are empty; give at least one, e.g. --depths 10,20,50,100');
  for (const d of depths) {
    if (!Number.isInteger(d) || d < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `sweep depth must be a positive integer, got ${d}; e.g. --depths 10,20,50,100`);
  }
  return [...new Set(depths)].sort((a, b) => a - b);
}

function scale(ms: number, n: number, full: number): number {
  return full === 0 ? 0 : (ms * n) / full;
}

function truncate(run: Run, depth: number): Run {
  return new Map([...run].map(([q, entries]) => [q, [...entries].sort((a, b) => b.score - a.score).slice(0, depth)]));
}
