/**
 * The LanceDB store's commit appends to a scan structure on a small write that only adds rows
 * (`VectorIndex.append`: previous codes kept, only the new rows quantized) instead of deriving every
 * row's codes again; the appended index answers as the index rebuilt from all rows does. A write
 * that changes or deletes rows rebuilds.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanceCollectionStore } from '../../src/store/lancedb/store.ts';
import { readManifest } from '../../src/store/lancedb/manifest.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import type { Quantization } from '../../src/retrieve/ann/quantize.ts';
import { clustered } from '../dense/vectors.ts';

const DIMS = 32;
const fingerprint: Fingerprint = {
  models: { dense: { id: 'test/seeded', dims: DIMS } },
  analyzer: 'none',
  chunking: { size: 64, overlap: 0 },
};
const embedFrom = (vectors: Float32Array) => async (texts: string[]) =>
  texts.map((t) => {
    const i = Number(t.slice(1));
    return vectors.slice(i * DIMS, (i + 1) * DIMS);
  });
const queries = clustered(40, DIMS, 16, 3, 777);
const query = (i: number) => queries.slice(i * DIMS, (i + 1) * DIMS);

/** A fresh directory collection (removed after the test) whose document `d<i>` embeds as row i of `vectors`. */
async function collection(t: TestContext, vectors: Float32Array, quantization: Quantization) {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-append-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'c');
  const store = await LanceCollectionStore.create(dir, {
    fingerprint,
    dims: DIMS,
    distance: 'dot',
    annQuantization: quantization,
    annRecall: 0.95,
  });
  return { dir, store, embed: embedFrom(vectors) };
}

/** Documents `d<from>` … `d<to − 1>`. */
const docs = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ id: `d${from + i}`, text: `v${from + i}` }));

for (const quantization of ['none', 'int8', 'binary'] as const satisfies readonly Quantization[]) {
  test(`${quantization}: a write that only adds rows appends to the scan structure; its answers equal the rebuilt index's`, async (t) => {
    const { dir, store, embed } = await collection(t, clustered(2600, DIMS, 16, 3), quantization);
    await store.upsert(docs(0, 2500), { embed, batchSize: 1024 });
    const first = readManifest(dir).vectorIndex!;
    assert.equal(first.made, 'calibrated');
    assert.equal(first.calibration.structure.kind, 'exact');
    await store.vectorSearch(query(0), 10); // the handle now holds the version's index

    await store.upsert(docs(2500, 2600), { embed });
    const second = readManifest(dir).vectorIndex!;
    assert.equal(second.made, 'appended', JSON.stringify(second));
    assert.equal(second.rows, 2600);
    assert.equal(second.derivedRows, 2500);
    assert.deepEqual(second.calibration.structure, first.calibration.structure);
    const appended = await Promise.all(Array.from({ length: 40 }, (_, i) => store.vectorSearch(query(i), 10)));
    assert.ok(
      appended.some((hits) => hits.some((h) => Number(h.docId.slice(1)) >= 2500)),
      'appended rows are found',
    );

    // the same version opened by a fresh handle: the structure rebuilt from all 2,600 rows
    const fresh = await LanceCollectionStore.open(dir);
    const rebuilt = await Promise.all(Array.from({ length: 40 }, (_, i) => fresh.vectorSearch(query(i), 10)));
    const s = second.calibration.structure;
    if (s.quantization === 'none' || (s.quantization === 'binary' && !s.centred)) {
      // float32 and plain sign bits do not depend on the other rows: the same codes, the same answers
      assert.deepEqual(appended, rebuilt);
    } else {
      // int8 ranges / the binary centre were derived from the first 2,500 rows: the shortlists may differ at their edge
      let same = 0;
      appended.forEach((hits, i) => {
        for (const h of hits) {
          const r = rebuilt[i].find((x) => x.id === h.id);
          if (r) {
            same++;
            assert.equal(r.score, h.score, 'rescored with the same float32 vectors');
          }
        }
      });
      assert.ok(same / 400 >= 0.98, `${s.quantization}: ${same}/400 hits shared with the rebuilt index`);
    }
    await fresh.close();

    // a write that deletes rows is not an append: rebuilt over the rows
    await store.delete(['d3']);
    assert.equal(readManifest(dir).vectorIndex!.made, 'rebuilt');
    await store.close();
  });
}

test('appends stop once the rows added since the codes were derived reach a tenth of them', async (t) => {
  const { dir, store, embed } = await collection(t, clustered(2800, DIMS, 16, 5), 'int8');
  await store.upsert(docs(0, 2000), { embed, batchSize: 1024 });
  const made: string[] = [];
  for (let from = 2000; from < 2400; from += 100) {
    await store.upsert(docs(from, from + 100), { embed });
    made.push(readManifest(dir).vectorIndex!.made);
  }
  // codes derived from 2,000 rows: +100 appended; +200 (a tenth) rebuilt, deriving from 2,200; then +100, +200 appended
  assert.deepEqual(made, ['appended', 'rebuilt', 'appended', 'appended']);
  assert.equal(readManifest(dir).vectorIndex!.derivedRows, 2200);
  await store.close();
});

test('the structure is calibrated again once the rows have doubled or halved since its calibration, not at every large write', async (t) => {
  const { dir, store, embed } = await collection(t, clustered(5000, DIMS, 16, 9), 'int8');
  await store.upsert(docs(0, 2000), { embed, batchSize: 1024 });
  const seen: [number, string, number | undefined][] = [];
  const record = () => {
    const v = readManifest(dir).vectorIndex!;
    seen.push([v.rows, v.made, v.calibratedRows]);
  };
  record();
  // +500 at a time: each a quarter of the rows (the former rule, a tenth, calibrated at every one)
  for (let from = 2000; from < 4500; from += 500) {
    await store.upsert(docs(from, from + 500), { embed });
    record();
  }
  assert.deepEqual(
    seen.map(([rows, made, at]) => [rows, made === 'calibrated' ? 'calibrated' : 'kept', at]),
    [
      [2000, 'calibrated', 2000],
      [2500, 'kept', 2000],
      [3000, 'kept', 2000],
      [3500, 'kept', 2000],
      [4000, 'calibrated', 4000],
      [4500, 'kept', 4000],
    ],
  );
  // halving: deleting down to below half of 4,000 calibrates again
  await store.delete(Array.from({ length: 2600 }, (_, i) => `d${i}`));
  const after = readManifest(dir).vectorIndex!;
  assert.deepEqual([after.rows, after.made, after.calibratedRows], [1900, 'calibrated', 1900]);
  await store.close();
});
