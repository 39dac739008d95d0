/**
 * End to end on a dense collection with a generated tiny encoder: mine with the dense retriever,
 * train and store the adapter with `adaptCollection`, and check a search applies it (and
 * `adapter: false` does not); a collection refuses an adapter trained for another model.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { adaptCollection, ADAPTER_FILE, readCollectionAdapter, storeCollectionAdapter } from '../../src/lab/adapt/index.ts';
import { folderConfig } from '../support/folder-config.ts';
import { toJsonl } from '../../src/lab/export/index.ts';
import { mineHardNegatives, withMiningSource } from '../../src/lab/mine/index.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-adapt-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('mine (dense) → adapt → search applies the stored adapter; another model is refused', async () => {
  const model = await tinyModel('encoder');
  const data = writeCollection(join(root, 'beir'), { docs: 60, queries: 16, seed: 3 });
  const dense = { type: 'dense' as const, model, pooling: 'mean' as const, normalize: true, maxLength: 64, threads: 1 };
  const dir = join(root, 'c');
  const c = await Collection.create(dir, { retrievers: [{ type: 'bm25' }, dense], depth: 20, k: 5 });
  await c.add(data.docs.map((d) => ({ id: d._id, title: d.title, text: d.text })));
  await c.close();
  const items = data.queries.map((q) => ({
    queryId: q._id,
    query: q.text,
    positives: data.qrels
      .filter((r) => r[0] === q._id)
      .map((r) => ({ id: r[1], text: `${data.docs.find((d) => d._id === r[1])!.title} ${data.docs.find((d) => d._id === r[1])!.text}` })),
  }));
  const mined = await withMiningSource(dir, { retriever: 'dense', depth: 13 }, ({ retrieve }) =>
    mineHardNegatives(items, retrieve, { rangeMax: 10, numNegatives: 3 }),
  );
  assert.equal(mined.summary.queriesFull, 16);
  const file = join(root, 'mined.jsonl');
  writeFileSync(file, toJsonl('n-tuple', mined.queries, 3).text);
  const report = await adaptCollection(dir, { train: file, devFraction: 0.25, epochs: 5, learningRate: 0.01 });
  assert.equal(report.devQueries, 4);
  assert.ok(report.file?.endsWith(ADAPTER_FILE));
  assert.ok(report.before['recall@10'] >= 0 && report.after['recall@10'] >= 0);
  // make the stored adapter visibly non-identity, so the search must differ
  const stored = (await readCollectionAdapter(folderConfig(dir)))!;
  stored.adapter.W.reverse();
  await storeCollectionAdapter(folderConfig(dir), stored.adapter, { model: stored.model });
  const q = data.queries[0].text;
  const denseOnly = { retrievers: [dense], depth: 10, k: 10 };
  const withA = await Collection.open(dir, { pipeline: denseOnly });
  const without = await Collection.open(dir, { pipeline: denseOnly, adapter: false });
  try {
    const a = (await withA.search(q)).hits.map((h) => h.id);
    const b = (await without.search(q)).hits.map((h) => h.id);
    assert.notDeepEqual(a, b, 'the adapter changes the dense ranking');
    // the CLI: `search` applies the adapter, `search --no-adapter` does not
    const pfile = join(root, 'dense-only.json');
    writeFileSync(pfile, JSON.stringify(denseOnly));
    const ids = async (extra: string[]) => {
      const r = await runCli(['search', dir, q, '--pipeline', pfile, '--json', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { hits: { id: string }[] }).hits.map((h) => h.id);
    };
    assert.deepEqual(await ids([]), a);
    assert.deepEqual(await ids(['--no-adapter']), b);
  } finally {
    await withA.close();
    await without.close();
  }
  const raw = JSON.parse(readFileSync(join(dir, ADAPTER_FILE), 'utf8'));
  writeFileSync(join(dir, ADAPTER_FILE), JSON.stringify({ ...raw, model: { ...raw.model, revision: 'sha256:other' } }));
  const bad = await Collection.open(dir, { pipeline: denseOnly });
  try {
    await assert.rejects(bad.search(q), (e: Error & { code?: string }) => e.code === 'INDEX_MISMATCH');
  } finally {
    await bad.close();
  }
});
