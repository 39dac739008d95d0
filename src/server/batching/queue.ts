/**
 * Cross-request batching: one queue per model merges the items of concurrent requests into
 * token-budget batches, so a loaded server runs fewer, fuller and better-sorted model calls.
 *
 * Pipeline: 1. `submit` checks the bound (items waiting + new items ≤ `maxQueued`, else
 * OVERLOADED) and appends the request; 2. one worker per queue waits until the oldest waiting
 * request is `maxWaitMs` old or the waiting items cost `maxBatchTokens`, whichever comes first
 * (a request that already waited while the previous batch ran does not wait again); 3. it takes
 * items in arrival order until the budget is spent (a request may be split across batches; the
 * first item is always taken), sorts them by cost, longest first, and calls `run` once;
 * 4. it writes each result back at its request's index and resolves a request when all of its
 * items are done. A request whose signal aborts is dropped from the queue (items not yet run never
 * run) and rejects with ABORTED. When a merged batch fails, each request in it is retried alone,
 * so one request's bad input fails only that request. With `enabled: false` steps 2–4 are
 * skipped: each request calls `run` with its own items at once.
 */
import { ShortlistError } from '../../core/errors.ts';

/** How a {@link BatchQueue} merges and bounds work. */
export interface BatchQueueOptions {
  /**
   * Merge items of concurrent requests. `false` runs each request's items as its own batch the
   * moment it arrives, concurrently with the others — what a server without a batching queue does
   * (the bound then counts items running, not waiting).
   * @default true
   */
  enabled: boolean;
  /**
   * Estimated tokens one batch may hold (the sum of `cost` over its items; a single item costing
   * more runs alone). Larger batches sort better and amortise per-call overhead but hold more
   * memory and make the requests in them wait for the whole batch.
   * @default 16384
   */
  maxBatchTokens: number;
  /**
   * Longest time the oldest waiting request waits for others to join its batch, in ms. It is added
   * to latency only when the server is idle; under load the batch in flight is the wait.
   * @default 2
   */
  maxWaitMs: number;
  /**
   * Most items waiting (not yet running). A request that would pass it is refused with OVERLOADED
   * (HTTP 429 with Retry-After) unless the queue is empty, so a single large request always runs.
   * @default 4096
   */
  maxQueued: number;
  /**
   * Most requests merged into one batch (TEI's `max_batch_requests`). 1 runs requests one at a
   * time in arrival order, never merged — the serial baseline that separates what merging buys
   * from what running one batch at a time buys.
   * @default Infinity
   */
  maxRequestsPerBatch: number;
}

/** Defaults of {@link BatchQueueOptions}. */
export const BATCH_QUEUE_DEFAULTS = Object.freeze({
  enabled: true,
  maxBatchTokens: 16384,
  maxWaitMs: 2,
  maxQueued: 4096,
  maxRequestsPerBatch: Number.POSITIVE_INFINITY,
} satisfies BatchQueueOptions);

/** What one request got back: its results in input order, and where its time went. */
export interface SubmitResult<O> {
  results: O[];
  /** From `submit` to the start of the first batch that held its items, ms. */
  queueMs: number;
  /** From the start of its first batch to the end of its last, ms. */
  inferenceMs: number;
}

/** Most recent batch sizes {@link BatchQueue.stats} keeps. */
const RECENT_BATCHES = 1024;

interface Pending<I, O> {
  items: readonly I[];
  costs: number[];
  results: O[];
  /** Items handed to a batch so far. */
  taken: number;
  /** Items whose results are in. */
  done: number;
  enqueued: number;
  started?: number;
  signal?: AbortSignal;
  onAbort?: () => void;
  settled: boolean;
  resolve: (r: SubmitResult<O>) => void;
  reject: (err: unknown) => void;
}

/** One slice of a request inside a batch: items `from` to `to` (exclusive) of `request`. */
interface Slice<I, O> {
  request: Pending<I, O>;
  from: number;
  to: number;
}

/** A queue with one worker that merges concurrent requests into batches for `run`. */
export class BatchQueue<I, O> {
  /** The queue's name (the model), used in messages and metrics. */
  readonly name: string;
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #cost: (item: I) => number;
  readonly #options: Readonly<BatchQueueOptions>;
  readonly #waiting: Pending<I, O>[] = [];
  #depth = 0;
  #closed = false;
  /** Requests running unmerged (`enabled: false`). */
  readonly #direct = new Set<Promise<unknown>>();
  #worker: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #batches = 0;
  #items = 0;
  readonly #sizes: number[] = [];

  /**
   * @param run scores one batch: one output per item, in the order given.
   * @param cost the item's estimated tokens (its share of `maxBatchTokens`).
   */
  constructor(name: string, run: (items: I[]) => Promise<O[]>, cost: (item: I) => number, options: Partial<BatchQueueOptions> = {}) {
    this.name = name;
    this.#run = run;
    this.#cost = cost;
    this.#options = resolveQueueOptions(options);
  }

  /** Items waiting to run (not counting the batch in flight); with `enabled: false`, items running. */
  get depth(): number {
    return this.#depth;
  }

  /** Batches run, items run, and the sizes (items) of the most recent batches, oldest first. */
  stats(): { batches: number; items: number; batchSizes: number[] } {
    return { batches: this.#batches, items: this.#items, batchSizes: [...this.#sizes] };
  }

  /**
   * Queue `items` and resolve with their results in input order once every one has run. Rejects
   * with OVERLOADED when the queue is full, ABORTED when `signal` aborts first, and with `run`'s
   * error when a batch holding its items fails.
   */
  submit(items: readonly I[], signal?: AbortSignal): Promise<SubmitResult<O>> {
    if (items.length === 0) return Promise.resolve({ results: [], queueMs: 0, inferenceMs: 0 });
    if (this.#closed) {
      return Promise.reject(
        new ShortlistError('OVERLOADED', `${this.name}: the server is shutting down and takes no new work; retry on another instance`),
      );
    }
    if (signal?.aborted) return Promise.reject(aborted(this.name));
    const { maxQueued } = this.#options;
    if (this.#depth > 0 && this.#depth + items.length > maxQueued) {
      return Promise.reject(
        new ShortlistError(
          'OVERLOADED',
          `${this.name}: ${this.#depth} items are waiting and ${items.length} more would pass the queue bound of ${maxQueued} (maxQueued); retry shortly`,
        ),
      );
    }
    if (!this.#options.enabled) return this.#runAlone(items);
    return new Promise<SubmitResult<O>>((resolve, reject) => {
      const request: Pending<I, O> = {
        items,
        costs: items.map((item) => Math.max(1, this.#cost(item))),
        results: new Array<O>(items.length),
        taken: 0,
        done: 0,
        enqueued: performance.now(),
        signal,
        settled: false,
        resolve,
        reject,
      };
      if (signal) {
        request.onAbort = () => this.#drop(request);
        signal.addEventListener('abort', request.onAbort, { once: true });
      }
      this.#waiting.push(request);
      this.#depth += items.length;
      this.#kick();
    });
  }

  /** Stop taking requests, finish every one already queued, then resolve. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#kick();
    while (this.#worker) await this.#worker;
    await Promise.allSettled(this.#direct);
  }

  /** `enabled: false`: run one request's items now, as its own batch. */
  async #runAlone(items: readonly I[]): Promise<SubmitResult<O>> {
    this.#depth += items.length;
    const started = performance.now();
    const running = this.#run([...items]);
    this.#direct.add(running);
    try {
      const results = await running;
      if (results.length !== items.length) {
        throw new ShortlistError('INTERNAL', `${this.name}: a batch of ${items.length} items returned ${results.length} results`);
      }
      this.#record(items.length);
      return { results, queueMs: 0, inferenceMs: performance.now() - started };
    } finally {
      this.#direct.delete(running);
      this.#depth -= items.length;
    }
  }

  #record(size: number): void {
    this.#batches++;
    this.#items += size;
    this.#sizes.push(size);
    if (this.#sizes.length > RECENT_BATCHES) this.#sizes.shift();
  }

  /** Start the worker, or wake it from its wait. */
  #kick(): void {
    if (this.#wake) this.#wake();
    if (!this.#worker && this.#waiting.length > 0) {
      this.#worker = this.#work().finally(() => {
        this.#worker = undefined;
        if (this.#waiting.length > 0) this.#kick();
      });
    }
  }

  /** Run batches until nothing waits. */
  async #work(): Promise<void> {
    while (this.#waiting.length > 0) {
      await this.#gather();
      const slices = this.#take();
      if (slices.length > 0) await this.#runBatch(slices);
    }
  }

  /** Wait until the oldest request is `maxWaitMs` old or the waiting items fill a batch. */
  async #gather(): Promise<void> {
    const { maxWaitMs, maxBatchTokens } = this.#options;
    while (!this.#closed && this.#waiting.length > 0) {
      const left = this.#waiting[0].enqueued + maxWaitMs - performance.now();
      if (left <= 0 || this.#waitingCost(maxBatchTokens) >= maxBatchTokens) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  /** Cost of the waiting items, counted up to `limit`. */
  #waitingCost(limit: number): number {
    let total = 0;
    for (const request of this.#waiting) {
      for (let i = request.taken; i < request.items.length && total < limit; i++) total += request.costs[i];
      if (total >= limit) break;
    }
    return total;
  }

  /** Take the next batch's items, up to the budget and `maxRequestsPerBatch` requests. */
  #take(): Slice<I, O>[] {
    const { maxBatchTokens, maxRequestsPerBatch } = this.#options;
    const slices: Slice<I, O>[] = [];
    let budget = maxBatchTokens;
    while (this.#waiting.length > 0) {
      const request = this.#waiting[0];
      const from = request.taken;
      let to = from;
      while (to < request.items.length && (request.costs[to] <= budget || (slices.length === 0 && to === from))) {
        budget -= request.costs[to];
        to++;
      }
      if (to > from) {
        slices.push({ request, from, to });
        request.taken = to;
        this.#depth -= to - from;
      }
      if (request.taken === request.items.length) {
        this.#waiting.shift();
        request.signal?.removeEventListener('abort', request.onAbort!);
      }
      if (budget <= 0 || to < request.items.length || slices.length >= maxRequestsPerBatch) break;
    }
    return slices;
  }

  /** Run one batch; on failure of a merged batch, run each request's slice alone. */
  async #runBatch(slices: Slice<I, O>[]): Promise<void> {
    const live = slices.filter((s) => !s.request.settled);
    if (live.length === 0) return;
    const started = performance.now();
    for (const s of live) s.request.started ??= started;
    try {
      await this.#runSlices(live);
    } catch (err) {
      if (live.length === 1) {
        this.#fail(live[0].request, err);
        return;
      }
      for (const s of live) {
        try {
          await this.#runSlices([s]);
        } catch (alone) {
          this.#fail(s.request, alone);
        }
      }
    }
  }

  /** Sort the slices' items by cost (longest first), run them and write the results back. */
  async #runSlices(slices: Slice<I, O>[]): Promise<void> {
    const refs: { request: Pending<I, O>; index: number; cost: number }[] = [];
    for (const { request, from, to } of slices) {
      for (let i = from; i < to; i++) refs.push({ request, index: i, cost: request.costs[i] });
    }
    refs.sort((a, b) => b.cost - a.cost); // stable: equal costs keep arrival order
    const out = await this.#run(refs.map((r) => r.request.items[r.index]));
    if (out.length !== refs.length) {
      throw new ShortlistError('INTERNAL', `${this.name}: a batch of ${refs.length} items returned ${out.length} results`);
    }
    this.#record(refs.length);
    const finished = performance.now();
    refs.forEach((r, j) => {
      r.request.results[r.index] = out[j];
      r.request.done++;
    });
    for (const { request } of slices) {
      if (!request.settled && request.done === request.items.length) {
        request.settled = true;
        request.resolve({
          results: request.results,
          queueMs: request.started! - request.enqueued,
          inferenceMs: finished - request.started!,
        });
      }
    }
  }

  /** Reject a request and drop whatever of it still waits. */
  #fail(request: Pending<I, O>, err: unknown): void {
    if (request.settled) return;
    request.settled = true;
    this.#remove(request);
    request.reject(err);
  }

  /** An aborted request: drop its waiting items and reject with ABORTED. */
  #drop(request: Pending<I, O>): void {
    this.#fail(request, aborted(this.name));
    this.#kick();
  }

  #remove(request: Pending<I, O>): void {
    const at = this.#waiting.indexOf(request);
    if (at >= 0) {
      this.#waiting.splice(at, 1);
      this.#depth -= request.items.length - request.taken;
      request.taken = request.items.length;
    }
    if (request.onAbort) request.signal?.removeEventListener('abort', request.onAbort);
  }
}

/** Merge `options` over the defaults and validate them. */
export function resolveQueueOptions(options: Partial<BatchQueueOptions> = {}): Readonly<BatchQueueOptions> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<BatchQueueOptions>;
  const resolved = { ...BATCH_QUEUE_DEFAULTS, ...given };
  if (typeof resolved.enabled !== 'boolean') {
    throw new ShortlistError('INVALID_ARGUMENT', `batching option enabled must be true or false, got ${String(resolved.enabled)}`);
  }
  for (const key of ['maxBatchTokens', 'maxQueued'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new ShortlistError('INVALID_ARGUMENT', `batching option ${key} must be an integer ≥ 1, got ${resolved[key]}`);
    }
  }
  if (
    resolved.maxRequestsPerBatch !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(resolved.maxRequestsPerBatch) && resolved.maxRequestsPerBatch >= 1)
  ) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `batching option maxRequestsPerBatch must be an integer ≥ 1 or Infinity, got ${resolved.maxRequestsPerBatch}`,
    );
  }
  if (!Number.isFinite(resolved.maxWaitMs) || resolved.maxWaitMs < 0) {
    throw new ShortlistError('INVALID_ARGUMENT', `batching option maxWaitMs must be a number of ms ≥ 0, got ${resolved.maxWaitMs}`);
  }
  return Object.freeze(resolved);
}

function aborted(name: string): ShortlistError {
  return new ShortlistError(
    'ABORTED',
    `${name}: the request was cancelled (the client disconnected or its signal aborted) before its batch ran`,
  );
}
