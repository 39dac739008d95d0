/**
 * Kernels of the in-process vector index beyond test/dense/ann.test.ts: top rows for large limits
 * (selection, then a sort of the selected rows only) equal a full sort, ties by lower row, with and
 * without a filter; selection equals a sorted array's element.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectKth, topRows } from '../../src/retrieve/ann/kernels.ts';

/** Seeded uniform stream in [0, 1). */
function uniform(seed: number): () => number {
  let h = seed | 0;
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The reference: every kept row sorted by score, then row. */
function sorted(scores: Float32Array, limit: number, keep?: (row: number) => boolean) {
  const rows: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!keep || keep(i)) rows.push(i);
  rows.sort((a, b) => scores[b] - scores[a] || a - b);
  return rows.slice(0, limit).map((row) => ({ row, score: scores[row] }));
}

test('topRows beyond 256 rows equals a full sort (ties by lower row), filtered or not', () => {
  const next = uniform(17);
  for (let c = 0; c < 200; c++) {
    const n = 1 + Math.floor(next() * 3000);
    const ties = next() < 0.5; // Hamming scores are small integers: many ties at the cut
    const scores = Float32Array.from({ length: n }, () => (ties ? -Math.floor(next() * 20) : next() - 0.5));
    const limit = 257 + Math.floor(next() * 1500);
    const keep = next() < 0.3 ? (r: number) => r % 3 !== 0 : undefined;
    assert.deepEqual(topRows(scores, limit, keep), sorted(scores, limit, keep), `case ${c}: n ${n}, limit ${limit}`);
  }
  assert.deepEqual(
    topRows(new Float32Array(300).fill(1), 257, () => false),
    [],
  );
});

test('selectKth returns the k-th smallest value', () => {
  const next = uniform(5);
  for (let c = 0; c < 100; c++) {
    const n = 1 + Math.floor(next() * 500);
    const a = Float32Array.from({ length: n }, () => Math.floor(next() * 50));
    const k = Math.floor(next() * n);
    const want = Float32Array.from(a).sort()[k];
    assert.equal(selectKth(a, k), want);
  }
});

test('VectorIndex.append: a scan structure with rows appended answers exactly as one built over all rows', async () => {
  const { VectorIndex } = await import('../../src/retrieve/ann/index.ts');
  const { dotScorer } = await import('../../src/retrieve/ann/calibrate.ts');
  const { clustered } = await import('../dense/vectors.ts');
  const dims = 32;
  const all = clustered(1200, dims, 8, 3);
  const head = all.slice(0, 1000 * dims);
  for (const structure of [
    { kind: 'exact', quantization: 'int8', rescore: 4 },
    { kind: 'exact', quantization: 'binary', rescore: 8, centred: true },
    { kind: 'exact', quantization: 'binary', rescore: 8 },
    { kind: 'exact', quantization: 'none', rescore: 1 },
  ] as const) {
    const appended = VectorIndex.append(VectorIndex.build(head, dims, structure), all);
    assert.equal(appended.size, 1200);
    // the kept ranges / centre are the head's: equal to an index built over all rows only when those match, so compare with one built with the head's
    const reference = VectorIndex.build(head, dims, structure);
    for (let i = 0; i < 20; i++) {
      const q = all.subarray((1000 + i * 9) * dims, (1001 + i * 9) * dims);
      const got = appended.search(q, 10, dotScorer(all, q));
      assert.equal(got.length, 10);
      // an appended row queried by its own vector is found first (its codes were written)
      assert.equal(got[0].row, 1000 + i * 9, `${JSON.stringify(structure)} query ${i}`);
      // rows of the head keep their codes: the head's own top rows come back among the appended index's
      const headTop = reference.search(q, 5, dotScorer(head, q)).map((h) => h.row);
      const within = new Set(appended.search(q, 50, dotScorer(all, q)).map((h) => h.row));
      for (const r of headTop) assert.ok(within.has(r), `${JSON.stringify(structure)}: head row ${r}`);
    }
  }
  assert.throws(
    () =>
      VectorIndex.append(VectorIndex.build(head, dims, { kind: 'exact', quantization: 'int8', rescore: 2 }), head.subarray(0, 10 * dims)),
    /do not extend/,
  );
});
