import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Document } from '../../core/types.ts';
import { DocStore, MemoryLog, encodeDocument } from './doc-store.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-docstore-'));
after(() => rmSync(root, { recursive: true, force: true }));

const docs: Document[] = Array.from({ length: 50 }, (_, i) => ({
  id: `id-${i}`,
  ...(i % 2 ? { title: `Tïtle ${i} 🚀` } : {}),
  text: 'x'.repeat(i * 7) + ' ünïcode',
  ...(i % 5 === 0 ? { metadata: { i, tags: ['a', 'b'] } } : {}),
}));

function storeOf(list: Document[], chunkBytes: number): DocStore {
  const log = new MemoryLog(chunkBytes);
  const starts = new Float64Array(list.length);
  const lengths = new Uint32Array(list.length);
  list.forEach((d, i) => {
    const r = log.append(encodeDocument(d));
    starts[i] = r.start;
    lengths[i] = r.length;
  });
  return DocStore.fromLog(log, starts, lengths);
}

test('records round-trip through memory chunks and a file, in any order after a merge', () => {
  const a = storeOf(docs.slice(0, 30), 64); // tiny chunks: records and copied runs straddle chunk ends
  const b = storeOf(docs.slice(30), 100);
  for (let i = 0; i < 30; i++) assert.deepEqual(a.get(i), docs[i]);

  // Keep the even docs of a (slots 0, 2, …, 28) and all of b: its first 15 at the odd slots 1…29, the rest at 30…34.
  const mapA = Int32Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? i : -1));
  const mapB = Int32Array.from({ length: 20 }, (_, j) => (j < 15 ? 2 * j + 1 : 15 + j));
  const merged = DocStore.merge(a, mapA, b, mapB, 35);
  const expected = Array.from({ length: 35 }, (_, s) => (s >= 30 ? docs[s + 15] : s % 2 === 0 ? docs[s] : docs[30 + (s - 1) / 2]));
  for (let s = 0; s < 35; s++) assert.deepEqual(merged.get(s), expected[s]);

  const path = join(root, 'docs.bin');
  const offsets = merged.writeTo(path);
  const fromFile = DocStore.fromFile(path, offsets);
  assert.equal(fromFile.size, 35);
  for (let s = 0; s < 35; s++) assert.deepEqual(fromFile.get(s), expected[s]);
  fromFile.close();
  assert.throws(() => fromFile.get(0), { name: 'ShortlistError' });
});
