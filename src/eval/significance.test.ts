import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  logGamma,
  pairedTTest,
  randomizationTest,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSidedP,
  winTieLoss,
} from './significance.ts';
import { mulberry32 } from '../core/random.ts';

const close = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected} ± ${tol}, got ${actual}`);

test('randomization test, enumerated by hand: d = (0.3, 0.2, 0, 0.4)', () => {
  // Sign sums of ±0.3 ±0.2 ±0.4: 0.9, 0.1, 0.5, -0.3, 0.3, -0.5, -0.1, -0.9: two of eight reach
  // |0.9|; the zero difference doubles both counts: 4 of 16.
  const a = [0.2, 0.4, 0.5, 0.3];
  const b = [0.5, 0.6, 0.5, 0.7];
  const r = randomizationTest(a, b);
  assert.equal(r.exact, true);
  assert.equal(r.permutations, 16);
  close(r.p, 4 / 16, 1e-12);
  // Two-sided: swapping the systems gives the same p.
  close(randomizationTest(b, a).p, 4 / 16, 1e-12);
});

test('randomization test, enumerated by hand: five queries', () => {
  // All differences positive: only the all-plus and all-minus assignments reach |15|: 2/32.
  close(randomizationTest([0, 0, 0, 0, 0], [1, 2, 3, 4, 5]).p, 2 / 32, 1e-12);
  // d = (1,1,1,1,-1), sum 3; k minus signs give 5 - 2k; |5 - 2k| >= 3 for k in {0,1,4,5}: 1+5+5+1 = 12.
  close(randomizationTest([0, 0, 0, 0, 1], [1, 1, 1, 1, 0]).p, 12 / 32, 1e-12);
});

test('identical runs: p = 1 from both tests, exact and Monte Carlo, and all ties', () => {
  const x = [0.1, 0.5, 0.25, 0.9, 0, 1];
  assert.equal(randomizationTest(x, x).p, 1);
  assert.deepEqual(pairedTTest(x, x), { t: 0, df: 5, p: 1 });
  const long = Array.from({ length: 40 }, (_, i) => ((i * 7) % 11) / 11);
  const mc = randomizationTest(long, long, { permutations: 500 });
  assert.equal(mc.exact, false);
  assert.equal(mc.p, 1);
  assert.deepEqual(winTieLoss(long, long), { wins: 0, ties: 40, losses: 0 });
});

test('Monte Carlo p is seeded and agrees with the exact p', () => {
  const rand = mulberry32(42);
  const a = Array.from({ length: 13 }, () => rand());
  const b = a.map((x) => x + 0.15 * (rand() - 0.3));
  const exact = randomizationTest(a, b, { permutations: 8192 });
  assert.equal(exact.exact, true);
  const mc = randomizationTest(a, b, { permutations: 8191, seed: 3 });
  assert.equal(mc.exact, false);
  close(mc.p, exact.p, 0.02, 'Monte Carlo vs exact');
  assert.equal(randomizationTest(a, b, { permutations: 8191, seed: 3 }).p, mc.p, 'same seed, same p');
  assert.ok(exact.p > 0.0001 && exact.p < 0.5, `test data should be in between, got ${exact.p}`);
});

test('randomization test counts the observed assignment: p is never 0', () => {
  const a = new Array(30).fill(0);
  const b = new Array(30).fill(1);
  const r = randomizationTest(a, b, { permutations: 999 });
  close(r.p, 1 / 1000, 1e-15);
});

test('paired t-test: t by hand and p from the closed-form t CDF', () => {
  // d = (0.3, 0.2, 0, 0.4): mean 0.225, Σ(d - mean)² = 0.0875, sd = √(0.0875/3), t = 0.225 / (sd/2) = 2.63493.
  const r = pairedTTest([0.2, 0.4, 0.5, 0.3], [0.5, 0.6, 0.5, 0.7]);
  const t = 0.225 / (Math.sqrt(0.0875 / 3) / 2);
  close(r.t, t, 1e-12);
  assert.equal(r.df, 3);
  // df = 3: F(t) = 1/2 + (1/π)[ (t/√3)/(1 + t²/3) + atan(t/√3) ]
  const u = t / Math.sqrt(3);
  const cdf3 = 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI;
  close(r.p, 2 * (1 - cdf3), 1e-10);
  close(r.p, 0.07799432643022616, 1e-10, 'scipy.stats.ttest_rel');
  // Swapping systems flips t, keeps p.
  const s = pairedTTest([0.5, 0.6, 0.5, 0.7], [0.2, 0.4, 0.5, 0.3]);
  close(s.t, -t, 1e-12);
  close(s.p, r.p, 1e-15);
  // d = (1..5): mean 3, sd √2.5, t = 3/(√2.5/√5) = 3√2.
  const five = pairedTTest([0, 0, 0, 0, 0], [1, 2, 3, 4, 5]);
  close(five.t, 3 * Math.SQRT2, 1e-12);
  // df = 4 (A&S 26.7.3): P(|T| ≤ t) = sin θ (1 + cos²θ / 2), θ = atan(t/2).
  const th = Math.atan(five.t / 2);
  const cdf4 = 0.5 + 0.5 * Math.sin(th) * (1 + 0.5 * Math.cos(th) ** 2);
  close(five.p, 2 * (1 - cdf4), 1e-10);
});

test('t distribution matches table critical values (two-sided 0.05 and 0.01)', () => {
  close(studentTTwoSidedP(12.706, 1), 0.05, 2e-5);
  close(studentTTwoSidedP(4.303, 2), 0.05, 1e-4);
  close(studentTTwoSidedP(2.776, 4), 0.05, 1e-4);
  close(studentTTwoSidedP(2.228, 10), 0.05, 1e-4);
  close(studentTTwoSidedP(2.042, 30), 0.05, 1e-4);
  close(studentTTwoSidedP(3.169, 10), 0.01, 1e-4);
  close(studentTTwoSidedP(1.96, 1e7), 0.05, 1e-4);
  // df = 1 is Cauchy: P(|T| ≥ t) = 1 - (2/π)·atan(t).
  for (const t of [0.1, 1, 3, 50]) close(studentTTwoSidedP(t, 1), 1 - (2 / Math.PI) * Math.atan(t), 1e-12);
  // df = 2: P(|T| ≥ t) = 1 - t/√(2 + t²).
  for (const t of [0.1, 1, 3, 50]) close(studentTTwoSidedP(t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-12);
  close(studentTCdf(0, 7), 0.5, 1e-15);
  close(studentTCdf(-2.776, 4), 0.025, 1e-4);
  close(studentTCdf(2.776, 4), 0.975, 1e-4);
});

test('incomplete beta and log gamma against closed forms', () => {
  close(logGamma(1), 0, 1e-14);
  close(logGamma(5), Math.log(24), 1e-13);
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  close(logGamma(100.5), 361.43554046777757, 1e-9); // scipy.special.gammaln
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1-x)^b.
  for (const x of [0.01, 0.3, 0.77, 0.999]) {
    close(regularizedIncompleteBeta(x, 1, 1), x, 1e-14);
    close(regularizedIncompleteBeta(x, 3.5, 1), x ** 3.5, 1e-13);
    close(regularizedIncompleteBeta(x, 1, 2.5), 1 - (1 - x) ** 2.5, 1e-13);
  }
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
  assert.throws(() => regularizedIncompleteBeta(1.5, 2, 3), /0 ≤ x ≤ 1/);
});

test('zero variance and degenerate sizes', () => {
  // A constant non-zero shift: t → ∞, p → 0 (the limit), not 1.
  const shift = pairedTTest([0.25, 0.5, 0.75], [0.5, 0.75, 1]);
  assert.equal(shift.p, 0);
  assert.equal(shift.t, Infinity);
  assert.deepEqual(pairedTTest([0.3], [0.9]), { t: Number.NaN, df: 0, p: 1 });
  assert.deepEqual(randomizationTest([], []), { p: 1, exact: true, permutations: 1 });
  assert.throws(() => pairedTTest([1, 2], [1]), /one score per query/);
  assert.throws(() => randomizationTest([1], [1], { permutations: 0 }), /positive whole number/);
});

test('win/tie/loss counts B against A', () => {
  assert.deepEqual(winTieLoss([0.2, 0.4, 0.5, 0.3, 0.9], [0.5, 0.6, 0.5, 0.7, 0.1]), { wins: 3, ties: 1, losses: 1 });
  // Float noise below the tolerance is a tie.
  assert.deepEqual(winTieLoss([0.1 + 0.2], [0.3]), { wins: 0, ties: 1, losses: 0 });
});
