/** Convex combination (Bruch, Gai & Ingber, TOIS 2023): hand-computed examples per normaliser and missing-score policy. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convex, type MissingPolicy } from './convex.ts';
import { close, expectFused, list, throwsShortlist } from './test-helpers.ts';

const bm25 = list(['a', 10], ['b', 8], ['c', 5]);
const dense = list(['c', 0.9], ['a', 0.8], ['d', 0.4]);
// min-max: bm25 a = 1, b = (8−5)/5 = 0.6, c = 0;  dense c = 1, a = (0.8−0.4)/0.5 = 0.8, d = 0

test('min-max, missing zero, equal weights (ŵ = 0.5 each)', () => {
  // a = 0.5·1 + 0.5·0.8 = 0.9;  c = 0.5·0 + 0.5·1 = 0.5;  b = 0.5·0.6 + 0.5·0 = 0.3;  d = 0 + 0.5·0 = 0
  const fused = convex([bm25, dense], { normalizer: 'minmax', missing: 'zero' });
  expectFused(fused, [
    ['a', 0.9],
    ['c', 0.5],
    ['b', 0.3],
    ['d', 0],
  ]);
  // The trace keeps rank, raw score and normalised score per list.
  assert.equal(fused[0].sources.length, 2);
  assert.deepEqual(fused[0].sources[0], { rank: 1, score: 10, normalized: 1 });
  assert.equal(fused[0].sources[1]?.rank, 2);
  close(fused[0].sources[1]?.normalized ?? Number.NaN, 0.8);
  assert.equal(fused[2].sources[1], null);
});

test('weights are rescaled to sum 1 and can flip the order', () => {
  // w = [3, 1] → ŵ = [0.75, 0.25]: a = 0.75 + 0.25·0.8 = 0.95; b = 0.75·0.6 = 0.45; c = 0.25·1 = 0.25; d = 0
  expectFused(convex([bm25, dense], { weights: [3, 1], normalizer: 'minmax', missing: 'zero' }), [
    ['a', 0.95],
    ['b', 0.45],
    ['c', 0.25],
    ['d', 0],
  ]);
  // w = [0.3, 0.7] (already sums to 1): a = 0.3 + 0.56 = 0.86; c = 0.7; b = 0.18; d = 0
  expectFused(convex([bm25, dense], { weights: [0.3, 0.7], normalizer: 'minmax', missing: 'zero' }), [
    ['a', 0.86],
    ['c', 0.7],
    ['b', 0.18],
    ['d', 0],
  ]);
});

test('min-max, missing drop: only documents every list returned', () => {
  // a and c are in both: a = 0.9, c = 0.5 (as above; normalised over the whole lists first)
  expectFused(convex([bm25, dense], { normalizer: 'minmax', missing: 'drop' }), [
    ['a', 0.9],
    ['c', 0.5],
  ]);
});

test('z-score: missing zero puts an absent document at the list mean; min at the list minimum', () => {
  const a = list(['a', 3], ['b', 1]); // μ = 2, σ = 1: a = 1, b = −1
  const b = list(['c', 6], ['a', 4], ['d', 2]); // μ = 4, σ = √(8/3) = 1.632993: c = 1.224745, a = 0, d = −1.224745
  const z = 2 / Math.sqrt(8 / 3); // 1.224745
  close(z, 1.2247448714);
  // zero: a = 0.5·1 + 0.5·0 = 0.5; b = 0.5·(−1) + 0 = −0.5; c = 0 + 0.5·1.224745 = 0.612372; d = −0.612372
  expectFused(convex([a, b], { normalizer: 'zscore', missing: 'zero' }), [
    ['c', z / 2],
    ['a', 0.5],
    ['b', -0.5],
    ['d', -z / 2],
  ]);
  // min: fills are −1 (list 0) and −1.224745 (list 1)
  // a = 0.5; c = 0.5·(−1) + 0.5·1.224745 = 0.112372; b = −0.5 + 0.5·(−1.224745) = −1.112372;
  // d = 0.5·(−1) + 0.5·(−1.224745) = −1.112372 — equal to b, so the id decides: b before d.
  const fused = convex([a, b], { normalizer: 'zscore', missing: 'min' });
  expectFused(fused, [
    ['a', 0.5],
    ['c', -0.5 + z / 2],
    ['b', -0.5 - z / 2],
    ['d', -0.5 - z / 2],
  ]);
  assert.equal(fused[2].score, fused[3].score);
  // drop: only a is in both: 0.5
  expectFused(convex([a, b], { normalizer: 'zscore', missing: 'drop' }), [['a', 0.5]]);
});

test('DBSF (Qdrant): sample σ, μ ± 3σ onto [0, 1]', () => {
  const a = list(['a', 3], ['b', 2], ['c', 1]); // μ = 2, σ = 1 → a 4/6, b 3/6, c 2/6
  const b = list(['b', 5], ['d', 1]); // μ = 3, σ = 2√2 → b 0.5 + 2/(12√2) = 0.617851, d 0.382149
  const e = 2 / (12 * Math.SQRT2); // 0.117851
  // zero: b = 0.5·0.5 + 0.5·0.617851 = 0.558926; a = 0.5·0.666667 = 0.333333;
  //       d = 0.5·0.382149 = 0.191074; c = 0.5·0.333333 = 0.166667
  expectFused(convex([a, b], { normalizer: 'dbsf', missing: 'zero' }), [
    ['b', 0.25 + (0.5 + e) / 2],
    ['a', 1 / 3],
    ['d', (0.5 - e) / 2],
    ['c', 1 / 6],
  ]);
  close(convex([a, b], { normalizer: 'dbsf', missing: 'zero' })[0].score, 0.5589255651, 'decimal:');
  // min: fills 1/3 (list 0) and 0.382149 (list 1): a = 1/3 + 0.191074 = 0.524408; c = 1/6 + 0.191074 = 0.357741;
  //      d = 1/6 + 0.191074 = 0.357741 → c and d tie, c first by id
  expectFused(convex([a, b], { normalizer: 'dbsf', missing: 'min' }), [
    ['b', 0.25 + (0.5 + e) / 2],
    ['a', 1 / 3 + (0.5 - e) / 2],
    ['c', 1 / 6 + (0.5 - e) / 2],
    ['d', 1 / 6 + (0.5 - e) / 2],
  ]);
});

test('DBSF clip clamps a score beyond 3σ to 1', () => {
  const l = list(['top', 1], ...Array.from({ length: 10 }, (_, i): [string, number] => [`z${i}`, 0]));
  // one list, weight 1: the fused score is the normalised score (see normalize.test.ts: 1.002519 unclipped)
  close(convex([l], { normalizer: 'dbsf', missing: 'zero' })[0].score, 0.5 + 10 / Math.sqrt(11) / 6);
  assert.equal(convex([l], { normalizer: 'dbsf', missing: 'zero', clip: true })[0].score, 1);
  throwsShortlist(
    () => convex([l], { normalizer: 'minmax', missing: 'zero', clip: true }),
    'INVALID_ARGUMENT',
    /clip applies to the dbsf normalizer only/,
  );
});

test('none: raw scores combined as they are', () => {
  // a = 0.5·2 + 0.5·0.5 = 1.25; b = 0.5·1 = 0.5; c = 0.5·3 = 1.5
  const fused = convex([list(['a', 2], ['b', 1]), list(['c', 3], ['a', 0.5])], { normalizer: 'none', missing: 'zero' });
  expectFused(fused, [
    ['c', 1.5],
    ['a', 1.25],
    ['b', 0.5],
  ]);
  assert.deepEqual(fused[1].sources, [
    { rank: 1, score: 2 },
    { rank: 2, score: 0.5 },
  ]);
});

test('one list keeps its order; an all-equal list scores 1 everywhere under min-max', () => {
  expectFused(convex([bm25], { normalizer: 'minmax', missing: 'zero' }), [
    ['a', 1],
    ['b', 0.6],
    ['c', 0],
  ]);
  // x, y both 1 in list 0; list 1: y = 1, z = 0 → y = 0.5 + 0.5 = 1; x = 0.5; z = 0
  expectFused(convex([list(['x', 5], ['y', 5]), list(['y', 1], ['z', 0])], { normalizer: 'minmax', missing: 'zero' }), [
    ['y', 1],
    ['x', 0.5],
    ['z', 0],
  ]);
});

test('empty lists: nothing to fuse; with drop, an empty list drops everything; with min it adds 0', () => {
  for (const missing of ['zero', 'min', 'drop'] as MissingPolicy[]) {
    assert.deepEqual(convex([], { normalizer: 'minmax', missing }), []);
    assert.deepEqual(convex([[], []], { normalizer: 'zscore', missing }), []);
  }
  assert.deepEqual(convex([[], bm25], { normalizer: 'minmax', missing: 'drop' }), []);
  // z-score, missing min: list 0 is empty (fill 0); list 1 = bm25: μ = 23/3, σ = √(Σ(s−μ)²/3)
  const mu = 23 / 3;
  const sd = Math.sqrt(((10 - mu) ** 2 + (8 - mu) ** 2 + (5 - mu) ** 2) / 3); // 2.054805
  expectFused(convex([[], bm25], { normalizer: 'zscore', missing: 'min' }), [
    ['a', (0.5 * (10 - mu)) / sd],
    ['b', (0.5 * (8 - mu)) / sd],
    ['c', (0.5 * (5 - mu)) / sd],
  ]);
});

test('the missing policy is required; bad weights and bad scores are rejected', () => {
  const noPolicy = { normalizer: 'minmax' } as unknown as Parameters<typeof convex>[1];
  throwsShortlist(
    () => convex([bm25], noPolicy),
    'INVALID_ARGUMENT',
    /missing is undefined; choose one of zero, min, drop \(there is no default\)/,
  );
  throwsShortlist(() => convex([bm25], { normalizer: 'minmax', missing: 'mean' as MissingPolicy }), 'INVALID_ARGUMENT', /choose one of/);
  throwsShortlist(() => convex([bm25], { normalizer: 'l2' as 'none', missing: 'zero' }), 'INVALID_ARGUMENT', /valid normalizers/);
  throwsShortlist(
    () => convex([bm25, dense], { weights: [0, 0], normalizer: 'minmax', missing: 'zero' }),
    'INVALID_ARGUMENT',
    /every weight is 0/,
  );
  throwsShortlist(
    () => convex([bm25, dense], { weights: [1, Number.NaN], normalizer: 'minmax', missing: 'zero' }),
    'INVALID_ARGUMENT',
    /weights\[1\] is NaN/,
  );
  throwsShortlist(() => convex([list(['a', Number.NaN])], { normalizer: 'none', missing: 'zero' }), 'INVALID_ARGUMENT', /score NaN/);
  throwsShortlist(() => convex([list(['a', -Infinity])], { normalizer: 'minmax', missing: 'zero' }), 'INVALID_ARGUMENT', /score -Infinity/);
  // negative raw scores are fine
  expectFused(convex([list(['a', -1], ['b', -3])], { normalizer: 'minmax', missing: 'zero' }), [
    ['a', 1],
    ['b', 0],
  ]);
});
