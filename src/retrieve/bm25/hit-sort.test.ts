import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HitHeap, HitSorter } from './hit-sort.ts';
import { Bm25Index } from './index.ts';
import { bruteForce, randomDocs, rng, wsAnalyzer } from './test-helpers.ts';

type Hit = { doc: number; score: number };

/** Reference order: score descending, then document number ascending (`===` on scores). */
function reference(hits: Hit[], k: number): Hit[] {
  return [...hits].sort((a, b) => (a.score !== b.score ? b.score - a.score : a.doc - b.doc)).slice(0, k);
}

function asHits(top: { docs: Uint32Array; scores: Float64Array }): Hit[] {
  return Array.from(top.docs, (doc, i) => ({ doc, score: top.scores[i] }));
}

/** Random float32 hits over few distinct scores (many ties), negative, zero and −0 included. */
function randomHits(rand: () => number, n: number): Hit[] {
  const palette = [0, -0, 1.5, -2.25, 3e-39, -3e-39, 0.1, 7, 7, 1e30, -1e30, Math.fround(Math.PI)].map(Math.fround);
  const docs = new Set<number>();
  while (docs.size < n) docs.add(Math.floor(rand() * 4294967295)); // every 32-bit doc number
  return [...docs].map((doc) => ({
    doc,
    score: rand() < 0.5 ? palette[Math.floor(rand() * palette.length)] : Math.fround((rand() - 0.3) * 100),
  }));
}

test('HitSorter ranks by score desc then doc asc, with ties, negative, zero and −0 scores', () => {
  const rand = rng(7);
  const sorter = new HitSorter(2); // grows as needed
  for (const [n, k] of [
    [0, 5],
    [1, 1],
    [5, 10],
    [50, 50],
    [300, 20],
    [300, 0],
    [1000, 999],
    [64, 1000],
  ]) {
    const hits = randomHits(rand, n);
    sorter.reserve(n);
    hits.forEach((h, i) => sorter.set(i, h.doc, h.score));
    const got = asHits(sorter.top(n, k));
    const want = reference(hits, k).map((h) => ({ doc: h.doc, score: h.score + 0 }));
    assert.deepEqual(got, want, `n ${n} k ${k}`);
    assert.equal(got.length, Math.min(n, k)); // fewer than k matches: all of them
    for (const h of got) assert.ok(!Object.is(h.score, -0), '−0 comes back as 0');
  }
});

test('HitHeap keeps the best k and ranks them like a full sort', () => {
  const rand = rng(8);
  const sorter = new HitSorter();
  for (const [n, k] of [
    [200, 10],
    [200, 200],
    [10, 50],
    [500, 1],
  ]) {
    const hits = randomHits(rand, n).map((h) => ({ doc: h.doc >>> 1, score: h.score + 0 })); // heap docs are int32
    const heap = new HitHeap(k);
    for (const h of hits) heap.offer(h.doc, h.score);
    assert.deepEqual(asHits(heap.ranked(sorter)), reference(hits, k), `n ${n} k ${k}`);
  }
});

test('exhaustive top-k equals brute force around every ranking path (sort all, histogram floor, heap)', async () => {
  // Tiny vocabulary: a handful of distinct scores, so the k-th score is shared across the floor.
  const docs = randomDocs(700, { vocab: 5, maxLen: 6, seed: 21, longEvery: 9 });
  const index = await Bm25Index.build(docs, { analyzer: wsAnalyzer });
  for (const query of ['w0', 'w1 w3', 'w0 w1 w2 w3 w4', 'w4 w4 w2']) {
    const matches = bruteForce(docs, query, Infinity).length;
    assert.ok(matches > 40, `"${query}" matches ${matches}`);
    for (const k of [
      1,
      2,
      Math.floor(matches / 20),
      Math.floor(matches / 16),
      Math.floor(matches / 3),
      matches - 1,
      matches,
      matches + 1,
      1000,
    ]) {
      for (const params of [{}, { k1: 1.2, b: 0.75 }]) {
        const expected = bruteForce(docs, query, k, params.k1, params.b);
        assert.deepEqual(index.search(query, k, { ...params, strategy: 'exhaustive' }), expected, `"${query}" k ${k}`);
        assert.deepEqual(index.search(query, k, { ...params, strategy: 'maxscore' }), expected, `"${query}" k ${k}`);
      }
    }
  }
});
