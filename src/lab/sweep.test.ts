/**
 * Depth sweep: the recommendation rule and the replay on their own; on a generated BEIR collection
 * with BM25 → tiny cross-encoder, Recall@K equals runBm25Experiment's at every K and each
 * (query, document) pair is scored by the model exactly once.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { runBm25Experiment } from './bm25-experiment.ts';
import { recommendDepth, replayQuery, sweep } from './sweep.ts';
import { writeCollection } from '../../test/support/collection.ts';

const row = (depth: number, ndcg10: number, p95 = 0) => ({ depth, ndcg10, latency: [{ stage: 'total', mean: p95, p95 }] });

test('recommends the smallest depth within epsilon of the best nDCG@10', () => {
  const rows = [row(100, 0.5), row(10, 0.4), row(20, 0.496), row(50, 0.499)];
  assert.equal(recommendDepth(rows).depth, 20); // 0.496 >= 0.5 - 0.005
  assert.equal(recommendDepth(rows, { epsilon: 0 }).depth, 100);
  assert.equal(recommendDepth(rows, { epsilon: 0.2 }).depth, 10);
});

test('with a latency budget, recommends the best depth that fits (smaller on ties), or none', () => {
  const rows = [row(10, 0.4, 5), row(20, 0.45, 9), row(50, 0.45, 20), row(100, 0.5, 40)];
  assert.equal(recommendDepth(rows, { latencyBudgetMs: 25 }).depth, 20);
  assert.equal(recommendDepth(rows, { latencyBudgetMs: 40 }).depth, 100);
  const none = recommendDepth(rows, { latencyBudgetMs: 1 });
  assert.equal(none.depth, undefined);
  assert.match(none.reason, /no depth fits/);
  assert.throws(() => recommendDepth([]), { code: 'INVALID_ARGUMENT' });
});

test('replay takes the first stage top K, reorders by cached scores and keeps `keep`', () => {
  const lists = [
    {
      stage: 'bm25',
      hits: [
        { id: 'a', score: 9 },
        { id: 'b', score: 8 },
        { id: 'c', score: 7 },
        { id: 'd', score: 6 },
      ],
    },
    {
      stage: 'ce',
      hits: [
        { id: 'd', score: 0.9 },
        { id: 'c', score: 0.8 },
        { id: 'a', score: 0.2 },
        { id: 'b', score: 0.1 },
      ],
    },
  ];
  assert.deepEqual(replayQuery(lists, [{ name: 'ce', keep: 2 }], 2), {
    hits: [
      { id: 'a', score: 0.2 },
      { id: 'b', score: 0.1 },
    ],
    scored: [2],
  });
  assert.deepEqual(
    replayQuery(lists, [{ name: 'ce', keep: 2 }], 3).hits.map((h) => h.id),
    ['c', 'a'],
  );
  assert.deepEqual(
    replayQuery(lists, [{ name: 'ce', keep: 2 }], 10).hits.map((h) => h.id),
    ['d', 'c'],
  );
});

const root = mkdtempSync(join(tmpdir(), 'shortlist-sweep-'));
after(() => rmSync(root, { recursive: true, force: true }));
const beir = join(root, 'beir');
writeCollection(beir, { docs: 120, queries: 8, seed: 7 });

test("on BM25 → cross-encoder: Recall@K is the BM25 foundation's, every pair scored once", async () => {
  const ce = await tinyModel('classifier');
  const depths = [5, 10, 20, 50];
  const report = await sweep(
    beir,
    {
      retrievers: [{ type: 'bm25' }],
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 10, threads: 1 }],
      k: 10,
    },
    { depths },
  );
  const x = await runBm25Experiment(beir, { cache: false, depth: 1000, metrics: depths.map((d) => `recall@${d}`) });
  assert.deepEqual(
    report.rows.map((r) => r.depth),
    depths,
  );
  for (const r of report.rows) assert.equal(r.recall, x.result.mean[`recall@${r.depth}`], `recall@${r.depth}`);
  assert.equal(report.firstStage, 'bm25');
  assert.deepEqual(report.rerankStages, ['cross-encoder']);
  // one model call per (query, candidate) at the largest depth, none for the smaller ones
  assert.ok(report.candidates > 40 * report.queries && report.candidates <= 50 * report.queries);
  assert.deepEqual(report.rerankScored, [report.candidates]);
  for (const r of report.rows) {
    assert.deepEqual(
      r.latency.map((l) => l.stage),
      ['bm25', 'hydrate', 'cross-encoder', 'total'],
    );
    for (const l of r.latency) assert.ok(l.mean >= 0 && l.p95 >= 0);
  }
  // the rerank estimate grows with K (per-document time × documents)
  const ceMean = report.rows.map((r) => r.latency.find((l) => l.stage === 'cross-encoder')!.mean);
  for (let i = 1; i < ceMean.length; i++) assert.ok(ceMean[i] >= ceMean[i - 1]);
  assert.ok(report.rows[0].ndcg10 > 0 && report.rows[0].ndcg10 <= 1);
  assert.ok(report.recommendation.depth !== undefined && depths.includes(report.recommendation.depth));
});
