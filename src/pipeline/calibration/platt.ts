/**
 * Platt scaling: P(relevant | s) = σ(a·s + b), fitted by minimising the log-loss (cross-entropy)
 * against smoothed targets.
 *
 * Platt, "Probabilistic Outputs for Support Vector Machines and Comparisons to Regularized
 * Likelihood Methods", Advances in Large Margin Classifiers, 1999 (targets (N₊+1)/(N₊+2) for
 * positives and 1/(N₋+2) for negatives, to avoid overfitting and infinite parameters on separable
 * data). The optimiser is the numerically stable Newton method with backtracking line search of
 * Lin, Lin & Weng, "A Note on Platt's Probabilistic Outputs for Support Vector Machines", Machine
 * Learning 68, 2007 (Algorithm 3): log(1 + e^z) is evaluated without overflow, and a tiny ridge
 * σ = 1e-12 keeps the Hessian invertible. Note the sign convention: Platt writes
 * 1 / (1 + exp(A·f + B)), so a = −A and b = −B here; a > 0 means higher scores are more relevant.
 */
import { checkSample } from './input.ts';

/** Parameters of a Platt fit: P(relevant | s) = σ(a·s + b). */
export interface PlattParams {
  a: number;
  b: number;
}

/** Options for {@link fitPlatt}. */
export interface PlattOptions {
  /**
   * Platt's target smoothing: fit to (N₊+1)/(N₊+2) and 1/(N₋+2) instead of 1 and 0. Keeps a and b
   * finite when the scores separate the classes, at a bias of about 1/N. Samples with one class
   * only are always smoothed (the unsmoothed fit is infinite).
   * @default true
   */
  targetSmoothing?: boolean;
  /**
   * Newton iterations at most; each costs one pass over the data (plus line-search passes).
   * @default 100
   */
  maxIterations?: number;
}

/** Defaults of {@link fitPlatt}. */
export const PLATT_DEFAULTS = Object.freeze({ targetSmoothing: true, maxIterations: 100 } satisfies Required<PlattOptions>);

/** A Platt fit with how the optimiser ended. */
export interface PlattResult extends PlattParams {
  /** Newton iterations run. */
  iterations: number;
  /** True when the gradient (or the Newton decrement) fell below tolerance. */
  converged: boolean;
}

const RIDGE = 1e-12;
const GRAD_EPS = 1e-5;
const MIN_STEP = 1e-10;

/** σ(a·s + b): the calibrated probability of a Platt fit. */
export function plattProbability(params: PlattParams, score: number): number {
  return sigmoid(params.a * score + params.b);
}

/** The logistic function, without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Fits Platt's a, b by Newton's method on the log-loss (Lin, Lin & Weng 2007). Labels are 0/1. */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>, options: PlattOptions = {}): PlattResult {
  const o = { ...PLATT_DEFAULTS, ...options };
  const { n, positives } = checkSample(scores, labels);
  const negatives = n - positives;
  const smooth = o.targetSmoothing || positives === 0 || negatives === 0;
  const hi = smooth ? (positives + 1) / (positives + 2) : 1;
  const lo = smooth ? 1 / (negatives + 2) : 0;
  const t = new Float64Array(n);
  let meanTarget = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    t[i] = labels[i] === 1 ? hi : lo;
    meanTarget += t[i] / n;
    if (scores[i] < min) min = scores[i];
    if (scores[i] > max) max = scores[i];
  }
  // One class, or nothing to regress on: the best fit is the constant logit of the mean target.
  if (positives === 0 || negatives === 0 || min === max) return { a: 0, b: logit(meanTarget), iterations: 0, converged: true };

  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  let f = loss(scores, t, a, b);
  for (let it = 1; it <= o.maxIterations; it++) {
    let ga = 0,
      gb = 0,
      haa = RIDGE,
      hab = 0,
      hbb = RIDGE;
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      const z = a * s + b;
      // p and 1 − p computed separately so neither underflows to a useless 0 − tiny.
      let p: number, q: number;
      if (z >= 0) {
        const e = Math.exp(-z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      } else {
        const e = Math.exp(z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      }
      const r = p - t[i];
      const w = p * q;
      ga += r * s;
      gb += r;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    if (Math.abs(ga) < GRAD_EPS && Math.abs(gb) < GRAD_EPS) return { a, b, iterations: it - 1, converged: true };
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(-hab * ga + haa * gb) / det;
    const gd = ga * da + gb * db;
    // The Newton decrement is below what the loss can resolve in double precision: done.
    if (-gd < 1e-12 * (1 + Math.abs(f))) return { a, b, iterations: it, converged: true };
    let step = 1;
    while (step >= MIN_STEP) {
      const na = a + step * da;
      const nb = b + step * db;
      const nf = loss(scores, t, na, nb);
      if (nf < f + 1e-4 * step * gd) {
        a = na;
        b = nb;
        f = nf;
        break;
      }
      step /= 2;
    }
    if (step < MIN_STEP) return { a, b, iterations: it, converged: false };
  }
  return { a, b, iterations: o.maxIterations, converged: false };
}

/** Σ log(1 + e^z) − t·z with z = a·s + b, evaluated without overflow. */
function loss(scores: ArrayLike<number>, t: Float64Array, a: number, b: number): number {
  let f = 0;
  for (let i = 0; i < t.length; i++) {
    const z = a * scores[i] + b;
    f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i] * z;
  }
  return f;
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}
