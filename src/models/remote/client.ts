/**
 * What every hosted-provider adapter shares: the options common to all of them, defaults merged
 * once, and a {@link ProviderClient} that POSTs to `baseUrl + path` with the key read at call time,
 * bounded concurrency and the counters the trace reports.
 */
import { ShortlistError } from '../../core/errors.ts';
import { addHttpStats, createHttpStats, createLimiter, postJson, type HttpStats, type Limiter } from './http.ts';
import { resolveApiKey, type ApiKeyRef } from './secrets.ts';

/** Options every remote adapter (embedder or reranker) accepts. */
export interface RemoteCommonOptions {
  /** Model id as the provider spells it, e.g. `text-embedding-3-small` or `rerank-v3.5`. */
  model: string;
  /**
   * Base URL of the API, without the endpoint path (`https://api.openai.com`, `http://localhost:8080`).
   * @default the provider's public API (self-hosted providers: their usual local port)
   */
  baseUrl?: string;
  /**
   * The environment variable that holds the API key; never the key itself. Hosted providers fall
   * back to their usual variable (`OPENAI_API_KEY`, `COHERE_API_KEY`, …); TEI and Ollama send no
   * key unless one is named.
   * @default the provider's usual variable, or none
   */
  apiKey?: ApiKeyRef;
  /** Per-request timeout in milliseconds (body included). @default 30000 */
  timeoutMs?: number;
  /** Extra attempts after a 429, 5xx, network error or timeout. @default 3 */
  retries?: number;
  /** First backoff step in milliseconds (full jitter, doubling). @default 500 */
  backoffBaseMs?: number;
  /** Longest `Retry-After` wait honoured, in milliseconds. @default 60000 */
  maxRetryAfterMs?: number;
  /**
   * Requests in flight at once per adapter. Higher is faster until the provider's rate limit;
   * 429s are then retried with backoff.
   * @default 4
   */
  concurrency?: number;
  /**
   * Texts per request; capped at the provider's documented limit. Lower it when requests hit a
   * token-per-request limit (HTTP 400/413).
   * @default the provider's limit
   */
  batchSize?: number;
}

/** Facts about one provider endpoint, used by {@link ProviderClient}. */
export interface EndpointSpec {
  /** Provider id, e.g. `cohere`. */
  provider: string;
  /** Default base URL. */
  defaultBaseUrl: string;
  /** Endpoint path appended to the base URL. */
  path: string;
  /** Environment variable used when the config names none; undefined = send no key. */
  defaultKeyEnv?: string;
  /** The most texts one request may carry (documented provider limit). */
  maxBatch: number;
}

const DEFAULTS = { concurrency: 4 };

/** One provider endpoint with its retry policy, limiter and counters. */
export class ProviderClient {
  /** Provider id. */
  readonly provider: string;
  /** Full endpoint URL. */
  readonly url: string;
  /** Texts per request, after capping at the provider's limit. */
  readonly batchSize: number;
  /** Counters: calls, retries, failures, tokens, latency. */
  readonly stats: HttpStats = createHttpStats();
  readonly #options: Readonly<RemoteCommonOptions>;
  readonly #keyRef: ApiKeyRef | undefined;
  readonly #limit: Limiter;

  /** Validate the options and build the client (no request is made). */
  constructor(spec: EndpointSpec, options: RemoteCommonOptions) {
    if (typeof options.model !== 'string' || options.model.trim() === '') {
      throw new ShortlistError('INVALID_ARGUMENT', `${spec.provider}: model must be a non-empty string such as the provider's model id`);
    }
    const batch = options.batchSize ?? spec.maxBatch;
    if (!Number.isInteger(batch) || batch < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `${spec.provider}: batchSize must be an integer ≥ 1, got ${batch}`);
    this.provider = spec.provider;
    this.batchSize = Math.min(batch, spec.maxBatch);
    this.url = joinUrl(options.baseUrl ?? spec.defaultBaseUrl, spec.path, spec.provider);
    this.#options = Object.freeze({ ...options });
    this.#keyRef = options.apiKey ?? (spec.defaultKeyEnv ? { env: spec.defaultKeyEnv } : undefined);
    this.#limit = createLimiter(options.concurrency ?? DEFAULTS.concurrency);
  }

  /**
   * POST `body` under the limiter; the key is read from the environment for this call only. The
   * request's counters go into {@link stats} and, when given, into `sink` (one query's trace).
   */
  async post<T>(body: unknown, tokens?: (body: unknown) => number | undefined, signal?: AbortSignal, sink?: HttpStats): Promise<T> {
    return this.#limit(async () => {
      const key = resolveApiKey(this.#keyRef, this.provider);
      const o = this.#options;
      const local = createHttpStats();
      try {
        const res = await postJson<T>(this.url, body, {
          provider: this.provider,
          headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
          redact: key === undefined ? [] : [key],
          timeoutMs: o.timeoutMs,
          retries: o.retries,
          backoffBaseMs: o.backoffBaseMs,
          maxRetryAfterMs: o.maxRetryAfterMs,
          signal,
          stats: local,
          tokens,
        });
        return res.body;
      } finally {
        addHttpStats(this.stats, local);
        if (sink) addHttpStats(sink, local);
      }
    });
  }

  /** The options as given (the key only as its `{ env }` reference), safe to write to a pipeline file or a log. */
  toJSON(): Record<string, unknown> {
    const { apiKey, ...rest } = this.#options;
    return { provider: this.provider, ...rest, ...(apiKey ? { apiKey: { env: apiKey.env } } : {}) };
  }
}

/** Split `items` into consecutive chunks of at most `size`, each with its start offset. */
export function chunks<T>(items: readonly T[], size: number): { start: number; items: T[] }[] {
  const out: { start: number; items: T[] }[] = [];
  for (let start = 0; start < items.length; start += size) out.push({ start, items: items.slice(start, start + size) });
  return out;
}

/**
 * Run `task` on every chunk at once (the client's limiter bounds what is in flight). The first
 * failure aborts the siblings still queued or running, so a failed call does not keep spending
 * requests, and is the error raised.
 */
export async function forEachChunk<T>(
  parts: readonly { start: number; items: T[] }[],
  signal: AbortSignal | undefined,
  task: (part: { start: number; items: T[] }, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const combined = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let first: unknown;
  await Promise.all(
    parts.map((part) =>
      task(part, combined).catch((err) => {
        if (first === undefined) {
          first = err;
          stop.abort();
        }
      }),
    ),
  );
  if (first !== undefined) throw first;
}

/** A number at `path` inside a JSON body, or undefined. */
export function numberAt(body: unknown, ...path: string[]): number | undefined {
  let v: unknown = body;
  for (const key of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A PROVIDER_ERROR for a body that does not fit the provider's documented shape. */
export function badShape(provider: string, url: string, what: string): ShortlistError {
  return new ShortlistError('PROVIDER_ERROR', `${provider}: ${url} answered a body that does not fit its documented shape: ${what}`);
}

function joinUrl(base: string, path: string, provider: string): string {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `${provider}: baseUrl ${JSON.stringify(base)} is not a URL; write it like https://api.example.com`,
    );
  }
  if (parsed.username || parsed.password || parsed.search) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `${provider}: baseUrl must not carry credentials or a query string; name the key's environment variable in apiKey`,
    );
  }
  return base.replace(/\/+$/, '') + path;
}
