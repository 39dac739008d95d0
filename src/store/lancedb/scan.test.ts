/**
 * The in-memory exact scan: its kernels, and the same hits (ids, order, scores within 1e-5) as
 * LanceDB's flat scan (`scanMemoryMb: 0`) for each distance, with and without filters, before and
 * after a write moves the handle to a new version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreAll, topRows, type VectorMatrix } from './scan.ts';
import { LanceCollectionStore } from './store.ts';
import type { Fingerprint } from '../fingerprint.ts';
import type { Distance } from '../types.ts';

test('scoreAll scores dot, cosine and minus squared l2; topRows keeps the best rows, ties by lower row, honouring keep', () => {
  const m: VectorMatrix = {
    ids: ['a', 'b', 'c'],
    docIds: ['a', 'b', 'c'],
    index: new Int32Array(3),
    dims: 5,
    vectors: new Float32Array([1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0, 1]),
    norms: new Float32Array([1, 2, Math.sqrt(3)]),
  };
  const q = new Float32Array([2, 0, 0, 0, 0]);
  assert.deepEqual([...scoreAll(m, q, 'dot')], [2, 0, 2]);
  assert.deepEqual(
    [...scoreAll(m, q, 'cosine')].map((x) => +x.toFixed(5)),
    [1, 0, +(1 / Math.sqrt(3)).toFixed(5)],
  );
  assert.deepEqual([...scoreAll(m, q, 'l2')], [-1, -8, -3]);
  const s = new Float32Array([0.5, 0.9, 0.1, 0.9, 0.7]);
  assert.deepEqual(topRows(s, 3), [
    { row: 1, score: s[1] },
    { row: 3, score: s[3] },
    { row: 4, score: s[4] },
  ]);
  assert.deepEqual(
    topRows(s, 2, (r) => r % 2 === 0).map((h) => h.row),
    [4, 0],
  );
  assert.deepEqual(
    topRows(s, 300).map((h) => h.row),
    [1, 3, 4, 0, 2],
  );
});

const DIMS = 12;
const fingerprint: Fingerprint = {
  models: { dense: { id: 'test/seeded', dims: DIMS } },
  analyzer: 'none',
  chunking: { size: 8, overlap: 2 },
};

function vectorOf(text: string): Float32Array {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return Float32Array.from({ length: DIMS }, () => ((h = Math.imul(h ^ (h >>> 13), 1540483477)) >>> 0) / 4294967296 - 0.5);
}

test("the in-memory scan returns what LanceDB's flat scan returns, for every distance and filter, across versions", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-scan-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const embed = async (texts: string[]) => texts.map(vectorOf);
  const docs = Array.from({ length: 120 }, (_, i) => ({
    id: `d${i}`,
    text: `document ${i} has words ${i * 7} and more words ${i % 9} to chunk into pieces`,
    metadata: { group: i % 20 },
  }));
  for (const distance of ['dot', 'cosine', 'l2'] as Distance[]) {
    const dir = join(root, distance);
    const memory = await LanceCollectionStore.create(dir, { fingerprint, dims: DIMS, distance });
    const flat = await LanceCollectionStore.open(dir, { scanMemoryMb: 0 });
    t.after(() => Promise.all([memory.close(), flat.close()]));
    await memory.upsert(docs.slice(0, 80), { embed });
    const compare = async (label: string) => {
      await flat.refresh();
      for (const [i, filter] of [undefined, 'group = 3', 'group < 15'].entries()) {
        const q = vectorOf(`query ${label} ${i}`);
        const a = await memory.vectorSearch(q, 10, filter ? { filter } : {});
        const b = await flat.vectorSearch(q, 10, filter ? { filter } : {});
        assert.ok(a.length > 0);
        assert.deepEqual(
          a.map((h) => h.id),
          b.map((h) => h.id),
          `${distance} ${label} ${filter}`,
        );
        a.forEach((h, j) => assert.ok(Math.abs(h.score - b[j].score) < 1e-5, `${distance} score of ${h.id}: ${h.score} vs ${b[j].score}`));
      }
    };
    await compare('v2');
    await memory.upsert(docs.slice(40), { embed }); // a new version: the handle's cached vectors must follow
    await memory.delete(['d50']);
    await compare('v4');
    assert.ok((await memory.vectorSearch(vectorOf('x'), 1000)).every((h) => h.docId !== 'd50'));
  }
});
