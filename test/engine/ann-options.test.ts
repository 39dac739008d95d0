/**
 * The dense retriever's `ann` settings reach the store: with `threshold` below the collection's
 * size an add builds the ANN index and calibrates it to the pipeline's `recall`; without them the
 * same collection stays an exact scan.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-ann-options-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('pipeline dense.ann { threshold, recall } builds and calibrates the index; the default stays exact', async () => {
  const model = await tinyModel('encoder');
  const data = writeCollection(join(root, 'beir'), { docs: 120, queries: 4, seed: 5 });
  const docs = data.docs.map((d) => ({ id: d._id, title: d.title, text: d.text }));
  const dense = { type: 'dense' as const, model, pooling: 'mean' as const, normalize: true, maxLength: 64, threads: 1 };

  const tuned = await Collection.create(join(root, 'tuned'), {
    retrievers: [{ ...dense, ann: { threshold: 50, recall: 0.9 } }],
    depth: 10,
    k: 5,
  });
  try {
    await tuned.add(docs);
    const info = await tuned.info();
    assert.equal(info.ann, true, 'an ANN index is built above the threshold');
    assert.equal(info.annSearch?.source, 'calibrated');
    assert.equal(info.annSearch?.calibration?.target, 0.9);
    assert.ok(info.annSearch!.calibration!.recall >= 0.9 || info.annSearch!.mode === 'exact', JSON.stringify(info.annSearch));
    assert.equal((await tuned.search(data.queries[0].text)).hits.length, 5);
  } finally {
    await tuned.close();
  }
  const reopened = await Collection.open(join(root, 'tuned'));
  try {
    assert.equal((await reopened.info()).annSearch?.calibration?.target, 0.9, 'the stored pipeline keeps the setting');
  } finally {
    await reopened.close();
  }

  const plain = await Collection.create(join(root, 'plain'), { retrievers: [dense], depth: 10, k: 5 });
  try {
    await plain.add(docs);
    assert.equal((await plain.info()).ann, false, 'below the default threshold (50,000 chunks) search is exact');
  } finally {
    await plain.close();
  }
});
