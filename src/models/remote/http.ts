/**
 * A small JSON-over-HTTP client for hosted model providers, over Node's global `fetch` (undici).
 *
 * Pipeline of one {@link postJson} call:
 * 1. Combine the per-attempt timeout (`AbortSignal.timeout`) with the caller's signal.
 * 2. POST the JSON body; read the whole response body under the same signal.
 * 3. 2xx: parse JSON (malformed → PROVIDER_ERROR naming the provider and URL), count tokens.
 * 4. 408/409/429/500/502/503/504, network errors and timeouts: wait (Retry-After when the server
 *    sent one, capped; else exponential backoff with full jitter) and try again, at most `retries`
 *    times; then NETWORK_ERROR.
 * 5. Any other status: PROVIDER_ERROR at once, with the provider's own message and the status.
 * A caller abort is never retried (ABORTED). Error messages never contain the API key: every
 * string in `redact` is replaced by `***` before it is put in a message.
 */
import { ShortlistError, type ErrorCode } from '../../core/errors.ts';
import type { HttpStats } from './stats.ts';

/** Statuses worth another try: rate limits, overload, gateway trouble. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 409, 429, 500, 502, 503, 504]);

export { addHttpStats, createHttpStats, diffHttpStats, type HttpStats } from './stats.ts';

/** Options of {@link postJson}. */
export interface PostJsonOptions {
  /** Provider name used in every error message, e.g. `openai`. @default 'remote' */
  provider?: string;
  /** Extra request headers (`authorization` goes here); `content-type` is set for you. */
  headers?: Record<string, string>;
  /**
   * Per-attempt timeout in milliseconds, covering the response body too. Raise it for large
   * batches on slow self-hosted servers.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Extra attempts after a retryable failure (429, 5xx, network error, timeout). 0 disables retries.
   * @default 3
   */
  retries?: number;
  /** First backoff step in milliseconds; attempt n waits a random time in [0, min(max, base·2ⁿ)]. @default 500 */
  backoffBaseMs?: number;
  /** Largest backoff step in milliseconds. @default 20000 */
  backoffMaxMs?: number;
  /**
   * Largest wait honoured from a `Retry-After` header in milliseconds; longer requests are cut to
   * this so one answer cannot stall a pipeline for minutes.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /** Abort the request (not retried; raises ABORTED). */
  signal?: AbortSignal;
  /** Counters to update (calls, retries, failures, tokens, latency). */
  stats?: HttpStats;
  /** Read the number of tokens used from a successful response body. */
  tokens?: (body: unknown) => number | undefined;
  /** Strings (API keys) that must never appear in an error message. */
  redact?: readonly string[];
  /** Random source in [0, 1) for jitter; tests pass a fixed one. @default Math.random */
  random?: () => number;
}

/** What the server answered. */
export interface JsonResponse<T = unknown> {
  /** Parsed JSON body. */
  body: T;
  /** HTTP status (2xx). */
  status: number;
  /** Attempts made (1 when the first one succeeded). */
  attempts: number;
  /** Wall-clock milliseconds for the whole call, waits included. */
  latencyMs: number;
}

/** A failed provider request: a ShortlistError that also carries the HTTP status and the provider's message. */
export class RemoteHttpError extends ShortlistError {
  /** HTTP status of the last attempt; undefined for network errors and timeouts. */
  readonly status: number | undefined;
  /** Provider name, e.g. `cohere`. */
  readonly provider: string;
  /** The provider's own error message from the response body, when it sent one. */
  readonly providerMessage: string | undefined;

  /** Build the error; the message must already be redacted. */
  constructor(code: ErrorCode, message: string, details: { status?: number; provider: string; providerMessage?: string; cause?: unknown }) {
    super(code, message, details.cause === undefined ? {} : { cause: details.cause });
    this.status = details.status;
    this.provider = details.provider;
    this.providerMessage = details.providerMessage;
  }
}

const DEFAULTS = {
  provider: 'remote',
  timeoutMs: 30_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/** POST `body` as JSON to `url` and return the parsed JSON answer, with retries and timeouts (see the file docblock). */
export async function postJson<T = unknown>(url: string, body: unknown, options: PostJsonOptions = {}): Promise<JsonResponse<T>> {
  const o = { ...DEFAULTS, ...definedOnly(options) };
  const random = options.random ?? Math.random;
  const scrub = (s: string) => redact(s, options.redact);
  const started = performance.now();
  const payload = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
  const finish = (outcome: 'ok' | 'failed' | 'aborted') => {
    if (!options.stats) return;
    options.stats.latencyMs += performance.now() - started;
    if (outcome === 'failed') options.stats.failures += 1;
    if (outcome === 'ok') options.stats.calls += 1;
  };
  // A caller's abort is not the provider's failure: it only adds latency.
  const fail = (err: ShortlistError): never => {
    finish(err.code === 'ABORTED' ? 'aborted' : 'failed');
    throw err;
  };
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) fail(aborted(o.provider, url, options.signal));
    const signals = [AbortSignal.timeout(o.timeoutMs)];
    if (options.signal) signals.push(options.signal);
    let status: number | undefined;
    let text: string;
    let retryAfterMs: number | undefined;
    let lastError: RemoteHttpError;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.any(signals) });
      status = res.status;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after-ms'), res.headers.get('retry-after'));
      text = await res.text();
    } catch (err) {
      if (options.signal?.aborted) fail(aborted(o.provider, url, options.signal));
      const timedOut = (err as Error)?.name === 'TimeoutError';
      const what = timedOut ? `timed out after ${o.timeoutMs} ms` : `network error: ${causeMessage(err)}`;
      lastError = new RemoteHttpError('NETWORK_ERROR', scrub(`${o.provider}: POST ${url} ${what}`), { provider: o.provider, cause: err });
      if (attempt >= o.retries) fail(exhausted(lastError, attempt, scrub));
      if (options.stats) options.stats.retries += 1;
      await sleep(backoffMs(attempt, o.backoffBaseMs, o.backoffMaxMs, random), options.signal).catch(() =>
        fail(aborted(o.provider, url, options.signal!)),
      );
      continue;
    }
    if (status >= 200 && status < 300) {
      let parsed: T;
      try {
        parsed = JSON.parse(text) as T;
      } catch (err) {
        return fail(
          new RemoteHttpError(
            'PROVIDER_ERROR',
            scrub(
              `${o.provider}: POST ${url} answered HTTP ${status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}; check baseUrl points at the provider's API`,
            ),
            {
              status,
              provider: o.provider,
              cause: err,
            },
          ),
        );
      }
      const used = options.tokens?.(parsed);
      if (options.stats && typeof used === 'number' && Number.isFinite(used)) options.stats.tokens += used;
      finish('ok');
      return { body: parsed, status, attempts: attempt + 1, latencyMs: performance.now() - started };
    }
    const providerMessage = extractProviderMessage(text);
    const said = providerMessage === undefined ? '' : `: ${scrub(providerMessage)}`;
    if (!RETRYABLE_STATUS.has(status)) {
      fail(
        new RemoteHttpError('PROVIDER_ERROR', scrub(`${o.provider}: POST ${url} answered HTTP ${status}${said}${hintFor(status)}`), {
          status,
          provider: o.provider,
          providerMessage: providerMessage === undefined ? undefined : scrub(providerMessage),
        }),
      );
    }
    lastError = new RemoteHttpError('NETWORK_ERROR', scrub(`${o.provider}: POST ${url} answered HTTP ${status}${said}`), {
      status,
      provider: o.provider,
      providerMessage: providerMessage === undefined ? undefined : scrub(providerMessage),
    });
    if (attempt >= o.retries) fail(exhausted(lastError, attempt, scrub));
    if (options.stats) options.stats.retries += 1;
    const wait =
      retryAfterMs !== undefined ? Math.min(retryAfterMs, o.maxRetryAfterMs) : backoffMs(attempt, o.backoffBaseMs, o.backoffMaxMs, random);
    await sleep(wait, options.signal).catch(() => fail(aborted(o.provider, url, options.signal!)));
  }
}

/** Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015): uniform in [0, min(max, base·2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/**
 * Milliseconds to wait from `Retry-After-Ms` (OpenAI, Azure) or `Retry-After` (RFC 9110 §10.2.3:
 * delay-seconds or an HTTP date). Fractional seconds are accepted. Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  retryAfterMs: string | null | undefined,
  retryAfter: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (retryAfterMs != null && /^\s*\d+(\.\d+)?\s*$/.test(retryAfterMs)) return Math.max(0, Number(retryAfterMs));
  if (retryAfter == null || retryAfter.trim() === '') return undefined;
  const v = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The provider's own error message from an error body. Known shapes: OpenAI and compatible servers
 * `{error:{message}}`; Cohere `{message}`; Voyage and Jina `{detail}` (a string, or FastAPI's
 * `[{msg}]`); TEI and Ollama `{error}`. Falls back to the raw text (shortened) when it is not JSON.
 */
export function extractProviderMessage(text: string): string | undefined {
  const raw = text.trim();
  if (raw === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return shorten(raw);
  }
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (Array.isArray(v)) {
      const parts = v.map((x) => pick(x)).filter((x): x is string => x !== undefined);
      return parts.length ? parts.join('; ') : undefined;
    }
    if (v && typeof v === 'object') {
      const r = v as Record<string, unknown>;
      return pick(r.message) ?? pick(r.msg) ?? pick(r.error) ?? pick(r.detail) ?? pick(r.errors);
    }
    return undefined;
  };
  const found = pick(body);
  return shorten(found ?? raw);
}

/** Replace every secret in `text` with `***`. */
export function redact(text: string, secrets: readonly string[] | undefined): string {
  let out = text;
  for (const s of secrets ?? []) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

/** Run at most `n` tasks at once; the rest wait in FIFO order. */
export interface Limiter {
  /** Run `task` when a slot is free; resolves or rejects with the task. */
  <T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
}

/** A concurrency limiter with `n` slots (n ≥ 1). */
export function createLimiter(n: number): Limiter {
  if (!Number.isInteger(n) || n < 1) throw new ShortlistError('INVALID_ARGUMENT', `concurrency must be an integer ≥ 1, got ${n}`);
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active -= 1;
    queue.shift()?.();
  };
  const limit = async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
  Object.defineProperties(limit, {
    active: { get: () => active },
    pending: { get: () => queue.length },
  });
  return limit as Limiter;
}

/** Resolve after `ms`, or reject when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function aborted(provider: string, url: string, signal: AbortSignal): RemoteHttpError {
  return new RemoteHttpError('ABORTED', `${provider}: POST ${url} was aborted`, { provider, cause: signal.reason });
}

function exhausted(last: RemoteHttpError, attempt: number, scrub: (s: string) => string): RemoteHttpError {
  const tries = attempt + 1;
  return new RemoteHttpError(
    'NETWORK_ERROR',
    scrub(`${last.message} (gave up after ${tries} attempt${tries === 1 ? '' : 's'}; raise retries or timeoutMs, or try later)`),
    { status: last.status, provider: last.provider, providerMessage: last.providerMessage, cause: last.cause },
  );
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check the API key in the environment variable the config names)';
  if (status === 404) return ' (check baseUrl and model)';
  if (status === 413) return ' (request too large; lower batchSize)';
  return '';
}

function causeMessage(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const inner = e?.cause?.code ?? e?.cause?.message;
  return inner ? `${e.message} (${inner})` : String(e?.message ?? err);
}

function shorten(s: string): string {
  return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
