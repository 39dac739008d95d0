/**
 * Prometheus metrics in the text exposition format (version 0.0.4), written directly: counters,
 * histograms and gauges keyed by their label values. Small on purpose: the server needs requests
 * by route and status, latency per route and per stage, batch sizes and queue depth.
 */

/** Latency buckets in seconds (1 ms .. 30 s). */
export const LATENCY_BUCKETS = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
/** Batch-size buckets (items per model batch). */
export const BATCH_BUCKETS = Object.freeze([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);

type Labels = Record<string, string>;

interface Series<T> {
  labels: Labels;
  value: T;
}

/** One metric family: a name, help text, a type and its series. */
abstract class Family<T> {
  readonly #series = new Map<string, Series<T>>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  protected abstract readonly type: string;
  protected abstract fresh(): T;
  protected abstract lines(name: string, labels: Labels, value: T): string[];

  protected series(labels: Labels): Series<T> {
    const key = JSON.stringify(labels);
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { labels, value: this.fresh() }));
    return s;
  }

  /** This family in the text format. */
  render(): string {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const s of this.#series.values()) out.push(...this.lines(this.name, s.labels, s.value));
    return out.join('\n');
  }
}

/** A monotonically increasing count. */
export class Counter extends Family<{ n: number }> {
  protected readonly type = 'counter';
  protected fresh() {
    return { n: 0 };
  }
  /** Add `by` (default 1) to the series with these labels. */
  inc(labels: Labels = {}, by = 1): void {
    this.series(labels).value.n += by;
  }
  protected lines(name: string, labels: Labels, v: { n: number }): string[] {
    return [`${name}${fmt(labels)} ${v.n}`];
  }
}

/** A value that goes up and down, read when the metrics are rendered. */
export class Gauge extends Family<{ read: () => number }> {
  protected readonly type = 'gauge';
  protected fresh() {
    return { read: () => 0 };
  }
  /** Read the series with these labels from `read` at every scrape. */
  track(labels: Labels, read: () => number): void {
    this.series(labels).value.read = read;
  }
  protected lines(name: string, labels: Labels, v: { read: () => number }): string[] {
    return [`${name}${fmt(labels)} ${v.read()}`];
  }
}

interface Buckets {
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Family<Buckets> {
  protected readonly type = 'histogram';
  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[],
  ) {
    super(name, help);
  }
  protected fresh(): Buckets {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }
  /** Record one observation in the series with these labels. */
  observe(labels: Labels, value: number): void {
    const b = this.series(labels).value;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) b.counts[i]++;
    b.sum += value;
    b.count++;
  }
  protected lines(name: string, labels: Labels, b: Buckets): string[] {
    const out = this.buckets.map((le, i) => `${name}_bucket${fmt({ ...labels, le: String(le) })} ${b.counts[i]}`);
    out.push(
      `${name}_bucket${fmt({ ...labels, le: '+Inf' })} ${b.count}`,
      `${name}_sum${fmt(labels)} ${b.sum}`,
      `${name}_count${fmt(labels)} ${b.count}`,
    );
    return out;
  }
}

/** The server's metrics. */
export class ServerMetrics {
  /** HTTP requests by route pattern, method and status. */
  readonly requests = new Counter('shortlist_http_requests_total', 'HTTP requests by route, method and status.');
  /** Request latency by route pattern. */
  readonly latency = new Histogram('shortlist_http_request_duration_seconds', 'HTTP request latency by route.', LATENCY_BUCKETS);
  /** Time per pipeline stage and per model step (queue, inference). */
  readonly stages = new Histogram(
    'shortlist_stage_duration_seconds',
    'Time per search stage and per model step (queue wait, inference).',
    LATENCY_BUCKETS,
  );
  /** Items per model batch. */
  readonly batchSizes = new Histogram('shortlist_batch_size', 'Items per model batch, by queue.', BATCH_BUCKETS);
  /** Items waiting per model queue. */
  readonly queueDepth = new Gauge('shortlist_queue_depth', 'Items waiting in each model queue.');
  /** Requests being handled. */
  readonly inFlight = new Gauge('shortlist_requests_in_flight', 'Requests being handled now.');
  readonly #beforeRender: (() => void)[] = [];

  /** Call `fn` before every render (to fold in counters kept elsewhere, e.g. batch sizes). */
  onRender(fn: () => void): void {
    this.#beforeRender.push(fn);
  }

  /** Every family in the Prometheus text format. */
  render(): string {
    for (const fn of this.#beforeRender) fn();
    return (
      [this.requests, this.latency, this.stages, this.batchSizes, this.queueDepth, this.inFlight].map((f) => f.render()).join('\n') + '\n'
    );
  }
}

/** Label set in the text format: `{a="x",b="y"}` with `\`, `"` and newlines escaped; empty for none. */
function fmt(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
