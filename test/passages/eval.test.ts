/**
 * Evaluation by unit on a generated BEIR collection (no ../shared needed): a passage-unit run is
 * judged by each passage's document at the rank of its best passage (no document twice), a
 * document-unit run is what it was; the sweep replays either unit; `eval --unit` names the unit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import { sweep } from '../../src/lab/sweep.ts';
import { writeCollection } from '../support/collection.ts';
import { runCli } from '../support/cli.ts';

let root: string;
let dir: string;
const chunking = { size: 12, overlap: 2 };

before(() => {
  root = mkdtempSync(join(tmpdir(), 'shortlist-passages-eval-'));
  dir = join(root, 'beir');
  writeCollection(dir, { docs: 120, queries: 12, seed: 3 });
});

after(() => rmSync(root, { recursive: true, force: true }));

test('eval: a passage run judges documents once each, at their best passage; the document run is unchanged', async () => {
  const docRun = await evaluatePipeline(dir, { retrievers: [{ type: 'bm25' }], depth: 20, chunking });
  const bare = await evaluatePipeline(dir, { retrievers: [{ type: 'bm25' }], depth: 20 });
  assert.deepEqual(docRun.stages[0].metrics, bare.stages[0].metrics, 'chunking does not touch document-unit BM25');
  const passage = await evaluatePipeline(dir, { retrievers: [{ type: 'bm25' }], depth: 20, chunking, unit: 'passage' });
  assert.equal(passage.pipeline.unit, 'passage');
  for (const list of passage.runs.get('bm25')!.values()) {
    const ids = list.map((e) => e.docid);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => !/#\d+$/.test(id)));
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].score >= list[i].score);
  }
  assert.ok(passage.stages[0].candidates <= 20);
  assert.ok(passage.stages[0].metrics['ndcg@10'] > 0.3, JSON.stringify(passage.stages[0].metrics));
});

test('sweep works on either unit', async () => {
  for (const unit of ['document', 'passage'] as const) {
    const x = await sweep(dir, { retrievers: [{ type: 'bm25' }], chunking, unit }, { depths: [5, 10, 20] });
    assert.deepEqual(
      x.rows.map((r) => r.depth),
      [5, 10, 20],
    );
    for (let i = 1; i < x.rows.length; i++) assert.ok(x.rows[i].recall >= x.rows[i - 1].recall);
  }
});

test('eval --pipeline bm25 --unit passage names the unit; a bad --unit is a clear error', async () => {
  const r = await runCli(['eval', dir, '--pipeline', 'bm25', '--unit', 'passage', '--depth', '10']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pipeline: bm25, unit passage, depth 10/);
  const bad = await runCli(['eval', dir, '--pipeline', 'bm25', '--unit', 'chunk']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--unit must be document or passage, got "chunk"/);
});
