/**
 * `shortlist eval <dataset> --pipeline bm25` (a collection: store + BM25 segments) equals
 * `shortlist eval <dataset>` (a BM25 index built directly) on every collection in
 * ../shared/datasets: the same ranked run at depth 1000 (ids and float32 scores) and the same
 * metrics. Cranfield holds documents with an empty text: they are documents (length 0), as in
 * Lucene. Without ../shared the test reports itself skipped.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import { runBm25Experiment } from '../../src/lab/bm25-experiment.ts';

const datasets = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const names = existsSync(datasets)
  ? readdirSync(datasets)
      .filter((n) => statSync(join(datasets, n)).isDirectory())
      .sort()
  : [];
const METRICS = ['ndcg@10', 'recall@100', 'recall@1000', 'map'];

if (names.length === 0) {
  test('eval --pipeline bm25 equals eval on ../shared/datasets', {
    skip: `${datasets} not present (clean clone without ../shared)`,
  }, () => {});
} else {
  const cache = mkdtempSync(join(tmpdir(), 'shortlist-eval-bm25-'));
  process.env.SHORTLIST_CACHE = cache;
  test.after(() => rmSync(cache, { recursive: true, force: true }));
  for (const name of names) {
    test(`${name}: eval --pipeline bm25 equals eval`, { timeout: 600_000 }, async () => {
      const direct = await runBm25Experiment(join(datasets, name), { depth: 1000, metrics: METRICS });
      const piped = await evaluatePipeline(join(datasets, name), 'bm25', { depth: 1000, metrics: METRICS });
      assert.equal(piped.documents, direct.documents, 'documents');
      const run = piped.runs.get('bm25')!;
      assert.ok(run, `stages: ${[...piped.runs.keys()].join(', ')}`);
      assert.equal(run.size, direct.run.size, 'queries');
      for (const [qid, hits] of direct.run) assert.deepEqual(run.get(qid), hits, `${name} query ${qid}`);
      const stage = piped.stages.find((s) => s.stage === 'bm25')!;
      for (const m of METRICS)
        assert.ok(
          Math.abs(stage.metrics[m] - direct.result.mean[m]) <= 1e-12,
          `${name} ${m}: ${stage.metrics[m]} vs ${direct.result.mean[m]}`,
        );
    });
  }
}
