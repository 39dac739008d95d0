/**
 * Grid search of fusion parameters on a labelled dev split: every grid point fuses every query's
 * lists, the fused runs are scored with `evaluate` (trec_eval definitions), and the point with the
 * best mean metric (nDCG@10 by default) wins. Bruch, Gai & Ingber (ACM TOIS 2023) show a convex
 * combination's one weight can be tuned from few labelled queries; RRF's k matters too (ibid.).
 *
 * The fused run handed to `evaluate` scores each hit by its reversed rank (n, n−1, …, 1), so the
 * metric sees exactly the order the pipeline returns (`compareHits`: ties by id ascending) rather
 * than trec_eval's own tie-break (docid descending) on equal fused scores.
 */
import { evaluate } from '../eval/evaluate.ts';
import type { Qrels, Run } from '../eval/types.ts';
import { convex, type MissingPolicy } from './convex.ts';
import type { NormalizerName } from './normalize.ts';
import { rrf } from './rrf.ts';
import { invalid, type FusedHit, type RankedList } from './types.ts';

/** The grid: RRF tries every `k` × `weights`; convex tries every `weights`. */
export interface TuneGrid {
  /** RRF only: rank constants to try. @default [60] */
  k?: readonly number[];
  /** Weight vectors to try, one weight per list (see {@link weightGrid}). @default [equal weights] for RRF; required for convex */
  weights?: readonly (readonly number[])[];
}

/** Options of {@link tuneFusion}. */
export type TuneOptions = {
  grid: TuneGrid;
  /** The metric to maximise, any name `evaluate` accepts. @default 'ndcg@10' */
  metric?: string;
} & ({ method: 'rrf' } | { method: 'convex'; normalizer: NormalizerName; missing: MissingPolicy; clip?: boolean });

/** One tried grid point and its mean metric over the dev queries. */
export interface TuneRow {
  /** RRF's k (absent for convex). */
  k?: number;
  weights: number[];
  score: number;
}

/** The result of {@link tuneFusion}: the best row (the first tried among equals) and every row in grid order. */
export interface TuneResult {
  metric: string;
  best: TuneRow;
  table: TuneRow[];
}

/** Grid-searches RRF k / weights or convex weights, maximising `metric` over the labelled queries. */
export function tuneFusion(listsPerQuery: ReadonlyMap<string, readonly RankedList[]>, qrels: Qrels, options: TuneOptions): TuneResult {
  const counts = new Set([...listsPerQuery.values()].map((l) => l.length));
  if (counts.size !== 1)
    throw invalid(`tuneFusion: every query needs the same number of lists, got ${[...counts].join(', ') || 'no queries'}`);
  const n = [...counts][0];
  const equal = [Array.from({ length: n }, () => 1)];
  const metric = options.metric ?? 'ndcg@10';
  const table: TuneRow[] = [];

  if (options.method === 'rrf') {
    for (const k of options.grid.k ?? [60]) {
      for (const w of options.grid.weights ?? equal) {
        const weights = [...w];
        table.push({ k, weights, score: score(listsPerQuery, qrels, metric, (lists) => rrf(lists, { k, weights })) });
      }
    }
  } else {
    if (options.grid.k) throw invalid('tuneFusion: grid.k applies to RRF only; convex tunes grid.weights');
    const grid = options.grid.weights;
    if (!grid || grid.length === 0) throw invalid('tuneFusion: convex needs grid.weights, e.g. weightGrid(2, 0.1)');
    const { normalizer, missing, clip } = options;
    for (const w of grid) {
      const weights = [...w];
      table.push({ weights, score: score(listsPerQuery, qrels, metric, (lists) => convex(lists, { weights, normalizer, missing, clip })) });
    }
  }
  if (table.length === 0) throw invalid('tuneFusion: the grid is empty');
  const best = table.reduce((a, b) => (b.score > a.score ? b : a));
  return { metric, best, table };
}

/**
 * Every weight vector of `lists` non-negative weights summing to 1 in steps of `step` (1/step must
 * be a whole number), first list's weight ascending: `weightGrid(2, 0.5)` → [0,1], [0.5,0.5], [1,0].
 */
export function weightGrid(lists: number, step: number): number[][] {
  const m = Math.round(1 / step);
  if (!Number.isInteger(lists) || lists < 1 || !(step > 0) || Math.abs(m * step - 1) > 1e-9) {
    throw invalid(`weightGrid: needs lists >= 1 and a step that divides 1 (0.1, 0.25, …), got lists=${lists}, step=${step}`);
  }
  const out: number[][] = [];
  const walk = (prefix: number[], left: number): void => {
    if (prefix.length === lists - 1) {
      out.push([...prefix, left].map((u) => u / m));
      return;
    }
    for (let u = 0; u <= left; u++) walk([...prefix, u], left - u);
  };
  walk([], m);
  return out;
}

function score(
  listsPerQuery: ReadonlyMap<string, readonly RankedList[]>,
  qrels: Qrels,
  metric: string,
  fuseOne: (lists: readonly RankedList[]) => FusedHit[],
): number {
  const run: Run = new Map();
  for (const [qid, lists] of listsPerQuery) {
    const fused = fuseOne(lists);
    run.set(
      qid,
      fused.map((h, i) => ({ docid: h.id, score: fused.length - i })),
    );
  }
  const result = evaluate(run, qrels, [metric]);
  return result.mean[result.metrics[0]];
}
