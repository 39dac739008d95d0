import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brierScore, expectedCalibrationError, reliabilityBins } from './metrics.ts';

const close = (x: number, y: number, tol = 1e-12) => assert.ok(Math.abs(x - y) <= tol, `expected ${y}, got ${x}`);

test('Brier score and ECE by hand', () => {
  const p = [0.1, 0.4, 0.35, 0.8, 0.9];
  const y = [0, 0, 1, 1, 1];
  // (0.1)² + (0.4)² + (0.65)² + (0.2)² + (0.1)² = 0.6425
  close(brierScore(p, y), 0.6425 / 5);
  // 2 bins: [0, .5): mean p .85/3, 1/3 relevant → 3/5·|1/3 − .85/3| = .03; [.5, 1]: mean .85, all relevant → 2/5·.15 = .06.
  close(expectedCalibrationError(p, y, 2), 0.09);
  const bins = reliabilityBins(p, y, 2);
  assert.deepEqual(
    bins.map((b) => b.count),
    [3, 2],
  );
  close(bins[1].meanPredicted, 0.85);
  close(bins[1].fractionPositive, 1);
});

test('perfect and constant forecasts; p = 1 falls in the last bin; empty bins are NaN', () => {
  assert.equal(brierScore([0, 1, 1], [0, 1, 1]), 0);
  assert.equal(expectedCalibrationError([0, 1, 1], [0, 1, 1]), 0);
  close(brierScore([0.5, 0.5], [0, 1]), 0.25);
  close(expectedCalibrationError([0.5, 0.5], [0, 1]), 0);
  const bins = reliabilityBins([1, 0.95], [1, 1], 10);
  assert.equal(bins[9].count, 2);
  assert.ok(Number.isNaN(bins[0].meanPredicted));
});

test('bad inputs are refused', () => {
  assert.throws(() => brierScore([1.2], [1]), /outside \[0, 1\]/);
  assert.throws(() => brierScore([0.2], [2]), /labels must be 0/);
  assert.throws(() => brierScore([0.2, 0.1], [1]), /one label per probability/);
  assert.throws(() => expectedCalibrationError([0.2], [1], 0), /bins must be a positive/);
});
