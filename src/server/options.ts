/**
 * The server's options, their defaults in one place, and `resolveServerOptions(input)` returning a
 * new frozen object (call argument over defaults; the CLI maps its flags onto the same fields).
 */
import { ShortlistError } from '../core/errors.ts';
import { PIPELINE_PRESETS } from '../pipeline/presets.ts';
import { BATCH_QUEUE_DEFAULTS, resolveQueueOptions, type BatchQueueOptions } from './batching/queue.ts';

/** Request limits; a request past one is refused in its route's dialect (413, or 504 for time). */
export interface ServerLimits {
  /** Largest request body in bytes (413 past it). @default 1_048_576 (1 MiB) */
  bodyBytes: number;
  /** Most documents in one rerank request, texts in one embedding request, or documents in one upsert (413 past it). @default 1000 */
  documents: number;
  /** Longest document, text or query in characters (413 past it). @default 100_000 */
  characters: number;
  /** Longest time a request may take before it is cancelled with a 504. @default 30_000 */
  timeoutMs: number;
  /** Largest `k` a search may ask for (422 past it). Raising it makes each response larger. @default 1000 */
  k: number;
  /** Largest first-stage `depth` a search may ask for (422 past it): every candidate is scored by each rerank stage, so this bounds a request's work. @default 1000 */
  depth: number;
  /** Longest document id in characters (413 past it). @default 512 */
  idCharacters: number;
  /** Longest title, filter, or metadata value (as JSON) in characters (413 past it). @default 4096 */
  fieldCharacters: number;
  /** Deepest nesting of arrays and objects in a JSON body (422 past it); filters nest at most as deep. @default 32 */
  jsonDepth: number;
}

/**
 * What a request may use when it creates a collection (`POST /v1/collections/:name/documents`
 * with `pipeline`): a built-in preset, or an inline pipeline whose every model is on `models`.
 * Hosted stages (`remote`, `llm-listwise`, a dense `remote` encoder) name URLs and key variables,
 * so they are never accepted from a request; the operator creates such collections with the CLI.
 */
export interface CreationPolicy {
  /** Preset names a request may create a collection with. @default every built-in preset */
  presets: readonly string[];
  /** Models (hub ids or folders, exactly as written in the pipeline) an inline pipeline may name; empty: inline pipelines are refused. @default [] */
  models: readonly string[];
}

/** Cross-request batching of model calls: the options of `BatchQueue` (see there for each field). */
export type ServerBatching = BatchQueueOptions;

/** Everything `createApp` / `createServer` accept. */
export interface ServerOptions {
  /** Directory whose subdirectories are collections (`shortlist init` folders), or a `postgres://` database URL whose collection schemas are served. @default undefined (no collection routes) */
  collections?: string;
  /** Cross-encoder for /v1/rerank, /v2/rerank and /rerank: preset, hub id or folder. @default undefined (those routes answer 404) */
  rerankModel?: string;
  /** Bi-encoder for /v1/embeddings, /embeddings and /embed: preset, hub id or folder. @default undefined (those routes answer 404) */
  embedModel?: string;
  /** Preset fields for a rerank model without a preset (e.g. `{ activation: 'sigmoid', maxLength: 512 }`). @default {} */
  rerankPreset?: Record<string, unknown>;
  /** Preset fields for an embedding model without a preset (e.g. `{ pooling: 'mean', normalize: true }`). @default {} */
  embedPreset?: Record<string, unknown>;
  /** ONNX Runtime intra-op threads per model. @default all cores */
  threads?: number;
  /** Port to listen on (0 picks a free one). @default 8080 */
  port: number;
  /** Address to listen on; 127.0.0.1 keeps the server local, 0.0.0.0 exposes it. @default '127.0.0.1' */
  host: string;
  /** Accepted bearer keys. Empty: no authentication (only /health is always open). @default [] */
  apiKeys: readonly string[];
  /** Origin allowed by CORS (`*` for any); without keys, a request whose Origin is another site's is refused (403) unless this allows it. @default undefined (CORS off) */
  cors?: string;
  /**
   * Serve without keys on a non-loopback address, and accept any Host header. Without it, a
   * keyless server refuses to bind beyond loopback and answers only requests whose Host is a
   * loopback name (DNS rebinding). @default false
   */
  insecureNoAuth: boolean;
  /** What a request may create collections with. @default {@link CREATION_DEFAULTS} */
  creation: CreationPolicy;
  /** Override handles (searches that set `depth`, `keep`, fusion or `minScore`) open at once; more wait for one to be released. @default 8 */
  overrideHandles: number;
  /** Request limits. @default {@link LIMIT_DEFAULTS} */
  limits: ServerLimits;
  /** Cross-request batching. @default {@link BATCHING_DEFAULTS} */
  batching: ServerBatching;
  /** Serve the playground page at `GET /`. @default true */
  playground: boolean;
  /** Log nothing (request logs go to stderr otherwise). @default false */
  quiet: boolean;
}

/** What callers pass: every field optional, limits and batching partial. */
export type ServerOptionsInput = Partial<Omit<ServerOptions, 'limits' | 'batching' | 'creation'>> & {
  limits?: Partial<ServerLimits>;
  batching?: Partial<ServerBatching>;
  creation?: Partial<CreationPolicy>;
};

/** Default request limits. */
export const LIMIT_DEFAULTS = Object.freeze({
  bodyBytes: 1_048_576,
  documents: 1000,
  characters: 100_000,
  timeoutMs: 30_000,
  k: 1000,
  depth: 1000,
  idCharacters: 512,
  fieldCharacters: 4096,
  jsonDepth: 32,
} satisfies ServerLimits);

/** Default creation policy: every built-in preset, no inline pipelines. */
export const CREATION_DEFAULTS: Readonly<CreationPolicy> = Object.freeze({
  presets: Object.freeze(Object.keys(PIPELINE_PRESETS)),
  models: Object.freeze([]) as readonly string[],
});

/** Default batching settings (the queue's own defaults). */
export const BATCHING_DEFAULTS: Readonly<ServerBatching> = BATCH_QUEUE_DEFAULTS;

/** Defaults of the top-level fields. */
export const SERVER_DEFAULTS = Object.freeze({
  port: 8080,
  host: '127.0.0.1',
  apiKeys: Object.freeze([]) as readonly string[],
  playground: true,
  quiet: false,
  insecureNoAuth: false,
  overrideHandles: 8,
});

/** True for an address that only this machine reaches: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Merge `input` over the defaults, check every number, return a new frozen object. */
export function resolveServerOptions(input: ServerOptionsInput = {}): Readonly<ServerOptions> {
  const limits = Object.freeze({ ...LIMIT_DEFAULTS, ...defined(input.limits ?? {}) });
  const batching = resolveQueueOptions(input.batching);
  for (const [key, value] of Object.entries(limits)) positive(`limits.${key}`, value);
  const port = input.port ?? SERVER_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ShortlistError('INVALID_ARGUMENT', `port must be an integer in 0..65535, got ${port}`);
  const apiKeys = Object.freeze((input.apiKeys ?? []).map((k) => k.trim()).filter((k) => k !== ''));
  const host = input.host ?? SERVER_DEFAULTS.host;
  const insecureNoAuth = input.insecureNoAuth ?? SERVER_DEFAULTS.insecureNoAuth;
  if (apiKeys.length === 0 && !insecureNoAuth && !isLoopbackHost(host)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `refusing to listen on ${host} without API keys: anyone who reaches this address could use the server. Give keys (--api-key-env NAME or --api-key-file FILE), listen on 127.0.0.1, or pass --insecure-no-auth to serve without keys anyway`,
    );
  }
  const overrideHandles = input.overrideHandles ?? SERVER_DEFAULTS.overrideHandles;
  positive('overrideHandles', overrideHandles);
  const creation = Object.freeze({
    presets: Object.freeze([...(input.creation?.presets ?? CREATION_DEFAULTS.presets)]),
    models: Object.freeze([...(input.creation?.models ?? CREATION_DEFAULTS.models)]),
  });
  for (const p of creation.presets) {
    if (!Object.hasOwn(PIPELINE_PRESETS, p))
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `creation preset "${p}" is not a built-in preset; presets: ${Object.keys(PIPELINE_PRESETS).join(', ')}`,
      );
  }
  return Object.freeze({
    ...SERVER_DEFAULTS,
    ...defined(input),
    host,
    insecureNoAuth,
    overrideHandles,
    port,
    apiKeys,
    limits,
    batching,
    creation,
  });
}

function positive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new ShortlistError('INVALID_ARGUMENT', `${name} must be a positive number, got ${value}`);
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
