/**
 * Training a {@link QueryAdapter} on the CPU: mini-batches of examples (seeded shuffle), the InfoNCE
 * loss of `loss.ts` with in-batch plus mined negatives, an L2 pull towards the identity, Adam
 * (Kingma & Ba 2015) with bias correction and the step size halved after each epoch without progress, and early stopping on the dev loss: the adapter returned
 * is the one with the lowest dev loss seen, the identity included (so an adapter that cannot beat
 * "no adapter" on dev comes back as the identity).
 */
import { ShortlistError } from '../../core/errors.ts';
import { mulberry32 } from '../../core/random.ts';
import { cloneAdapter, identityAdapter, type QueryAdapter } from '../../models/encoders/query-adapter.ts';
import { infoNceLoss, zeroGradient, type TrainingExample } from './loss.ts';

/** Options of {@link trainAdapter}. */
export interface TrainAdapterOptions {
  /** Softmax temperature of the InfoNCE loss (the starting value when `learnTemperature`); lower is sharper. @default 0.05 */
  temperature?: number;
  /**
   * Learn the temperature with the adapter (as CLIP does). Off by default: on the synthetic
   * distortion benchmark it recovered less, and it lets the dev loss fall by sharpening alone, which
   * moves W away from the identity when there is nothing to learn. @default false
   */
  learnTemperature?: boolean;
  /** Adam step size. Higher learns faster and overshoots sooner. @default 0.002 */
  learningRate?: number;
  /** Examples per step (and per in-batch negative pool). @default 32 */
  batchSize?: number;
  /** Passes over the training examples at most. @default 30 */
  epochs?: number;
  /** Stop after this many epochs without a lower dev loss. @default 4 */
  patience?: number;
  /** Learning-rate factor applied after each epoch without a lower dev loss (1 = constant). @default 0.5 */
  decay?: number;
  /** L2 weight on ‖W − I‖² + ‖b‖²: keeps the adapter near the identity when data is scarce. @default 0.0001 */
  regularization?: number;
  /** Use other examples' documents as negatives. @default true */
  inBatch?: boolean;
  /** Seed of the batch shuffle. @default 1 */
  seed?: number;
  /** Called after each epoch. */
  onEpoch?: (e: EpochLog) => void;
}

/** Defaults of {@link TrainAdapterOptions}. */
export const TRAIN_DEFAULTS = Object.freeze({
  temperature: 0.05,
  learnTemperature: false,
  learningRate: 0.002,
  batchSize: 32,
  epochs: 30,
  patience: 4,
  decay: 0.5,
  regularization: 0.0001,
  inBatch: true,
  seed: 1,
});

/** One epoch's losses. */
export interface EpochLog {
  epoch: number;
  trainLoss: number;
  devLoss: number;
}

/** What {@link trainAdapter} returns. */
export interface TrainAdapterResult {
  /** The adapter with the lowest dev loss (epoch 0 = the identity). */
  adapter: QueryAdapter;
  /** The epoch it comes from (0 when no epoch beat the identity). */
  bestEpoch: number;
  /** Dev loss of the identity and of the returned adapter. */
  devLoss: { before: number; after: number };
  history: EpochLog[];
  /** True when patience ran out before the last epoch. */
  stoppedEarly: boolean;
  /** The temperature at the best epoch (the starting one unless learned). */
  temperature: number;
}

/** Trains an adapter on `train`, early-stopping on `dev` (see the module comment); `docs` are unit vectors. */
export function trainAdapter(
  train: readonly TrainingExample[],
  dev: readonly TrainingExample[],
  docs: readonly Float32Array[],
  options: TrainAdapterOptions = {},
): TrainAdapterResult {
  const o = { ...TRAIN_DEFAULTS, ...definedOnly(options) };
  if (train.length === 0) throw new ShortlistError('EMPTY_INPUT', 'no training examples; mine some with `shortlist mine`');
  if (dev.length === 0) throw new ShortlistError('EMPTY_INPUT', 'no dev examples for early stopping; give --dev or a larger training file');
  if (!(o.learningRate > 0)) throw new ShortlistError('INVALID_ARGUMENT', `learningRate must be > 0, got ${o.learningRate}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1)
    throw new ShortlistError('INVALID_ARGUMENT', `batchSize must be a positive integer, got ${o.batchSize}`);
  const dims = train[0].query.length;
  const lossOpts = { temperature: o.temperature, inBatch: o.inBatch };
  const devLoss = (a: QueryAdapter) => batchedLoss(a, dev, docs, lossOpts, o.batchSize);
  const logScale = new Float32Array([Math.log(1 / o.temperature)]);
  let bestTemperature = o.temperature;
  let a = identityAdapter(dims);
  let best = cloneAdapter(a);
  const before = devLoss(a);
  let bestLoss = before;
  let bestEpoch = 0;
  const adam = new Adam(dims * dims + dims + 1, o.learningRate);
  const rand = mulberry32(o.seed);
  const order = train.map((_, i) => i);
  const history: EpochLog[] = [];
  let stale = 0;
  let epoch = 0;
  while (epoch < o.epochs && stale < o.patience) {
    epoch++;
    shuffle(order, rand);
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += o.batchSize) {
      const batch = order.slice(start, start + o.batchSize).map((i) => train[i]);
      const g = zeroGradient(dims);
      sum += infoNceLoss(a, batch, docs, lossOpts, g);
      batches++;
      if (o.regularization > 0) addIdentityPull(a, g, o.regularization);
      a = adam.step(a, g, o.learnTemperature ? logScale : undefined);
      lossOpts.temperature = Math.exp(-logScale[0]);
    }
    const dl = devLoss(a);
    history.push({ epoch, trainLoss: sum / batches, devLoss: dl });
    o.onEpoch?.(history[history.length - 1]);
    if (dl < bestLoss - 1e-6) {
      bestLoss = dl;
      best = cloneAdapter(a);
      bestEpoch = epoch;
      bestTemperature = lossOpts.temperature;
      stale = 0;
    } else {
      stale++;
      adam.lr *= o.decay;
    }
  }
  return {
    adapter: best,
    bestEpoch,
    devLoss: { before, after: bestLoss },
    history,
    stoppedEarly: epoch < o.epochs,
    temperature: bestTemperature,
  };
}

/** The mean loss over `examples` in batches of `batchSize` (the in-batch pool depends on the batch). */
export function batchedLoss(
  a: QueryAdapter,
  examples: readonly TrainingExample[],
  docs: readonly Float32Array[],
  options: { temperature: number; inBatch: boolean },
  batchSize: number,
): number {
  let sum = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = examples.slice(start, start + batchSize);
    sum += infoNceLoss(a, batch, docs, options) * batch.length;
  }
  return sum / examples.length;
}

/** Adds the gradient of (λ/2)(‖W − I‖² + ‖b‖²). */
function addIdentityPull(a: QueryAdapter, g: { W: Float64Array; b: Float64Array }, lambda: number): void {
  const d = a.dims;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) g.W[i * d + j] += lambda * (a.W[i * d + j] - (i === j ? 1 : 0));
    g.b[i] += lambda * a.b[i];
  }
}

/** Adam over the flattened parameters [W, b]. */
class Adam {
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  #t = 0;
  constructor(
    size: number,
    public lr: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /** Applies one step in place (to the log scale too, when given) and returns the adapter. */
  step(a: QueryAdapter, g: { W: Float64Array; b: Float64Array; logScale: number }, logScale?: Float32Array): QueryAdapter {
    this.#t++;
    const c1 = 1 - this.beta1 ** this.#t;
    const c2 = 1 - this.beta2 ** this.#t;
    const nW = a.W.length;
    const upd = (params: Float32Array, grads: Float64Array, offset: number) => {
      for (let i = 0; i < params.length; i++) {
        const k = offset + i;
        const gi = grads[i];
        this.#m[k] = this.beta1 * this.#m[k] + (1 - this.beta1) * gi;
        this.#v[k] = this.beta2 * this.#v[k] + (1 - this.beta2) * gi * gi;
        params[i] -= (this.lr * (this.#m[k] / c1)) / (Math.sqrt(this.#v[k] / c2) + this.eps);
      }
    };
    upd(a.W, g.W, 0);
    upd(a.b, g.b, nW);
    if (logScale) upd(logScale, Float64Array.of(g.logScale), nW + a.b.length);
    return a;
  }
}

/** Fisher–Yates shuffle in place with `rand`. */
export function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
