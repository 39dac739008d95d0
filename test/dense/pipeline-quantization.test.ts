/**
 * The dense retriever's `quantization` reaches the collection's index: a binary pipeline commits
 * a binary structure (its memory per vector in `info`), search answers through it, the stored
 * pipeline keeps it; `shortlist info` prints the index line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { writeCollection } from '../support/collection.ts';
import { runCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-dense-q-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('pipeline dense.quantization binary: a binary index with rescoring, shown by info, `shortlist info` and `search --explain`', async () => {
  const model = await tinyModel('encoder');
  const data = writeCollection(join(root, 'beir'), { docs: 120, queries: 4, seed: 5 });
  const docs = data.docs.map((d) => ({ id: d._id, title: d.title, text: d.text }));
  const dir = join(root, 'binary');
  const c = await Collection.create(dir, {
    retrievers: [{ type: 'dense', model, pooling: 'mean', normalize: true, maxLength: 64, threads: 1, quantization: 'binary' }],
    depth: 10,
    k: 5,
  });
  try {
    await c.add(docs);
    const v = (await c.info()).vectorIndex!;
    assert.equal(v.quantization, 'binary');
    assert.equal(v.restrictedTo, 'binary');
    assert.equal(v.bytesPerVector, Math.ceil((await c.info()).dims / 32) * 4);
    assert.ok(v.rescore >= 1);
    assert.equal((await c.search(data.queries[0].text)).hits.length, 5);
  } finally {
    await c.close();
  }
  const out = await runCli(['info', dir]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /vector index\s+exact binary( centred)?, rescore \d+×; \d+ B\/vector searched \(float32: \d+\)/);
  const explained = await runCli(['search', dir, data.queries[0].text, '--explain']);
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, /^dense path: exact binary( centred)?, rescore \d+×$/m);
});
