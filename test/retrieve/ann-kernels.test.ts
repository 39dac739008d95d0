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
  assert.deepEqual(topRows(new Float32Array(300).fill(1), 257, () => false), []);
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
