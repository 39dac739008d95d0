/** Seeded synthetic data for the calibration tests. */
import { mulberry32 } from '../../core/random.ts';
import { sigmoid } from './platt.ts';

/** Standard normal draws by Box–Muller from a seeded stream. */
export function normals(n: number, rand: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return out;
}

/** Scores s ~ N(0, 1.5²) and labels ~ Bernoulli(σ(a·s + b)). */
export function logisticSample(n: number, a: number, b: number, seed: number): { scores: Float64Array; labels: Float64Array } {
  const rand = mulberry32(seed);
  const scores = normals(n, rand).map((x) => 1.5 * x);
  const labels = scores.map((x) => (rand() < sigmoid(a * x + b) ? 1 : 0));
  return { scores, labels };
}
