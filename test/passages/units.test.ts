/**
 * `eval --pipeline bm25` by unit on ../shared/datasets: with `unit: document` every collection's
 * nDCG@10 and Recall@100 equal Lucene 8.7's (lucene-bm25.tsv, k1 0.9, b 0.4) to 4 decimals, as
 * before passages existed; with `unit: passage` scifact's numbers are the ones docs/passages.md
 * reports. Without ../shared the test reports itself skipped (the generated corpus in
 * collection.test.ts covers both units).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';

const datasets = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const table = join(datasets, 'lucene-bm25.tsv');

if (!existsSync(table)) {
  test('eval --pipeline bm25 by unit on ../shared/datasets', { skip: `${table} not present (clean clone without ../shared)` }, () => {});
} else {
  const [header, ...rows] = readFileSync(table, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const col = (name: string) => header.indexOf(name);
  for (const row of rows.filter((r) => r[col('k1')] === '0.9' && r[col('b')] === '0.4')) {
    const name = row[col('dataset')];
    test(`${name}: unit document equals Lucene 8.7 (nDCG@10, Recall@100)`, async () => {
      const x = await evaluatePipeline(join(datasets, name), { retrievers: [{ type: 'bm25' }], unit: 'document' });
      const m = x.stages[0].metrics;
      assert.equal(m['ndcg@10'].toFixed(4), Number(row[col('ndcg@10')]).toFixed(4));
      assert.equal(m['recall@100'].toFixed(4), Number(row[col('recall@100')]).toFixed(4));
    });
  }
  test("scifact: unit passage, judged by each passage's document", async () => {
    const x = await evaluatePipeline(join(datasets, 'scifact'), { retrievers: [{ type: 'bm25' }], unit: 'passage' });
    const m = x.stages[0].metrics;
    assert.equal(m['ndcg@10'].toFixed(4), '0.6815');
    assert.equal(m['recall@100'].toFixed(4), '0.9213');
    assert.ok(x.stages[0].candidates < 100, 'a document counts once however many of its passages were retrieved');
  });
}
