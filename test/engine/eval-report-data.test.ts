/** What `eval --pipeline --json` carries for the report: per-query metrics and score histograms per stage. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePipeline, scoreHistogram } from '../../src/lab/evaluate.ts';
import { writeCollection } from '../support/collection.ts';

test('scoreHistogram splits scores by relevance over equal-width bins, the maximum in the last bin', () => {
  const run = new Map([
    [
      'q1',
      [
        { docid: 'a', score: 0 },
        { docid: 'b', score: 1 },
        { docid: 'c', score: 4 },
      ],
    ],
    [
      'q2',
      [
        { docid: 'a', score: 2 },
        { docid: 'd', score: Number.NaN },
      ],
    ],
  ]);
  const qrels = new Map([
    [
      'q1',
      new Map([
        ['c', 2],
        ['b', 0],
      ]),
    ],
    ['q2', new Map([['a', 1]])],
  ]);
  assert.deepEqual(scoreHistogram(run, qrels, 4), { min: 0, max: 4, relevant: [0, 0, 1, 1], nonRelevant: [1, 1, 0, 0] });
  assert.deepEqual(scoreHistogram(new Map(), qrels, 2), { min: 0, max: 0, relevant: [0, 0], nonRelevant: [0, 0] });
});

const root = mkdtempSync(join(tmpdir(), 'shortlist-eval-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('every stage reports per-query metrics whose mean is the stage metric, and a histogram of all its candidates', async () => {
  const beir = join(root, 'beir');
  writeCollection(beir, { docs: 60, queries: 6, seed: 9 });
  const r = await evaluatePipeline(beir, 'bm25', { depth: 10 });
  const s = r.stages[0];
  const perQuery = Object.values(s.perQuery);
  assert.equal(perQuery.length, 6);
  const mean = perQuery.reduce((a, m) => a + m['ndcg@10'], 0) / perQuery.length;
  assert.ok(Math.abs(mean - s.metrics['ndcg@10']) < 1e-12);
  const counted = s.scores.relevant.reduce((a, b) => a + b, 0) + s.scores.nonRelevant.reduce((a, b) => a + b, 0);
  assert.equal(counted, Math.round(s.candidates * r.queries));
  assert.ok(s.scores.relevant.reduce((a, b) => a + b, 0) > 0, 'BM25 retrieves some relevant documents');
});
