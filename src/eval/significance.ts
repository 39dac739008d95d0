/**
 * Paired significance tests over per-query scores of two systems A and B on the same queries.
 *
 * - Randomization (permutation) test: Fisher's paired randomization test as recommended for IR by
 *   Smucker, Allan & Carterette, "A Comparison of Statistical Significance Tests for Information
 *   Retrieval Evaluation", CIKM 2007. Under H0 the labels A/B of each query are exchangeable, so
 *   each per-query difference d_i = b_i − a_i keeps or flips its sign with probability 1/2. The
 *   statistic is |mean(d)|, two-sided.
 *   - Exact when 2^n ≤ `permutations`: all 2^n sign assignments are enumerated and
 *     p = #{|Δ_perm| ≥ |Δ_obs|} / 2^n (the identity assignment is one of them, so p ≥ 2^−n).
 *   - Monte Carlo otherwise: `permutations` random sign vectors from a seeded mulberry32 stream,
 *     p = (#{|Δ_perm| ≥ |Δ_obs|} + 1) / (permutations + 1), the estimate that counts the observed
 *     assignment and so never returns 0 (Phipson & Smyth, 2010).
 *   "≥" allows a relative slack of 1e-9 · Σ|d_i| so that float rounding in sums of equal
 *   magnitude does not turn ties into misses.
 * - Paired t-test: t = mean(d) / (sd(d) / √n) with n − 1 degrees of freedom, two-sided
 *   p = I_{ν/(ν+t²)}(ν/2, 1/2) (Abramowitz & Stegun 26.7.1 with 26.5.27), with the regularized
 *   incomplete beta function from its continued fraction (Numerical Recipes, 2nd ed., §6.4,
 *   `betai`/`betacf`, evaluated with the modified Lentz method) and ln Γ by Lanczos' series.
 *   Zero variance (every d_i equal): if they are all 0 (identical systems) p = 1, t = 0; if they
 *   are all the same non-zero value, t = ±∞ and p = 0 (the limit). Fewer than 2 queries: t is NaN
 *   and p = 1 (no evidence either way).
 */
import { ShortlistError } from '../core/errors.ts';
import { mulberry32 } from '../core/random.ts';

/** Defaults of the significance tests. */
export const SIGNIFICANCE_DEFAULTS = Object.freeze({
  permutations: 10_000,
  seed: 1,
  tieTolerance: 1e-9,
});

/** Options for {@link randomizationTest}. */
export interface RandomizationOptions {
  /**
   * Random sign vectors drawn when the test is not exact; more gives a finer p (its Monte Carlo
   * standard error is about √(p(1−p)/N)) at linear cost. When 2^n ≤ this, all 2^n are enumerated.
   * @default 10000
   */
  permutations?: number;
  /**
   * Seed of the mulberry32 stream; the same seed and inputs give the same p.
   * @default 1
   */
  seed?: number;
}

/** The result of {@link randomizationTest}. */
export interface RandomizationResult {
  /** Two-sided p-value. */
  p: number;
  /** True when all 2^n sign assignments were enumerated (p is exact). */
  exact: boolean;
  /** Sign assignments evaluated: 2^n when exact, else the number of random ones. */
  permutations: number;
}

/** The result of {@link pairedTTest}. */
export interface TTestResult {
  /** The t statistic of mean(b − a); NaN with fewer than 2 pairs. */
  t: number;
  /** Degrees of freedom, n − 1. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/** Per-query wins, ties and losses of B against A. */
export interface WinTieLoss {
  /** Queries where b − a > tolerance. */
  wins: number;
  /** Queries where |b − a| ≤ tolerance. */
  ties: number;
  /** Queries where a − b > tolerance. */
  losses: number;
}

/** The paired differences d_i = b_i − a_i; throws INVALID_ARGUMENT on unequal lengths or non-finite values. */
export function pairedDifferences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `paired tests need one score per query from each system; got ${a.length} and ${b.length} scores`,
    );
  }
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    d[i] = b[i] - a[i];
    if (!Number.isFinite(d[i])) throw new ShortlistError('INVALID_ARGUMENT', `score pair ${i} (${a[i]}, ${b[i]}) is not finite`);
  }
  return d;
}

/**
 * Fisher's paired randomization test of mean(b) ≠ mean(a), two-sided (Smucker et al., CIKM 2007):
 * exact by enumeration when 2^n ≤ `permutations`, otherwise seeded Monte Carlo with
 * p = (hits + 1) / (N + 1). Identical inputs give p = 1.
 */
export function randomizationTest(a: ArrayLike<number>, b: ArrayLike<number>, options: RandomizationOptions = {}): RandomizationResult {
  const permutations = options.permutations ?? SIGNIFICANCE_DEFAULTS.permutations;
  const seed = options.seed ?? SIGNIFICANCE_DEFAULTS.seed;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new ShortlistError('INVALID_ARGUMENT', `permutations must be a positive whole number, got ${permutations}`);
  }
  const d = pairedDifferences(a, b);
  const n = d.length;
  if (n === 0) return { p: 1, exact: true, permutations: 1 };
  let observed = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    observed += d[i];
    scale += Math.abs(d[i]);
  }
  // Compare sums, not means: same n in every assignment.
  const threshold = Math.abs(observed) - 1e-9 * scale;

  if (n < 31 && 2 ** n <= permutations) {
    const total = 2 ** n;
    let hits = 0;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (mask >>> i) & 1 ? -d[i] : d[i];
      if (Math.abs(s) >= threshold) hits++;
    }
    return { p: hits / total, exact: true, permutations: total };
  }

  const rand = mulberry32(seed);
  let hits = 0;
  for (let r = 0; r < permutations; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rand() < 0.5 ? -d[i] : d[i];
    if (Math.abs(s) >= threshold) hits++;
  }
  return { p: (hits + 1) / (permutations + 1), exact: false, permutations };
}

/**
 * Paired Student's t-test of mean(b − a) ≠ 0, two-sided, n − 1 degrees of freedom. Zero variance:
 * p = 1 when all differences are 0, p = 0 when they are all one non-zero value.
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTestResult {
  const d = pairedDifferences(a, b);
  const n = d.length;
  const df = n - 1;
  if (n < 2) return { t: Number.NaN, df: Math.max(df, 0), p: 1 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    sum += d[i];
    if (d[i] < min) min = d[i];
    if (d[i] > max) max = d[i];
  }
  const mean = sum / n;
  if (min === max) {
    // Zero variance: t is 0/0 (identical systems) or ±x/0.
    return min === 0 ? { t: 0, df, p: 1 } : { t: min > 0 ? Infinity : -Infinity, df, p: 0 };
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - mean) ** 2;
  const sd = Math.sqrt(ss / df);
  const t = mean / (sd / Math.sqrt(n));
  return { t, df, p: studentTTwoSidedP(t, df) };
}

/** Counts queries where B beats, ties or loses to A (|b − a| ≤ `tolerance` is a tie). */
export function winTieLoss(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number = SIGNIFICANCE_DEFAULTS.tieTolerance): WinTieLoss {
  const d = pairedDifferences(a, b);
  const out: WinTieLoss = { wins: 0, ties: 0, losses: 0 };
  for (const x of d) {
    if (x > tolerance) out.wins++;
    else if (x < -tolerance) out.losses++;
    else out.ties++;
  }
  return out;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new ShortlistError('INVALID_ARGUMENT', `degrees of freedom must be > 0, got ${df}`);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student's t cumulative distribution function P(T ≤ t) with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTTwoSidedP(t, df) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 coefficients; relative error below
 * 1e-15 in double precision), with the reflection formula below 0.5.
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1 (Numerical
 * Recipes §6.4 `betai`: the continued fraction converges fast for x < (a+1)/(a+b+2), otherwise the
 * symmetry I_x(a,b) = 1 − I_{1−x}(b,a) is used).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new ShortlistError('INVALID_ARGUMENT', `incomplete beta needs a, b > 0, got a=${a}, b=${b}`);
  if (Number.isNaN(x) || x < 0 || x > 1) throw new ShortlistError('INVALID_ARGUMENT', `incomplete beta needs 0 ≤ x ≤ 1, got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** NR's `betacf`: the continued fraction of the incomplete beta function by the modified Lentz method. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const MAX_ITER = 300;
  const EPS = 3e-16;
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h; // converged to within float precision for every (a, b) a t-test uses; NR warns only for huge a, b
}
