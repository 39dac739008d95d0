/**
 * The server's options, their defaults in one place, and `resolveServerOptions(input)` returning a
 * new frozen object (call argument over defaults; the CLI maps its flags onto the same fields).
 */
import { ShortlistError } from '../core/errors.ts';
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
  /** Origin allowed by CORS (`*` for any). @default undefined (CORS off) */
  cors?: string;
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
export type ServerOptionsInput = Partial<Omit<ServerOptions, 'limits' | 'batching'>> & { limits?: Partial<ServerLimits>; batching?: Partial<ServerBatching> };

/** Default request limits. */
export const LIMIT_DEFAULTS = Object.freeze({ bodyBytes: 1_048_576, documents: 1000, characters: 100_000, timeoutMs: 30_000 } satisfies ServerLimits);

/** Default batching settings (the queue's own defaults). */
export const BATCHING_DEFAULTS: Readonly<ServerBatching> = BATCH_QUEUE_DEFAULTS;

/** Defaults of the top-level fields. */
export const SERVER_DEFAULTS = Object.freeze({ port: 8080, host: '127.0.0.1', apiKeys: Object.freeze([]) as readonly string[], playground: true, quiet: false });

/** Merge `input` over the defaults, check every number, return a new frozen object. */
export function resolveServerOptions(input: ServerOptionsInput = {}): Readonly<ServerOptions> {
  const limits = Object.freeze({ ...LIMIT_DEFAULTS, ...defined(input.limits ?? {}) });
  const batching = resolveQueueOptions(input.batching);
  for (const [key, value] of Object.entries(limits)) positive(`limits.${key}`, value);
  const port = input.port ?? SERVER_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ShortlistError('INVALID_ARGUMENT', `port must be an integer in 0..65535, got ${port}`);
  const apiKeys = Object.freeze((input.apiKeys ?? []).map((k) => k.trim()).filter((k) => k !== ''));
  return Object.freeze({ ...SERVER_DEFAULTS, ...defined(input), port, apiKeys, limits, batching });
}

function positive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new ShortlistError('INVALID_ARGUMENT', `${name} must be a positive number, got ${value}`);
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
