import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../core/random.ts';
import { fitPlatt, plattProbability, sigmoid } from './platt.ts';
import { logisticSample } from './test-helpers.ts';

test('Platt recovers a known logistic model: a = 1.7, b = -0.4, n = 20,000', () => {
  const { scores: s, labels: y } = logisticSample(20_000, 1.7, -0.4, 2024);
  const fit = fitPlatt(s, y);
  assert.ok(fit.converged);
  assert.ok(fit.iterations < 20, `Newton should converge fast, took ${fit.iterations}`);
  // Standard errors at this n are about 0.03 (a) and 0.02 (b).
  assert.ok(Math.abs(fit.a - 1.7) < 0.1, `a = ${fit.a}`);
  assert.ok(Math.abs(fit.b + 0.4) < 0.08, `b = ${fit.b}`);
  // Without smoothing the fit is the plain MLE; at this n both agree closely.
  const mle = fitPlatt(s, y, { targetSmoothing: false });
  assert.ok(Math.abs(mle.a - fit.a) < 0.01 && Math.abs(mle.b - fit.b) < 0.01);
});

test('the fit is a stationary point of the smoothed log-loss', () => {
  const s = [-2, -1.5, -1, -0.2, 0, 0.3, 0.5, 1, 1.2, 2.5];
  const y = [0, 0, 1, 0, 0, 1, 0, 1, 1, 1];
  const { a, b } = fitPlatt(s, y);
  const hi = 6 / 7; // (N₊ + 1)/(N₊ + 2) with N₊ = 5
  const lo = 1 / 7;
  let ga = 0,
    gb = 0;
  for (let i = 0; i < s.length; i++) {
    const r = plattProbability({ a, b }, s[i]) - (y[i] ? hi : lo);
    ga += r * s[i];
    gb += r;
  }
  assert.ok(Math.abs(ga) < 1e-5 && Math.abs(gb) < 1e-5, `gradient (${ga}, ${gb})`);
  assert.ok(a > 0);
});

test('separable data stays finite with target smoothing', () => {
  const s = [-3, -2, -1, 1, 2, 3];
  const y = [0, 0, 0, 1, 1, 1];
  const fit = fitPlatt(s, y);
  assert.ok(fit.converged && Number.isFinite(fit.a) && fit.a > 0 && fit.a < 10, `a = ${fit.a}`);
  // Smoothed targets 0.8 / 0.2 bound the probabilities away from 0 and 1 on the data.
  assert.ok(plattProbability(fit, 3) < 0.99);
});

test('edge cases: one class, constant scores, large score magnitudes', () => {
  const allNeg = fitPlatt([0.1, 0.5, 0.9], [0, 0, 0]);
  assert.equal(allNeg.a, 0);
  assert.ok(Math.abs(sigmoid(allNeg.b) - 1 / 5) < 1e-12); // 1/(N₋ + 2)
  const allPos = fitPlatt([0.1, 0.5, 0.9], [1, 1, 1], { targetSmoothing: false });
  assert.ok(Math.abs(sigmoid(allPos.b) - 4 / 5) < 1e-12); // one class is always smoothed
  const flat = fitPlatt([2, 2, 2, 2], [1, 0, 0, 0], { targetSmoothing: false });
  assert.equal(flat.a, 0);
  assert.ok(Math.abs(sigmoid(flat.b) - 0.25) < 1e-12);
  // BM25-like scores around 40: no overflow, monotone fit.
  const rand = mulberry32(5);
  const big = Array.from({ length: 2000 }, () => 30 + 20 * rand());
  const yb = big.map((x) => (rand() < sigmoid(0.3 * (x - 40)) ? 1 : 0));
  const fb = fitPlatt(big, yb);
  assert.ok(fb.converged && Math.abs(fb.a - 0.3) < 0.06 && Math.abs(fb.b / fb.a + 40) < 1, `a ${fb.a}, b ${fb.b}`);
  assert.throws(() => fitPlatt([Number.NaN], [1]), /finite/);
});
