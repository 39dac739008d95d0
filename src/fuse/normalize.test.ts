/** The normalisers (Bruch, Gai & Ingber, TOIS 2023; DBSF as in Qdrant): hand-computed values and degenerate lists. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbsf, getNormalizer, identity, minMax, NORMALIZERS, zScore } from './normalize.ts';
import { close, throwsShortlist } from './test-helpers.ts';

const closeAll = (actual: Float64Array, expected: number[]): void => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => close(actual[i], e, `[${i}]`));
};

test('min-max: (s − min) / (max − min)', () => {
  // min 5, max 10, range 5: (10−5)/5 = 1, (8−5)/5 = 0.6, (5−5)/5 = 0
  closeAll(minMax([10, 8, 5]), [1, 0.6, 0]);
  // negative scores: min −4, max −2, range 2: (−2+4)/2 = 1, (−3+4)/2 = 0.5, 0
  closeAll(minMax([-2, -3, -4]), [1, 0.5, 0]);
  // order of the input does not matter, output is aligned with it
  closeAll(minMax([5, 10, 8]), [0, 1, 0.6]);
});

test('min-max of all-equal scores (and of one score) is 1: each is as good as the list’s best', () => {
  closeAll(minMax([3, 3, 3]), [1, 1, 1]);
  closeAll(minMax([7]), [1]);
  closeAll(minMax([]), []);
});

test('z-score: (s − μ) / σ with the population σ', () => {
  // [2,4,4,4,5,5,7,9]: μ = 40/8 = 5; Σ(s−μ)² = 9+1+1+1+0+0+4+16 = 32; σ = √(32/8) = 2
  // → (2−5)/2 = −1.5, (4−5)/2 = −0.5, 0, 0, (7−5)/2 = 1, (9−5)/2 = 2
  closeAll(zScore([9, 7, 5, 5, 4, 4, 4, 2]), [2, 1, 0, 0, -0.5, -0.5, -0.5, -1.5]);
  // [3, 1]: μ = 2, σ = √((1+1)/2) = 1 → 1, −1
  closeAll(zScore([3, 1]), [1, -1]);
});

test('z-score of all-equal scores (and of one score) is 0: every score sits at the mean', () => {
  closeAll(zScore([4, 4]), [0, 0]);
  closeAll(zScore([4]), [0]);
  closeAll(zScore([]), []);
});

test('DBSF: (s − (μ − 3σ)) / 6σ with the sample σ, as Qdrant computes it', () => {
  // [3, 2, 1]: μ = 2; sample variance = (1 + 0 + 1)/(3 − 1) = 1, σ = 1; bounds −1 .. 5, range 6
  // → (3+1)/6 = 0.6667, (2+1)/6 = 0.5, (1+1)/6 = 0.3333
  closeAll(dbsf([3, 2, 1]), [4 / 6, 3 / 6, 2 / 6]);
  // [5, 1]: μ = 3; sample variance = (4 + 4)/1 = 8, σ = 2√2 = 2.8284; 6σ = 16.9706
  // → 0.5 + 2/16.9706 = 0.617851, 0.5 − 0.117851 = 0.382149
  closeAll(dbsf([5, 1]), [0.5 + 2 / (12 * Math.SQRT2), 0.5 - 2 / (12 * Math.SQRT2)]);
  close(dbsf([5, 1])[0], 0.6178511302, 'decimal:');
});

test('DBSF of one score or all-equal scores is 0.5 (Qdrant)', () => {
  closeAll(dbsf([42]), [0.5]);
  closeAll(dbsf([1, 1, 1]), [0.5, 0.5, 0.5]);
  closeAll(dbsf([]), []);
});

test('DBSF leaves [0, 1] beyond 3σ unless clipped', () => {
  // ten 0s and one 1: μ = 1/11; Σ(s−μ)² = 10·(1/11)² + (10/11)² = 110/121 = 10/11;
  // sample variance = (10/11)/10 = 1/11, σ = 1/√11 = 0.301511.
  // The 1: z = (10/11)·√11 = 10/√11 = 3.015113 > 3 → 0.5 + z/6 = 1.002519 (Qdrant's value).
  // Each 0: z = −1/√11 → 0.5 − 0.050252 = 0.449748.
  const scores = [1, ...Array(10).fill(0)];
  const raw = dbsf(scores);
  close(raw[0], 0.5 + 10 / Math.sqrt(11) / 6);
  assert.ok(Math.abs(raw[0] - 1.0025189) < 1e-7);
  close(raw[1], 0.5 - 1 / Math.sqrt(11) / 6);
  const clipped = dbsf(scores, true);
  assert.equal(clipped[0], 1);
  close(clipped[1], raw[1]);
});

test('none is the identity (a copy)', () => {
  const input = [3, -1.5];
  const out = identity(input);
  closeAll(out, [3, -1.5]);
  out[0] = 0;
  assert.equal(input[0], 3);
});

test('the registry names every normaliser; an unknown name lists the valid ones', () => {
  assert.deepEqual(Object.keys(NORMALIZERS), ['minmax', 'zscore', 'dbsf', 'none']);
  assert.ok(Object.isFrozen(NORMALIZERS));
  assert.equal(getNormalizer('minmax'), minMax);
  closeAll(getNormalizer('dbsf')([3, 2, 1]), [4 / 6, 3 / 6, 2 / 6]);
  throwsShortlist(() => getNormalizer('l2'), 'INVALID_ARGUMENT', /unknown normalizer "l2"; valid normalizers: minmax, zscore, dbsf, none/);
});
