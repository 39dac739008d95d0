/**
 * Whole-pipeline evaluation: the BM25 pipeline reproduces `runBm25Experiment` exactly; a hybrid +
 * cross-encoder pipeline of tiny generated models reports every stage and its latency.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { evaluatePipeline, percentiles } from '../../src/lab/evaluate.ts';
import { runBm25Experiment } from '../../src/lab/bm25-experiment.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-engine-eval-'));
after(() => rmSync(root, { recursive: true, force: true }));
const beir = join(root, 'beir');
writeCollection(beir, { docs: 120, queries: 8, seed: 5 });

test('the bm25 pipeline reproduces runBm25Experiment exactly', async () => {
  const x = await runBm25Experiment(beir, { cache: false, depth: 1000 });
  const r = await evaluatePipeline(beir, 'bm25', { depth: 1000, metrics: ['recall@100'] });
  assert.deepEqual(
    r.stages.map((s) => s.stage),
    ['bm25'],
  );
  for (const m of ['ndcg@10', 'recall@100', 'map']) assert.equal(r.stages[0].metrics[m], x.result.mean[m], m);
  assert.equal(r.queries, x.queries);
});

test('hybrid + cross-encoder reports every stage, before and after reranking, with latency', async () => {
  const [enc, ce] = await Promise.all([tinyModel('encoder'), tinyModel('classifier')]);
  const r = await evaluatePipeline(beir, {
    retrievers: [{ type: 'bm25' }, { type: 'dense', model: enc, pooling: 'mean', normalize: true, maxLength: 64, threads: 1 }],
    depth: 20,
    rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 5, threads: 1 }],
    k: 5,
  });
  assert.deepEqual(
    r.stages.map((s) => s.stage),
    ['bm25', 'dense', 'fusion', 'cross-encoder'],
  );
  assert.deepEqual(r.metrics, ['recall@20', 'ndcg@10', 'mrr@10', 'map']);
  assert.equal(r.stages[3].candidates, 5);
  // reranking can only reorder the candidates: its recall can never exceed the first stage's
  assert.ok(r.stages[3].metrics['recall@20'] <= r.stages[2].metrics['recall@20'] + 1e-12);
  assert.ok(r.stages[0].metrics['ndcg@10'] > 0.5, 'BM25 finds the marker-term documents');
  assert.deepEqual(
    r.latency.map((l) => l.stage),
    ['bm25', 'dense', 'fusion', 'hydrate', 'cross-encoder', 'total'],
  );
  for (const l of r.latency) assert.ok(l.p50 <= l.p95);
});

test('percentiles use the nearest rank', () => {
  assert.deepEqual(percentiles([5, 1, 4, 2, 3]), { p50: 3, p95: 5, mean: 3 });
});
