/**
 * A directory collection's config values are `<name>.json` files: absent is undefined, a file that
 * is not JSON is INDEX_CORRUPT naming it, and the stage calibrations and the query adapter stored
 * through `Collection.config` are the very `<name>.json` files of the directory.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShortlistError } from '../../src/core/errors.ts';
import { Collection } from '../../src/engine/collection.ts';
import { readConfigFile, writeConfigFile } from '../../src/engine/home/local.ts';
import { ADAPTER_FILE, readCollectionAdapter, storeCollectionAdapter } from '../../src/lab/adapt/index.ts';
import { CALIBRATION_FILE, fitCalibration, loadStageCalibrations, storeStageCalibration } from '../../src/lab/calibrate/index.ts';
import { folderConfig } from '../support/folder-config.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-colconfig-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('config files: round trip, absent, not JSON, bad name', () => {
  assert.equal(readConfigFile(root, 'thing'), undefined);
  assert.equal(writeConfigFile(root, 'thing', { a: [1, 2] }), join(root, 'thing.json'));
  assert.deepEqual(readConfigFile(root, 'thing'), { a: [1, 2] });
  writeFileSync(join(root, 'broken.json'), '{nope');
  assert.throws(
    () => readConfigFile(root, 'broken'),
    (e: ShortlistError) => e.code === 'INDEX_CORRUPT' && e.message.includes(join(root, 'broken.json')),
  );
  assert.throws(
    () => writeConfigFile(root, '../escape', 1),
    (e: ShortlistError) => e.code === 'INVALID_ARGUMENT',
  );
});

test('Collection.config of a directory reads and writes calibration.json and query-adapter.json', async () => {
  const dir = join(root, 'c');
  const c = await Collection.create(dir, 'bm25');
  try {
    assert.equal(c.location, dir, 'location: where the collection lives, as given');
    assert.equal(c.dir, dir, 'dir: the deprecated name of the same');
    const scores = Float64Array.from({ length: 200 }, (_, i) => i / 200);
    const labels = scores.map((s, i) => (s + ((i * 7) % 10) / 20 > 0.7 ? 1 : 0));
    const a = fitCalibration(scores, labels, { fingerprint: 'a:1' });
    const b = fitCalibration(scores, labels, { method: 'isotonic', fingerprint: 'b:1' });
    await storeStageCalibration(folderConfig(dir), 'a', a);
    assert.equal(await storeStageCalibration(c.config, 'b', b), join(dir, CALIBRATION_FILE));
    const sync = await loadStageCalibrations(folderConfig(dir));
    const viaConfig = await loadStageCalibrations(c.config);
    assert.deepEqual(Object.keys(sync).sort(), ['a', 'b']);
    for (const name of ['a', 'b']) assert.deepEqual(viaConfig[name].params, sync[name].params);
    assert.equal(viaConfig.b.apply(0.9), b.apply(0.9));
    assert.equal(JSON.parse(readFileSync(join(dir, CALIBRATION_FILE), 'utf8')).version, 1);

    const model = { id: 'm', revision: 'sha256:abc', dims: 3 };
    const adapter = { dims: 3, W: Float32Array.from([1, 0.5, 0, 0, 1, 0, 0.25, 0, 1]), b: Float32Array.from([0, 0.1, 0]) };
    assert.equal(await readCollectionAdapter(c.config), undefined);
    await storeCollectionAdapter(folderConfig(dir), adapter, { model });
    assert.deepEqual(
      (await readCollectionAdapter(c.config))!.adapter,
      adapter,
      'the file written beside the collection reads through config',
    );
    assert.equal(await storeCollectionAdapter(c.config, adapter, { model, training: { epochs: 2 } }), join(dir, ADAPTER_FILE));
    const back = (await readCollectionAdapter(folderConfig(dir)))!;
    assert.deepEqual(back.adapter, adapter, 'the value stored through config is the adapter file');
    assert.deepEqual(back.training, { epochs: 2 });
  } finally {
    await c.close();
  }
});
