import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../core/random.ts';
import { fitIsotonic, isotonicProbability } from '../../pipeline/calibration/isotonic.ts';
import { brierScore } from './metrics.ts';

test('PAV by hand: violators are pooled, equal scores share a value', () => {
  // Labels in score order 0 1 0 1 1 0 1. PAV: [0] [1] + 0 violates → [0] [.5]; + 1 → [1]; + 1 ties
  // → [1, 1]; + 0 violates → [2/3]; + 1 → [1]. Blocks: 0 (s=1), .5 (s=2,3), 2/3 (s=5,6,7), 1 (s=8).
  const s = [1, 2, 3, 5, 6, 7, 8];
  const y = [0, 1, 0, 1, 1, 0, 1];
  const fit = fitIsotonic(s, y);
  assert.deepEqual(fit.thresholds, [1, 2, 5, 8]);
  assert.deepEqual(fit.values, [0, 0.5, 2 / 3, 1]);
  assert.equal(isotonicProbability(fit, 0), 0); // below the first block
  assert.equal(isotonicProbability(fit, 4.9), 0.5); // between blocks: the step on the left
  assert.equal(isotonicProbability(fit, 5), 2 / 3);
  assert.equal(isotonicProbability(fit, 100), 1);
  // Ties in the score are one block: (0.5: labels 1, 0) can not be split.
  const tied = fitIsotonic([0.5, 0.5, 0.9], [1, 0, 1]);
  assert.deepEqual(tied, { thresholds: [0.5, 0.9], values: [0.5, 1] });
});

test('isotonic output is monotone and improves Brier on miscalibrated input (held out)', () => {
  // True P(relevant | s) = s³ but the scores read as probabilities say s: overconfident.
  const rand = mulberry32(11);
  const draw = (n: number) => {
    const s = Float64Array.from({ length: n }, () => rand());
    const y = s.map((x) => (rand() < x ** 3 ? 1 : 0));
    return { s, y };
  };
  const train = draw(5000);
  const test_ = draw(5000);
  const fit = fitIsotonic(train.s, train.y);
  for (let i = 1; i < fit.values.length; i++) assert.ok(fit.values[i] >= fit.values[i - 1]);
  const grid = Array.from({ length: 1001 }, (_, i) => i / 1000 - 0.0005);
  const out = grid.map((g) => isotonicProbability(fit, g));
  for (let i = 1; i < out.length; i++) assert.ok(out[i] >= out[i - 1], `not monotone at ${grid[i]}`);
  const before = brierScore(test_.s, test_.y);
  const after = brierScore(
    test_.s.map((x) => isotonicProbability(fit, x)),
    test_.y,
  );
  assert.ok(after < before - 0.03, `Brier ${before} → ${after}`);
  // Close to the Brier of the true probabilities.
  const oracle = brierScore(
    test_.s.map((x) => x ** 3),
    test_.y,
  );
  assert.ok(after < oracle + 0.01, `Brier ${after} vs oracle ${oracle}`);
});

test('edge cases: one class, constant scores, one item, NaN', () => {
  assert.deepEqual(fitIsotonic([3, 1, 2], [0, 0, 0]), { thresholds: [1], values: [0] });
  assert.deepEqual(fitIsotonic([3, 1, 2], [1, 1, 1]), { thresholds: [1], values: [1] });
  assert.deepEqual(fitIsotonic([2, 2, 2, 2], [1, 0, 0, 0]), { thresholds: [2], values: [0.25] });
  assert.deepEqual(fitIsotonic([7], [1]), { thresholds: [7], values: [1] });
  // Perfectly ordered labels keep two blocks.
  assert.deepEqual(fitIsotonic([1, 2, 3, 4], [0, 0, 1, 1]), { thresholds: [1, 3], values: [0, 1] });
  assert.ok(Number.isNaN(isotonicProbability({ thresholds: [0], values: [0.5] }, Number.NaN)));
  assert.throws(() => fitIsotonic([], []), /at least one/);
});
