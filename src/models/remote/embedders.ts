/**
 * Embedding providers over HTTP, with the same `embed(texts, kind, { dims })` shape as the local
 * {@link import('../encoders/bi-encoder.ts').BiEncoder}.
 *
 * Pipeline of one `embed` call:
 * 1. Check the texts (none blank), add the configured query/document prefix.
 * 2. Split into requests of at most `batchSize` texts (capped at the provider's documented limit).
 * 3. Send them with bounded concurrency, each with the provider's own query/document switch.
 * 4. Read each answer by its `index` (when the provider sends one), decode base64 where asked,
 *    check the count and the dimension; a short or ragged answer is a PROVIDER_ERROR.
 * 5. Truncate to `dims` where the provider cannot, L2-normalise, return in input order.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { EmbedKind, EmbedOptions } from '../encoders/bi-encoder.ts';
import { checkTexts } from '../encoders/tokens.ts';
import { l2Normalize, truncateDims } from '../encoders/pooling.ts';
import { badShape, chunks, forEachChunk, numberAt, ProviderClient, type EndpointSpec, type RemoteCommonOptions } from './client.ts';
import type { HttpStats } from './http.ts';

/** Options of {@link RemoteEmbedder.embed}: the bi-encoder's plus cancellation. */
export interface RemoteEmbedOptions extends EmbedOptions {
  /** Abort the requests. */
  signal?: AbortSignal;
  /** Counters of this call's requests are added here too (calls, retries, tokens, latency), for a trace. */
  stats?: HttpStats;
}

/** The embedder interface local and remote models share. */
export interface Embedder {
  /** Name shown in traces. */
  readonly name: string;
  /** One vector per text, in input order. */
  embed(texts: readonly string[], kind: EmbedKind, options?: EmbedOptions): Promise<Float32Array[]>;
  /** Release what the embedder holds. */
  dispose(): Promise<void>;
}

/** Options of a remote embedder. */
export interface RemoteEmbedderOptions extends RemoteCommonOptions {
  /** Text put before every query (for models trained with one, e.g. `query: `). @default '' */
  queryPrefix?: string;
  /** Text put before every document. @default '' */
  documentPrefix?: string;
  /**
   * OpenAI only: ask for `base64` (smaller answers, decoded as little-endian float32) or `float`.
   * @default 'base64'
   */
  encodingFormat?: 'float' | 'base64';
}

/** How one provider's embedding endpoint is spoken. */
export interface EmbedProviderSpec extends EndpointSpec {
  /** The provider can shorten vectors itself (Matryoshka `dimensions` parameter). */
  serverDims: boolean;
  /** The request body. */
  request(model: string, texts: string[], kind: EmbedKind, dims: number | undefined, o: RemoteEmbedderOptions): unknown;
  /** The vectors in the answer, each with the position it belongs to (undefined = list order). */
  parse(body: unknown): { index?: number; vector: unknown }[] | undefined;
  /** Tokens used, from the answer. */
  tokens(body: unknown): number | undefined;
}

/** `{ data: [{ index, embedding }] }`, the OpenAI shape also spoken by Voyage and Jina. */
function parseData(body: unknown): { index?: number; vector: unknown }[] | undefined {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  return data.map((d: { index?: unknown; embedding?: unknown }) => ({
    index: typeof d?.index === 'number' ? d.index : undefined,
    vector: d?.embedding,
  }));
}

function listOf(v: unknown): { vector: unknown }[] | undefined {
  return Array.isArray(v) ? v.map((vector) => ({ vector })) : undefined;
}

/** The embedding providers shortlist speaks, keyed by id. */
export const EMBED_PROVIDERS = Object.freeze({
  /** https://platform.openai.com/docs/api-reference/embeddings/create — an input array holds at most 2048 items; `dimensions` for text-embedding-3; `encoding_format` float|base64. */
  openai: {
    provider: 'openai',
    defaultBaseUrl: 'https://api.openai.com',
    path: '/v1/embeddings',
    defaultKeyEnv: 'OPENAI_API_KEY',
    maxBatch: 2048,
    serverDims: true,
    request: (model, texts, _kind, dims, o) => ({
      model,
      input: texts,
      encoding_format: o.encodingFormat ?? 'base64',
      ...(dims ? { dimensions: dims } : {}),
    }),
    parse: parseData,
    tokens: (b) => numberAt(b, 'usage', 'total_tokens') ?? numberAt(b, 'usage', 'prompt_tokens'),
  },
  /** https://docs.cohere.com/v2/reference/embed — `texts` (at most 96 per call), `input_type` search_query|search_document, `embedding_types: ['float']` → `embeddings.float`; `output_dimension` for embed-v4. */
  cohere: {
    provider: 'cohere',
    defaultBaseUrl: 'https://api.cohere.com',
    path: '/v2/embed',
    defaultKeyEnv: 'COHERE_API_KEY',
    maxBatch: 96,
    serverDims: true,
    request: (model, texts, kind, dims) => ({
      model,
      texts,
      input_type: kind === 'query' ? 'search_query' : 'search_document',
      embedding_types: ['float'],
      ...(dims ? { output_dimension: dims } : {}),
    }),
    parse: (b) => listOf((b as { embeddings?: { float?: unknown } })?.embeddings?.float),
    tokens: (b) => numberAt(b, 'meta', 'billed_units', 'input_tokens'),
  },
  /** https://docs.voyageai.com/reference/embeddings-api — `input`, `input_type` query|document, `output_dimension`. The published OpenAPI spec (voyage-ai/voyage-openapi, also in the `voyageai` npm package) caps the list at 128; newer models allow more, 128 is always accepted. */
  voyage: {
    provider: 'voyage',
    defaultBaseUrl: 'https://api.voyageai.com',
    path: '/v1/embeddings',
    defaultKeyEnv: 'VOYAGE_API_KEY',
    maxBatch: 128,
    serverDims: true,
    request: (model, texts, kind, dims) => ({ model, input: texts, input_type: kind, ...(dims ? { output_dimension: dims } : {}) }),
    parse: parseData,
    tokens: (b) => numberAt(b, 'usage', 'total_tokens'),
  },
  /** https://api.jina.ai/redoc#tag/embeddings — `input`, `task` retrieval.query|retrieval.passage, `dimensions`. No per-request input count is documented there; 128 is a conservative default (raise with batchSize). */
  jina: {
    provider: 'jina',
    defaultBaseUrl: 'https://api.jina.ai',
    path: '/v1/embeddings',
    defaultKeyEnv: 'JINA_API_KEY',
    maxBatch: 128,
    serverDims: true,
    request: (model, texts, kind, dims) => ({
      model,
      input: texts,
      task: kind === 'query' ? 'retrieval.query' : 'retrieval.passage',
      ...(dims ? { dimensions: dims } : {}),
    }),
    parse: parseData,
    tokens: (b) => numberAt(b, 'usage', 'total_tokens'),
  },
  /** https://huggingface.github.io/text-embeddings-inference/ — POST /embed `{ inputs }` → bare `number[][]`; the server's `--max-client-batch-size` defaults to 32. */
  tei: {
    provider: 'tei',
    defaultBaseUrl: 'http://127.0.0.1:8080',
    path: '/embed',
    maxBatch: 32,
    serverDims: false,
    request: (_model, texts) => ({ inputs: texts, normalize: true, truncate: true }),
    parse: (b) => listOf(b),
    tokens: () => undefined,
  },
  /** https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings — POST /api/embed `{ model, input }` → `{ embeddings, prompt_eval_count }`. No input count limit is documented; 256 per request bounds memory on a local server. */
  ollama: {
    provider: 'ollama',
    defaultBaseUrl: 'http://127.0.0.1:11434',
    path: '/api/embed',
    maxBatch: 256,
    serverDims: false,
    request: (model, texts) => ({ model, input: texts, truncate: true }),
    parse: (b) => listOf((b as { embeddings?: unknown })?.embeddings),
    tokens: (b) => numberAt(b, 'prompt_eval_count'),
  },
} as const satisfies Record<string, EmbedProviderSpec>);

/** An embedding provider id. */
export type EmbedProviderId = keyof typeof EMBED_PROVIDERS;

/** An embedder behind an HTTP API. Vectors come back L2-normalised, like the local bi-encoder's. */
export class RemoteEmbedder implements Embedder {
  /** `provider:model`, shown in traces. */
  readonly name: string;
  /** Provider id. */
  readonly provider: EmbedProviderId;
  /** Model id. */
  readonly model: string;
  readonly #spec: EmbedProviderSpec;
  readonly #client: ProviderClient;
  readonly #options: Readonly<RemoteEmbedderOptions>;

  /** Build the adapter (no request is made). */
  constructor(provider: EmbedProviderId, options: RemoteEmbedderOptions) {
    this.#spec = EMBED_PROVIDERS[provider];
    this.#client = new ProviderClient(this.#spec, options);
    this.#options = Object.freeze({ ...options });
    this.provider = provider;
    this.model = options.model;
    this.name = `${provider}:${options.model}`;
  }

  /** Counters since creation: calls, retries, failures, tokens, latency. */
  get stats(): Readonly<HttpStats> {
    return this.#client.stats;
  }

  /** Embed `texts` as queries or documents; one unit vector per text, in input order. */
  async embed(texts: readonly string[], kind: EmbedKind, options: RemoteEmbedOptions = {}): Promise<Float32Array[]> {
    checkTexts(texts, this.name);
    if (kind !== 'query' && kind !== 'document')
      throw new ShortlistError('INVALID_ARGUMENT', `${this.name}: kind must be 'query' or 'document', got ${String(kind)}`);
    const { dims } = options;
    if (dims !== undefined && (!Number.isInteger(dims) || dims < 1)) {
      throw new ShortlistError('INVALID_ARGUMENT', `${this.name}: dims must be an integer ≥ 1, got ${dims}`);
    }
    if (texts.length === 0) return [];
    const prefix = (kind === 'query' ? this.#options.queryPrefix : this.#options.documentPrefix) ?? '';
    const inputs = texts.map((t) => prefix + t);
    const spec = this.#spec;
    const out = new Array<Float32Array>(inputs.length);
    await forEachChunk(chunks(inputs, this.#client.batchSize), options.signal, async ({ start, items }, signal) => {
      const body = await this.#client.post(
        spec.request(this.model, items, kind, spec.serverDims ? dims : undefined, this.#options),
        spec.tokens,
        signal,
        options.stats,
      );
      this.#read(body, items.length).forEach((v, i) => (out[start + i] = v));
    });
    const full = out[0].length;
    if (dims !== undefined && dims > full) {
      throw new ShortlistError('INVALID_ARGUMENT', `${this.name}: dims must be at most the model's ${full} dimensions, got ${dims}`);
    }
    return out.map((v) => (dims !== undefined && dims < v.length ? truncateDims(v, dims, true) : l2Normalize(v)));
  }

  /** The adapter's options (the key only by reference), safe to serialise. */
  toJSON(): Record<string, unknown> {
    return this.#client.toJSON();
  }

  /** Nothing to release (no sockets are kept beyond fetch's pool). */
  async dispose(): Promise<void> {}

  #read(body: unknown, expected: number): Float32Array[] {
    const url = this.#client.url;
    const entries = this.#spec.parse(body);
    if (!entries) throw badShape(this.provider, url, 'no list of embeddings where the provider documents one');
    if (entries.length !== expected) {
      throw new ShortlistError(
        'PROVIDER_ERROR',
        `${this.provider}: ${url} returned ${entries.length} embeddings for ${expected} inputs; nothing was stored, retry or lower batchSize`,
      );
    }
    const slots = new Array<Float32Array | undefined>(expected);
    entries.forEach((e, pos) => {
      const at = e.index ?? pos;
      if (!Number.isInteger(at) || at < 0 || at >= expected || slots[at]) {
        throw badShape(this.provider, url, `embedding index ${at} is out of range or repeated (expected 0..${expected - 1} once each)`);
      }
      slots[at] = toVector(e.vector, this.provider, url);
    });
    const dim = slots[0]!.length;
    for (const v of slots as Float32Array[]) {
      if (v.length !== dim || dim === 0) throw badShape(this.provider, url, `embeddings of different lengths (${dim} and ${v.length})`);
    }
    return slots as Float32Array[];
  }
}

/** A float array, or OpenAI's base64 of little-endian float32, as a fresh Float32Array. */
export function toVector(v: unknown, provider: string, url: string): Float32Array {
  if (typeof v === 'string') return decodeBase64Float32(v, provider, url);
  if (!Array.isArray(v)) throw badShape(provider, url, 'an embedding that is neither a number array nor base64');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw badShape(provider, url, `embedding component ${i} is ${JSON.stringify(x)}, not a finite number`);
    out[i] = x;
  }
  return out;
}

/** Decode base64 holding little-endian float32 values (OpenAI's `encoding_format: 'base64'`). */
export function decodeBase64Float32(b64: string, provider = 'remote', url = ''): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.length % 4 !== 0)
    throw badShape(provider, url, `a base64 embedding of ${bytes.length} bytes, not a whole number of float32 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
