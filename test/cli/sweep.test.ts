/** `shortlist sweep` (and `shortlist calibrate`) end to end on a generated BEIR collection with BM25 → tiny cross-encoder. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { loadCalibration } from '../../src/lab/calibrate/index.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-cli-sweep-'));
after(() => rmSync(root, { recursive: true, force: true }));
const beir = join(root, 'beir');
writeCollection(beir, { docs: 80, queries: 5, seed: 3 });

async function pipelineFile(): Promise<string> {
  const ce = await tinyModel('classifier');
  const file = join(root, 'p.json');
  writeFileSync(
    file,
    JSON.stringify({
      retrievers: [{ type: 'bm25' }],
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 10, threads: 1 }],
      k: 10,
    }),
  );
  return file;
}

test('prints one row per depth and a recommendation; --json carries the same', async () => {
  const p = await pipelineFile();
  const text = await runCli(['sweep', beir, '--pipeline', p, '--depths', '20,5,10']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /K\s+recall@K\s+ndcg@10\s+mrr@10\s+bm25 ms mean\/p95/);
  const rows = text.stdout.split('\n').filter((l) => /^\s*(5|10|20)\s+\d\.\d{4}/.test(l));
  assert.deepEqual(
    rows.map((l) => Number(l.trim().split(/\s+/)[0])),
    [5, 10, 20],
  );
  assert.match(text.stdout, /recommendation: K=(5|10|20) \(smallest depth/);

  const json = await runCli(['sweep', beir, '--pipeline', p, '--depths', '5,10,20', '--latency-budget', '100000', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const x = JSON.parse(json.stdout);
  assert.deepEqual(
    x.rows.map((r: { depth: number }) => r.depth),
    [5, 10, 20],
  );
  assert.match(x.recommendation.reason, /latency fits 100000 ms/);
  assert.deepEqual(x.rerankScored, [x.candidates]);
});

test('a bad depth list fails naming the flag', async () => {
  const r = await runCli(['sweep', beir, '--pipeline', 'bm25', '--depths', '10,x']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--depths must be a positive whole number, got "x"/);
});

test('calibrate fits the cross-encoder scores, reports before/after and writes a loadable fit', async () => {
  const p = await pipelineFile();
  const out = join(root, 'fit.json');
  const r = await runCli(['calibrate', beir, '--pipeline', p, '--method', 'platt', '--held-out', '0.4', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stage cross-encoder: \d+ scored pairs/);
  assert.match(r.stdout, /before\s+0\.\d{4}\s+0\.\d{4}\nafter\s+0\.\d{4}\s+0\.\d{4}/);
  const fit = loadCalibration(JSON.parse(readFileSync(out, 'utf8')), out);
  assert.equal(fit.method, 'platt');
  assert.match(fit.fingerprint!, /^cross-encoder:[0-9a-f]{16}$/);
  const json = JSON.parse((await runCli(['calibrate', beir, '--pipeline', p, '--stage', 'bm25', '--method', 'isotonic', '--json'])).stdout);
  assert.equal(json.stage, 'bm25');
  assert.equal(json.uncalibrated, 'sigmoid');
  // isotonic fitted on the same kind of data improves the Brier score of sigmoid(BM25) by a lot
  assert.ok(json.heldOut.after.brier < json.heldOut.before.brier, JSON.stringify(json.heldOut));
});
