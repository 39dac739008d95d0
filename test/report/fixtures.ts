/** Small hand-made report inputs for the unit tests (the shapes the CLI's JSON has). */
import type { CalibrationInput, CompareInput, EvalInput, FitInput, SweepInput } from '../../src/report/inputs.ts';

/** A sweep over `depths`, total latency growing with depth. */
export function sweepInput(depths = [10, 20, 50, 100]): SweepInput {
  return {
    dataset: '/data/scifact',
    split: 'test',
    documents: 5183,
    queries: 300,
    firstStage: 'bm25',
    rerankStages: ['cross-encoder'],
    rows: depths.map((depth, i) => ({
      depth,
      recall: 0.5 + 0.1 * i,
      ndcg10: 0.6 + 0.01 * i,
      mrr10: 0.55 + 0.01 * i,
      latency: [
        { stage: 'bm25', mean: 1, p95: 2 },
        { stage: 'hydrate', mean: 0.1, p95: 0.2 },
        { stage: 'cross-encoder', mean: depth, p95: depth * 1.5 },
        { stage: 'total', mean: depth + 1.1, p95: depth * 1.5 + 2.2 },
      ],
    })),
    recommendation: { depth: depths[1], reason: 'smallest depth whose nDCG@10 is within 0.005 of the best' },
  };
}

/** BM25 → cross-encoder over `queries` queries: the reranker gains on even queries, loses on every third. */
export function evalInput(queries = 7): EvalInput {
  const ids = Array.from({ length: queries }, (_, i) => `q${i}`);
  const first = Object.fromEntries(ids.map((q) => [q, { 'ndcg@10': 0.5 }]));
  const final = Object.fromEntries(ids.map((q, i) => [q, { 'ndcg@10': i % 2 === 0 ? 0.7 : i % 3 === 0 ? 0.3 : 0.5 }]));
  return {
    dataset: '/data/scifact',
    split: 'test',
    documents: 100,
    queries,
    pipeline: { rerank: [{ name: 'cross-encoder' }] },
    metrics: ['ndcg@10'],
    stages: [
      {
        stage: 'bm25',
        candidates: 20,
        metrics: { 'ndcg@10': 0.5 },
        perQuery: first,
        scores: { min: 0, max: 10, relevant: [0, 1, 2, 3, 4], nonRelevant: [40, 30, 20, 10, 0] },
      },
      {
        stage: 'cross-encoder',
        candidates: 10,
        metrics: { 'ndcg@10': 0.55 },
        perQuery: final,
        scores: { min: -3, max: 3, relevant: [0, 0, 1, 5], nonRelevant: [50, 30, 10, 0] },
      },
    ],
    latency: [
      { stage: 'bm25', p50: 1, p95: 2, mean: 1.2 },
      { stage: 'total', p50: 10, p95: 20, mean: 12 },
    ],
  };
}

/** A comparison over the metrics `metrics`. */
export function compareInput(metrics = ['ndcg@10', 'map', 'recall@100']): CompareInput {
  return {
    runA: 'runs/bm25.txt',
    runB: 'runs/ce.txt',
    queries: 12,
    permutations: 10000,
    seed: 1,
    comparisons: metrics.map((metric, i) => ({
      metric,
      meanA: 0.5,
      meanB: 0.5 + 0.01 * i,
      delta: 0.01 * i,
      randomizationP: 0.5 / (i + 1),
      exact: true,
      tTestP: 0.4 / (i + 1),
      wins: i + 2,
      ties: 4,
      losses: 6 - i,
    })),
  };
}

/** A Platt fit. */
export function plattFit(): FitInput {
  return {
    version: 1,
    method: 'platt',
    params: { a: 2, b: -1 },
    fingerprint: 'cross-encoder:0123456789abcdef',
    trainedOn: { n: 500, positives: 40 },
  };
}

/** A calibration run with 10 bins, `emptyBefore` of them empty before calibration. */
export function calibrationInput(emptyBefore = 3): CalibrationInput {
  const bins = (empty: number) =>
    Array.from({ length: 10 }, (_, k) => {
      const count = k < empty ? 0 : 10;
      return {
        lower: k / 10,
        upper: (k + 1) / 10,
        count,
        meanPredicted: count ? k / 10 + 0.05 : null,
        fractionPositive: count ? k / 12 : null,
      };
    });
  return {
    dataset: '/data/scifact',
    split: 'dev',
    stage: 'cross-encoder',
    uncalibrated: 'sigmoid',
    fit: plattFit(),
    heldOut: {
      n: 100,
      positives: 9,
      bins: 10,
      before: { brier: 0.3, ece: 0.2, reliability: bins(emptyBefore) },
      after: { brier: 0.1, ece: 0.03, reliability: bins(0) },
    },
  };
}
