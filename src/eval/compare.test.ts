import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compareRuns, detectQrelsFormat, readQrels } from './compare.ts';
import type { Qrels, Run } from './types.ts';

/** Four queries, one relevant document `r` each; a run puts `r` at the given rank among fillers. */
const qrels: Qrels = new Map(
  ['q1', 'q2', 'q3', 'q4'].map((q) => [
    q,
    new Map([
      ['r', 1],
      ['n', 0],
    ]),
  ]),
);
function runWithRanks(ranks: Record<string, number>): Run {
  const run: Run = new Map();
  for (const [q, rank] of Object.entries(ranks)) {
    const entries = Array.from({ length: 5 }, (_, i) => ({ docid: i + 1 === rank ? 'r' : `f${i}`, score: 10 - i }));
    run.set(q, entries);
  }
  return run;
}

test('compare: MRR by hand, exact randomization p and win/tie/loss', () => {
  const a = runWithRanks({ q1: 1, q2: 2, q3: 1, q4: 4 }); // RR 1, .5, 1, .25
  const b = runWithRanks({ q1: 1, q2: 1, q3: 1, q4: 1 }); // RR 1, 1, 1, 1
  const r = compareRuns(a, b, qrels, { metrics: ['mrr', 'p@1'] });
  assert.equal(r.queries, 4);
  const mrr = r.comparisons[0];
  assert.equal(mrr.metric, 'mrr');
  assert.equal(mrr.meanA, 0.6875);
  assert.equal(mrr.meanB, 1);
  assert.equal(mrr.delta, 0.3125);
  // d = (0, .5, 0, .75): of ±.5 ±.75 only ±1.25 reach 1.25 → 2 of 4 (× 4 for the zeros) = 8/16.
  assert.equal(mrr.exact, true);
  assert.equal(mrr.randomizationP, 0.5);
  assert.deepEqual([mrr.wins, mrr.ties, mrr.losses], [2, 2, 0]);
  // t = mean/(sd/√n): mean .3125, Σ(d-mean)² = .421875, sd = √(.421875/3) = .375, t = 5/3.
  const t = 0.3125 / (Math.sqrt(0.421875 / 3) / 2);
  assert.ok(Math.abs(t - 5 / 3) < 1e-12);
  assert.ok(Math.abs(mrr.t - t) < 1e-12);
  assert.ok(mrr.tTestP > 0.05 && mrr.tTestP < 0.5);
  // p@1: A 1,0,1,0 vs B 1,1,1,1.
  const p1 = r.comparisons[1];
  assert.equal(p1.delta, 0.5);
  assert.deepEqual([p1.wins, p1.ties, p1.losses], [2, 2, 0]);
  assert.equal(p1.randomizationP, 0.5); // d = (0,1,0,1): ±1±1 reaches 2 in 2 of 4
});

test('compare: identical runs give zero deltas and p = 1', () => {
  const a = runWithRanks({ q1: 1, q2: 3, q3: 2, q4: 5 });
  const r = compareRuns(a, a, qrels, { metrics: ['ndcg@10', 'map', 'recall@100'] });
  for (const c of r.comparisons) {
    assert.equal(c.delta, 0);
    assert.equal(c.randomizationP, 1);
    assert.equal(c.tTestP, 1);
    assert.deepEqual([c.wins, c.ties, c.losses], [0, 4, 0]);
  }
});

test('compare: a query missing from a run scores 0 (trec_eval -c); queries without relevant docs are skipped', () => {
  const q: Qrels = new Map(qrels);
  q.set('q5', new Map([['x', 0]])); // no relevant document: not evaluated
  const a = runWithRanks({ q1: 1, q2: 1, q3: 1, q4: 1 });
  const b = runWithRanks({ q1: 1, q2: 1, q3: 1 });
  const r = compareRuns(a, b, q, { metrics: ['mrr'] });
  assert.equal(r.queries, 4);
  const c = r.comparisons[0];
  assert.equal(c.meanB, 0.75);
  assert.deepEqual([c.wins, c.ties, c.losses], [0, 3, 1]);
  assert.equal(r.diagnostics.b.qrelsQueriesMissingFromRun.count, 1);
  assert.deepEqual(r.diagnostics.b.qrelsQueriesMissingFromRun.examples, ['q4']);
});

test('compare: Monte Carlo randomization is seeded', () => {
  const many: Qrels = new Map();
  const ra: Record<string, number> = {};
  const rb: Record<string, number> = {};
  for (let i = 0; i < 20; i++) {
    many.set(`q${i}`, new Map([['r', 1]]));
    ra[`q${i}`] = 1 + (i % 3);
    rb[`q${i}`] = 1 + ((i * 7) % 4);
  }
  const opts = { metrics: ['mrr'], permutations: 2000, seed: 9 };
  const x = compareRuns(runWithRanks(ra), runWithRanks(rb), many, opts).comparisons[0];
  const y = compareRuns(runWithRanks(ra), runWithRanks(rb), many, opts).comparisons[0];
  assert.equal(x.exact, false);
  assert.equal(x.randomizationP, y.randomizationP);
  assert.ok(x.randomizationP > 0 && x.randomizationP <= 1);
});

test('readQrels detects TREC and BEIR layouts (header, tabs, gzip)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-qrels-'));
  const trec = join(dir, 'q.trec');
  writeFileSync(trec, '# comment\nq1 0 d1 1\nq1 0 d2 0\nq2 0 d3 2\n');
  const beir = join(dir, 'test.tsv');
  writeFileSync(beir, 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t2\n');
  const beirGz = join(dir, 'test.tsv.gz');
  writeFileSync(beirGz, gzipSync('q1\td1\t1\n'));
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, 'q1 d1\n');
  assert.equal(await detectQrelsFormat(trec), 'trec');
  assert.equal(await detectQrelsFormat(beir), 'beir');
  assert.equal(await detectQrelsFormat(beirGz), 'beir');
  const t = await readQrels(trec);
  assert.equal(t.format, 'trec');
  assert.equal(t.qrels.get('q2')?.get('d3'), 2);
  const b = await readQrels(beir);
  assert.deepEqual([...b.qrels.keys()], ['q1', 'q2']);
  await assert.rejects(detectQrelsFormat(bad), /bad\.txt:1: cannot tell the qrels format/);
});
