/** `fuse`: name-keyed weights from the config applied to named lists, and the trace of a fused hit. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveFusion } from './config.ts';
import { fuse, weightsByName } from './fuse.ts';
import { expectFused, list, throwsShortlist } from './test-helpers.ts';
import { fusedTrace } from './types.ts';

const lists = [
  { name: 'bm25', hits: list(['a', 10], ['b', 8], ['c', 5]) },
  { name: 'dense', hits: list(['c', 0.9], ['a', 0.8], ['d', 0.4]) },
];

test('weights by name: unnamed retrievers get 1; unknown names are errors listing the retrievers', () => {
  assert.deepEqual(weightsByName({ dense: 3 }, ['bm25', 'dense']), [1, 3]);
  assert.deepEqual(weightsByName({}, ['bm25', 'dense']), [1, 1]);
  throwsShortlist(() => weightsByName({ sparse: 1 }, ['bm25', 'dense']), 'INVALID_ARGUMENT', /"sparse".*retrievers: bm25, dense/);
});

test('fuse runs RRF with the config’s k and named weights', () => {
  // k = 1, w = [1, 3]: a = 1/2 + 3/3 = 1.5; c = 1/4 + 3/2 = 1.75; b = 1/3; d = 3/4
  expectFused(fuse(lists, resolveFusion({ k: 1, weights: { dense: 3 } })), [
    ['c', 1.75],
    ['a', 1.5],
    ['d', 0.75],
    ['b', 1 / 3],
  ]);
});

test('fuse runs convex with the config (same numbers as convex.test.ts)', () => {
  expectFused(fuse(lists, resolveFusion({ method: 'convex', missing: 'zero', weights: { bm25: 3, dense: 1 } })), [
    ['a', 0.95],
    ['b', 0.45],
    ['c', 0.25],
    ['d', 0],
  ]);
  throwsShortlist(() => fuse([lists[0], lists[0]], resolveFusion(undefined)), 'INVALID_ARGUMENT', /names must be unique/);
});

test('fusedTrace lists each retriever that returned the hit, then the fusion', () => {
  const fused = fuse(lists, resolveFusion(undefined));
  assert.deepEqual(fusedTrace(fused[0], 1, ['bm25', 'dense']), [
    { stage: 'bm25', rank: 1, score: 10 },
    { stage: 'dense', rank: 2, score: 0.8 },
    { stage: 'fusion', rank: 1, score: 1 / 61 + 1 / 62 },
  ]);
  const d = fused.find((h) => h.id === 'd');
  assert.ok(d);
  assert.deepEqual(fusedTrace(d, 4, ['bm25', 'dense'], 'rrf'), [
    { stage: 'dense', rank: 3, score: 0.4 },
    { stage: 'rrf', rank: 4, score: 1 / 63 },
  ]);
});
