/**
 * The request counters of a hosted client (calls, retries, failures, tokens, latency), in a module
 * of their own: a collection's stages report them without loading the HTTP client (`./http.ts`).
 */

/** Running counters of one client (one adapter); read them for the trace. */
export interface HttpStats {
  /** Requests that completed with a usable answer. */
  calls: number;
  /** Extra attempts made after a retryable failure. */
  retries: number;
  /** Requests that ended in an error (after their retries). */
  failures: number;
  /** Tokens the provider reported as used (0 when it reports none). */
  tokens: number;
  /** Wall-clock milliseconds spent in requests, retries and waits included. */
  latencyMs: number;
}

/** Fresh zeroed counters. */
export function createHttpStats(): HttpStats {
  return { calls: 0, retries: 0, failures: 0, tokens: 0, latencyMs: 0 };
}

/** `after - before`, field by field: the cost of the work done between two snapshots. */
export function diffHttpStats(after: HttpStats, before: HttpStats): HttpStats {
  return {
    calls: after.calls - before.calls,
    retries: after.retries - before.retries,
    failures: after.failures - before.failures,
    tokens: after.tokens - before.tokens,
    latencyMs: after.latencyMs - before.latencyMs,
  };
}

/** Add `delta` into `target`, field by field (in place); returns `target`. */
export function addHttpStats(target: HttpStats, delta: Readonly<HttpStats>): HttpStats {
  target.calls += delta.calls;
  target.retries += delta.retries;
  target.failures += delta.failures;
  target.tokens += delta.tokens;
  target.latencyMs += delta.latencyMs;
  return target;
}
