/** Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009): hand-computed examples and edge cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareHits } from '../core/types.ts';
import { rrf } from './rrf.ts';
import { close, expectFused, list, prng, throwsShortlist } from './test-helpers.ts';

test('two lists, k = 60: Σ 1/(60 + rank), a list that misses a document adds nothing', () => {
  const bm25 = list(['a', 10], ['b', 8], ['c', 5]);
  const dense = list(['c', 0.9], ['a', 0.8], ['d', 0.1]);
  // a: 1/61 + 1/62 = 0.0163934426 + 0.0161290323 = 0.0325224749
  // c: 1/63 + 1/61 = 0.0158730159 + 0.0163934426 = 0.0322664585
  // b: 1/62        = 0.0161290323 (absent from dense)
  // d: 1/63        = 0.0158730159 (absent from bm25)
  const fused = rrf([bm25, dense]);
  expectFused(fused, [
    ['a', 1 / 61 + 1 / 62],
    ['c', 1 / 63 + 1 / 61],
    ['b', 1 / 62],
    ['d', 1 / 63],
  ]);
  close(fused[0].score, 0.0325224749, 'a (decimal):');
  // The trace: each list's rank and raw score, null where the list did not return the id.
  assert.deepEqual(fused[0].sources, [
    { rank: 1, score: 10 },
    { rank: 2, score: 0.8 },
  ]);
  assert.deepEqual(fused[2].sources, [{ rank: 2, score: 8 }, null]);
});

test('k = 0 makes the top ranks dominate: 1/1, 1/2', () => {
  // x: 1/1 = 1; y: 1/2 + 1/1 = 1.5; z: 1/2 = 0.5
  expectFused(rrf([list(['x', 2], ['y', 1]), list(['y', 2], ['z', 1])], { k: 0 }), [
    ['y', 1.5],
    ['x', 1],
    ['z', 0.5],
  ]);
});

test('weights multiply each list’s terms and can flip the order', () => {
  const a = list(['x', 2], ['y', 1]);
  const b = list(['y', 2], ['x', 1]);
  // k = 1, w = [1, 3]: x = 1/2 + 3/3 = 1.5;  y = 1/3 + 3/2 = 1.8333…
  expectFused(rrf([a, b], { k: 1, weights: [1, 3] }), [
    ['y', 1 / 3 + 3 / 2],
    ['x', 1.5],
  ]);
  // w = [3, 1]: x = 3/2 + 1/3 = 1.8333…;  y = 3/3 + 1/2 = 1.5
  expectFused(rrf([a, b], { k: 1, weights: [3, 1] }), [
    ['x', 3 / 2 + 1 / 3],
    ['y', 1.5],
  ]);
  // weight 0: the list still shows in the trace but adds nothing.
  const zero = rrf([a, b], { k: 1, weights: [1, 0] });
  expectFused(zero, [
    ['x', 1 / 2],
    ['y', 1 / 3],
  ]);
  assert.deepEqual(zero[0].sources[1], { rank: 2, score: 1 });
});

test('equal fused scores are ordered by id ascending (compareHits)', () => {
  // b: 1/61 + 1/62, a: 1/62 + 1/61 — the same sum, so id decides: a before b.
  const fused = rrf([list(['b', 2], ['a', 1]), list(['a', 2], ['b', 1])]);
  assert.deepEqual(
    fused.map((h) => h.id),
    ['a', 'b'],
  );
  assert.equal(fused[0].score, fused[1].score);
});

test('RRF of a run with itself preserves its order (hand example and 20 seeded lists)', () => {
  const run = list(['d', 9], ['a', 7], ['c', 7], ['b', 1], ['e', -3]);
  // d: 2/61, a: 2/62, c: 2/63, b: 2/64, e: 2/65 — strictly decreasing, so the order is kept.
  expectFused(rrf([run, run]), [
    ['d', 2 / 61],
    ['a', 2 / 62],
    ['c', 2 / 63],
    ['b', 2 / 64],
    ['e', 2 / 65],
  ]);
  const rand = prng(7);
  for (let t = 0; t < 20; t++) {
    const n = 1 + Math.floor(rand() * 200);
    const hits = Array.from({ length: n }, (_, i) => ({ id: `doc${i}`, score: Math.round(rand() * 20) / 4 })).sort(compareHits);
    for (const k of [0, 1, 60]) {
      assert.deepEqual(
        rrf([hits, hits], { k }).map((h) => h.id),
        hits.map((h) => h.id),
      );
    }
  }
});

test('one list: its order, scored 1/(k + rank); all-equal scores still rank by position', () => {
  expectFused(rrf([list(['p', 1], ['q', 1], ['r', 1])]), [
    ['p', 1 / 61],
    ['q', 1 / 62],
    ['r', 1 / 63],
  ]);
});

test('empty input: no lists or only empty lists fuse to []; an empty list beside another adds nothing', () => {
  assert.deepEqual(rrf([]), []);
  assert.deepEqual(rrf([[], []]), []);
  const fused = rrf([[], list(['a', 0.3])], { k: 10 });
  expectFused(fused, [['a', 1 / 11]]);
  assert.deepEqual(fused[0].sources, [null, { rank: 1, score: 0.3 }]);
});

test('negative scores are fine; NaN, Infinity, duplicates and unsorted lists are rejected', () => {
  expectFused(rrf([list(['a', -1], ['b', -5])], { k: 0 }), [
    ['a', 1],
    ['b', 0.5],
  ]);
  throwsShortlist(() => rrf([list(['a', Number.NaN])]), 'INVALID_ARGUMENT', /list 0, position 1 \(id "a"\) has score NaN/);
  throwsShortlist(() => rrf([[], list(['a', Infinity])]), 'INVALID_ARGUMENT', /list 1, position 1/);
  throwsShortlist(() => rrf([list(['a', 2], ['a', 1])]), 'INVALID_ARGUMENT', /appears twice/);
  throwsShortlist(() => rrf([list(['a', 1], ['b', 2])]), 'INVALID_ARGUMENT', /sorted best first/);
});

test('bad k and weights are rejected with the parameter named', () => {
  const l = list(['a', 1]);
  throwsShortlist(() => rrf([l], { k: -1 }), 'INVALID_ARGUMENT', /rrf: k is -1/);
  throwsShortlist(() => rrf([l], { k: Number.NaN }), 'INVALID_ARGUMENT', /k must be a finite number/);
  throwsShortlist(() => rrf([l, l], { weights: [1] }), 'INVALID_ARGUMENT', /weights has 1 entries for 2 lists/);
  throwsShortlist(() => rrf([l], { weights: [-1] }), 'INVALID_ARGUMENT', /weights\[0\] is -1/);
});

test('inputs are not mutated', () => {
  const a = Object.freeze(list(['a', 2], ['b', 1]).map((h) => Object.freeze(h)));
  const fused = rrf([a, a]);
  assert.equal(fused.length, 2);
  assert.deepEqual(a, list(['a', 2], ['b', 1]));
});
