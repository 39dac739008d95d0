/**
 * A LanceDB collection searched through the in-process vector index: the float32 exact path
 * returns exactly the plain scan (ids, order, scores), with and without filters; an HNSW graph is
 * a part file the manifest names, memory-mapped on open, rebuilt when missing, damaged or stale,
 * extended by a small write; quantized structures report their memory; a writer killed while it
 * rebuilds the index leaves the previous version served and the next write whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LanceCollectionStore, type LanceOpenOptions } from '../../src/store/lancedb/store.ts';
import { readManifest } from '../../src/store/lancedb/manifest.ts';
import { usearch } from '../../src/retrieve/ann/usearch.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import type { Distance } from '../../src/store/types.ts';
import { clustered } from './vectors.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIMS = 32;
const fingerprint: Fingerprint = {
  models: { dense: { id: 'test/seeded', dims: DIMS } },
  analyzer: 'none',
  chunking: { size: 64, overlap: 0 },
};
const noHnsw = usearch() ? false : 'usearch does not load on this platform';

function embedFrom(vectors: Float32Array) {
  return async (texts: string[]) =>
    texts.map((t) => {
      const i = Number(t.slice(1));
      return vectors.slice(i * DIMS, (i + 1) * DIMS);
    });
}

async function collection(
  t: { after(fn: () => void): void },
  n: number,
  options: LanceOpenOptions & { distance?: Distance } = {},
  seed = 3,
) {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-dense-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'c');
  const vectors = clustered(n, DIMS, 16, seed);
  if (options.distance === 'cosine') for (let i = 0; i < vectors.length; i++) vectors[i] *= 1 + (i % 7) / 3; // rows of several norms
  const store = await LanceCollectionStore.create(dir, { fingerprint, dims: DIMS, ...options });
  const docs = Array.from({ length: n }, (_, i) => ({ id: `d${i}`, text: `v${i}`, metadata: { group: i % 10, rare: i % 97 === 0 } }));
  await store.upsert(docs, { embed: embedFrom(vectors), batchSize: 1024 });
  return { dir, store, vectors };
}

const queries = clustered(30, DIMS, 16, 3, 777);
const query = (i: number) => queries.slice(i * DIMS, (i + 1) * DIMS);

for (const distance of ['dot', 'cosine'] as const) {
  test(`${distance}: the calibrated float32 exact path gives per-query the same hits and scores as the plain scan, filtered or not`, async (t) => {
    const { store } = await collection(t, 2500, { distance, annQuantization: 'none' });
    const info = await store.info();
    assert.equal(info.vectorIndex?.path, 'exact float32');
    assert.equal(info.vectorIndex?.bytesPerVector, DIMS * 4);
    for (let i = 0; i < 30; i++) {
      for (const filter of [undefined, 'group = 3', 'rare = true']) {
        const got = await store.vectorSearch(query(i), 10, { filter });
        const want = await store.vectorSearch(query(i), 10, { filter, exact: true });
        assert.deepEqual(got, want, `query ${i} filter ${filter}`);
      }
    }
    await store.close();
  });
}

test('HNSW: the graph is a part file the manifest names, memory-mapped on open; missing, damaged or stale parts are rebuilt; a small write extends it', {
  skip: noHnsw,
}, async (t) => {
  const { dir, store } = await collection(t, 3000, { distance: 'dot', annEf: 200, annThreshold: 100 });
  const m = readManifest(dir);
  const file = m.vectorIndex?.file;
  assert.ok(file && existsSync(join(dir, 'parts', file)), JSON.stringify(m.vectorIndex));
  assert.equal((await store.info()).vectorIndex?.path, 'hnsw float32, ef 200, rescore 1×');
  const before = await Promise.all(Array.from({ length: 30 }, (_, i) => store.vectorSearch(query(i), 10)));
  const exact = await Promise.all(Array.from({ length: 30 }, (_, i) => store.vectorSearch(query(i), 10, { exact: true })));
  const recall = (hits: { id: string }[][]) =>
    hits.reduce((s, h, i) => s + h.filter((x) => exact[i].some((e) => e.id === x.id)).length, 0) / (30 * 10);
  assert.ok(recall(before) >= 0.95, `recall ${recall(before)}`);
  await store.close();
  const reopen = async () => {
    const s = await LanceCollectionStore.open(dir);
    const hits = await Promise.all(Array.from({ length: 30 }, (_, i) => s.vectorSearch(query(i), 10)));
    await s.close();
    return hits;
  };
  assert.deepEqual(await reopen(), before, 'viewed from the part');
  writeFileSync(join(dir, 'parts', file), 'damaged');
  assert.ok(recall(await reopen()) >= 0.95, 'rebuilt from a damaged part');
  rmSync(join(dir, 'parts', file));
  assert.ok(recall(await reopen()) >= 0.95, 'rebuilt from a missing part');

  // a write of < 10% keeps the structure and extends the previous graph into a new part
  const s = await LanceCollectionStore.open(dir, { annEf: 200, annThreshold: 100 });
  const more = clustered(100, DIMS, 16, 3, 55);
  await s.upsert(
    Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, text: `v${i}` })),
    { embed: embedFrom(more) },
  );
  assert.equal(readManifest(dir).vectorIndex?.made, 'rebuilt', 'the previous part was removed above: rebuilt from the rows');
  await s.delete(['d0', 'd1', 'd2']);
  const m2 = readManifest(dir);
  assert.equal(m2.vectorIndex?.made, 'extended');
  assert.notEqual(m2.vectorIndex?.file, file);
  assert.ok(existsSync(join(dir, 'parts', m2.vectorIndex!.file!)));
  assert.equal(m2.vectorIndex?.rows, 3097);
  for (let i = 0; i < 30; i++) {
    const got = await s.vectorSearch(query(i), 10);
    const want = await s.vectorSearch(query(i), 10, { exact: true });
    assert.ok(got.filter((h) => want.some((w) => w.id === h.id)).length >= 8, `query ${i}`);
    assert.ok(!got.some((h) => ['d0', 'd1', 'd2'].includes(h.docId)), 'deleted rows are gone');
  }
  // a stale part (rows of another version) is not trusted: rebuilt, same answers
  const stale = { ...m2, vectorIndex: { ...m2.vectorIndex!, idsHash: 'not-these-rows' } };
  writeFileSync(join(dir, 'MANIFEST.json'), JSON.stringify(stale));
  const s2 = await LanceCollectionStore.open(dir);
  for (let i = 0; i < 5; i++) assert.ok((await s2.vectorSearch(query(i), 10)).length === 10);
  await s2.close();
  await s.close();
});

test('quantized structures: int8 and binary codes with rescoring, their memory per vector in info', async (t) => {
  for (const [q, bytes] of [
    ['int8', DIMS],
    ['binary', DIMS / 8],
  ] as const) {
    const { store } = await collection(t, 3000, { distance: 'dot', annQuantization: q, annRecall: 0.95 });
    const info = (await store.info()).vectorIndex!;
    assert.equal(info.quantization, q);
    assert.equal(info.bytesPerVector, bytes);
    assert.equal(info.restrictedTo, q);
    let hit = 0;
    for (let i = 0; i < 30; i++) {
      const got = await store.vectorSearch(query(i), 10);
      const want = await store.vectorSearch(query(i), 10, { exact: true });
      hit += got.filter((h) => want.some((w) => w.id === h.id && Math.abs(w.score - h.score) < 1e-6)).length;
    }
    assert.ok(hit / 300 >= 0.9, `${q}: recall ${hit / 300} (${info.path})`);
    await store.close();
  }
});

test('crash: a writer killed while it rebuilds the index leaves the previous version served; the next write commits whole', {
  skip: noHnsw,
}, async (t) => {
  const { dir, store } = await collection(t, 1500, { distance: 'dot', annEf: 64, annThreshold: 100 });
  const v1 = (await store.info()).version;
  const before = await Promise.all(Array.from({ length: 10 }, (_, i) => store.vectorSearch(query(i), 10)));
  await store.close();
  let sawPart = false;
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'crash-child.ts'), dir, '3000', '9'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', async (d: Buffer) => {
      if (!String(d).includes('embedded')) return;
      const parts = join(dir, 'parts');
      for (let waited = 0; waited < 3000 && !sawPart; waited++) {
        sawPart = existsSync(parts) && readdirSync(parts).some((f) => f.includes('.tmp-'));
        if (!sawPart) await new Promise((r) => setTimeout(r, 1));
      }
      child.kill('SIGKILL');
      resolve();
    });
  });
  await exited;
  const after = await LanceCollectionStore.open(dir);
  const v = (await after.info()).version;
  if (v === v1) {
    assert.deepEqual(
      await Promise.all(Array.from({ length: 10 }, (_, i) => after.vectorSearch(query(i), 10))),
      before,
      'the previous version, as before',
    );
  } else {
    assert.equal(v, v1 + 1, 'or the new version, whole');
    assert.equal((await after.info()).chunks, 4500);
  }
  await after.close();
  t.diagnostic(
    `killed ${sawPart ? 'while a part file was being written' : 'after the last embed'}; version ${v === v1 ? 'kept' : 'committed'}`,
  );
  // the next writer takes over and commits a whole version whose index answers
  const next = await LanceCollectionStore.open(dir, { annEf: 64, annThreshold: 100 });
  const more = clustered(10, DIMS, 16, 4);
  const r = await next.upsert(
    Array.from({ length: 10 }, (_, i) => ({ id: `n${i}`, text: `v${i}` })),
    { embed: embedFrom(more) },
  );
  assert.equal(r.version, v + 1);
  const info = await next.info();
  assert.equal(info.chunks, (v === v1 ? 1500 : 4500) + 10);
  assert.equal(readManifest(dir).vectorIndex?.rows, info.chunks);
  for (let i = 0; i < 10; i++) {
    const got = await next.vectorSearch(query(i), 10);
    const want = await next.vectorSearch(query(i), 10, { exact: true });
    assert.ok(got.filter((h) => want.some((w) => w.id === h.id)).length >= 8, `query ${i}`);
  }
  await next.close();
});
