/**
 * Rerank providers over HTTP, implementing the same {@link Reranker} interface as the local
 * cross-encoder stage.
 *
 * Pipeline of one `rerank` call:
 * 1. Read each candidate as `title\ntext` (or `text`), like the local stage.
 * 2. Split into requests of at most `batchSize` documents (capped at the provider's limit), each
 *    asking for every document's score (`top_n` = request size), sent with bounded concurrency.
 *    Scores of one model are per (query, document) pair, so scores from different requests compare.
 * 3. Map each result back by its `index`; an index out of range or repeated is a PROVIDER_ERROR.
 * 4. Candidates the provider left out (a short answer): with `onMissing: 'append'` (the default)
 *    they follow every returned candidate in their prior order, with made-up scores strictly
 *    below the lowest returned score (1 apart), so nothing is lost and compareHits keeps that
 *    order; with `onMissing: 'error'` the call fails naming the provider and how many are missing.
 * 5. Sort by compareHits, cut to k.
 */
import { ShortlistError } from '../../core/errors.ts';
import { compareHits, type Candidate, type Hit, type Reranker, type SearchOptions } from '../../core/types.ts';
import { candidateText, checkAbort } from '../../core/rerank.ts';
import { badShape, chunks, forEachChunk, numberAt, ProviderClient, type EndpointSpec, type RemoteCommonOptions } from './client.ts';
import type { HttpStats } from './http.ts';

/** Options of a remote reranker. */
export interface RemoteRerankerOptions extends RemoteCommonOptions {
  /** Read `title + "\n" + text` when a candidate has a title. @default true */
  includeTitle?: boolean;
  /**
   * What to do with candidates the provider did not score: `append` keeps them after the scored
   * ones in their prior order; `error` fails the call.
   * @default 'append'
   */
  onMissing?: 'append' | 'error';
}

/** Options of {@link RemoteReranker.rerank}. */
export interface RemoteRerankOptions extends SearchOptions {
  /** Counters of this call's requests are added here too (calls, retries, tokens, latency), for a trace. */
  stats?: HttpStats;
}

/** How one provider's rerank endpoint is spoken. */
export interface RerankProviderSpec extends EndpointSpec {
  /** The request body asking for all `documents`' scores. */
  request(model: string, query: string, documents: string[]): unknown;
  /** `[index, score]` pairs from the answer, or undefined when the shape is wrong. */
  parse(body: unknown): { index: unknown; score: unknown }[] | undefined;
  /** Tokens used, from the answer. */
  tokens(body: unknown): number | undefined;
}

function resultsOf(list: unknown, scoreKey: string): { index: unknown; score: unknown }[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((r: Record<string, unknown>) => ({ index: r?.index, score: r?.[scoreKey] }));
}

/** The rerank providers shortlist speaks, keyed by id. */
export const RERANK_PROVIDERS = Object.freeze({
  /** https://docs.cohere.com/v2/reference/rerank — `{ model, query, documents, top_n }` → `results: [{ index, relevance_score }]`; at most 1,000 documents per request are recommended. */
  cohere: {
    provider: 'cohere',
    defaultBaseUrl: 'https://api.cohere.com',
    path: '/v2/rerank',
    defaultKeyEnv: 'COHERE_API_KEY',
    maxBatch: 1000,
    request: (model, query, documents) => ({ model, query, documents, top_n: documents.length }),
    parse: (b) => resultsOf((b as { results?: unknown })?.results, 'relevance_score'),
    tokens: (b) => numberAt(b, 'meta', 'billed_units', 'input_tokens'),
  },
  /** https://jina.ai/reranker/ (API reference: https://api.jina.ai/redoc#tag/rerank) — `{ model, query, documents, top_n, return_documents }` → `results: [{ index, relevance_score }]`, `usage.total_tokens`. No document count limit is documented; 1,000 matches Cohere's and Voyage's. */
  jina: {
    provider: 'jina',
    defaultBaseUrl: 'https://api.jina.ai',
    path: '/v1/rerank',
    defaultKeyEnv: 'JINA_API_KEY',
    maxBatch: 1000,
    request: (model, query, documents) => ({ model, query, documents, top_n: documents.length, return_documents: false }),
    parse: (b) => resultsOf((b as { results?: unknown })?.results, 'relevance_score'),
    tokens: (b) => numberAt(b, 'usage', 'total_tokens'),
  },
  /** https://docs.voyageai.com/reference/reranker-api — `{ model, query, documents, top_k }` (at most 1,000 documents) → `data: [{ index, relevance_score }]`, `usage.total_tokens`. */
  voyage: {
    provider: 'voyage',
    defaultBaseUrl: 'https://api.voyageai.com',
    path: '/v1/rerank',
    defaultKeyEnv: 'VOYAGE_API_KEY',
    maxBatch: 1000,
    request: (model, query, documents) => ({ model, query, documents, top_k: documents.length, return_documents: false }),
    parse: (b) => resultsOf((b as { data?: unknown })?.data, 'relevance_score'),
    tokens: (b) => numberAt(b, 'usage', 'total_tokens'),
  },
  /** https://huggingface.github.io/text-embeddings-inference/ — POST /rerank `{ query, texts }` → bare `[{ index, score }]`; `--max-client-batch-size` defaults to 32. */
  tei: {
    provider: 'tei',
    defaultBaseUrl: 'http://127.0.0.1:8080',
    path: '/rerank',
    maxBatch: 32,
    request: (_model, query, documents) => ({ query, texts: documents, raw_scores: false, return_text: false, truncate: true }),
    parse: (b) => resultsOf(b, 'score'),
    tokens: () => undefined,
  },
} as const satisfies Record<string, RerankProviderSpec>);

/** A rerank provider id. */
export type RerankProviderId = keyof typeof RERANK_PROVIDERS;

/** A second stage behind an HTTP rerank API. Build with `new` (or `createRemoteReranker`). */
export class RemoteReranker implements Reranker {
  /** Stage name in traces: `provider:model`. */
  readonly name: string;
  /** Provider id. */
  readonly provider: RerankProviderId;
  /** Model id. */
  readonly model: string;
  /** Candidates left out by the provider and appended (see `onMissing`), since creation. */
  missing = 0;
  readonly #spec: RerankProviderSpec;
  readonly #client: ProviderClient;
  readonly #includeTitle: boolean;
  readonly #onMissing: 'append' | 'error';

  /** Build the adapter (no request is made). */
  constructor(provider: RerankProviderId, options: RemoteRerankerOptions) {
    this.#spec = RERANK_PROVIDERS[provider];
    this.#client = new ProviderClient(this.#spec, options);
    this.#includeTitle = options.includeTitle ?? true;
    this.#onMissing = options.onMissing ?? 'append';
    if (this.#onMissing !== 'append' && this.#onMissing !== 'error') {
      throw new ShortlistError('INVALID_ARGUMENT', `${provider}: onMissing must be 'append' or 'error', got ${String(options.onMissing)}`);
    }
    this.provider = provider;
    this.model = options.model;
    this.name = `${provider}:${options.model}`;
  }

  /** Counters since creation: calls, retries, failures, tokens, latency. */
  get stats(): Readonly<HttpStats> {
    return this.#client.stats;
  }

  /** Score every candidate through the API and return the top `k`, sorted by {@link compareHits}. */
  async rerank(query: string, candidates: Candidate[], k: number, options: RemoteRerankOptions = {}): Promise<Hit[]> {
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    if (typeof query !== 'string' || query.trim() === '') throw new ShortlistError('INVALID_ARGUMENT', `${this.name}: the query is empty`);
    checkAbort(options.signal);
    if (candidates.length === 0 || k === 0) return [];
    const texts = candidates.map((c) => candidateText(c, this.#includeTitle));
    const scores = new Array<number | undefined>(candidates.length);
    await forEachChunk(chunks(texts, this.#client.batchSize), options.signal, async ({ start, items }, signal) => {
      const body = await this.#client.post(this.#spec.request(this.model, query, items), this.#spec.tokens, signal, options.stats);
      this.#read(body, items.length).forEach((s, i) => (scores[start + i] = s));
    });
    const hits: Hit[] = [];
    const left: Candidate[] = [];
    candidates.forEach((c, i) => (scores[i] === undefined ? left.push(c) : hits.push({ id: c.id, score: scores[i]! })));
    if (left.length > 0) {
      if (this.#onMissing === 'error') {
        throw new ShortlistError(
          'PROVIDER_ERROR',
          `${this.provider}: ${this.#client.url} scored ${hits.length} of ${candidates.length} candidates; ${left.length} are missing (set onMissing: 'append' to keep them in their prior order)`,
        );
      }
      this.missing += left.length;
      const floor = hits.reduce((m, h) => Math.min(m, h.score), 0);
      left.forEach((c, j) => hits.push({ id: c.id, score: floor - 1 - j }));
    }
    return hits.sort(compareHits).slice(0, k);
  }

  /** The adapter's options (the key only by reference), safe to serialise. */
  toJSON(): Record<string, unknown> {
    return this.#client.toJSON();
  }

  /** Nothing to release. */
  async dispose(): Promise<void> {}

  /** Scores by position within one request; undefined where the provider returned none. */
  #read(body: unknown, size: number): (number | undefined)[] {
    const url = this.#client.url;
    const results = this.#spec.parse(body);
    if (!results) throw badShape(this.provider, url, 'no list of rerank results where the provider documents one');
    const out = new Array<number | undefined>(size);
    for (const r of results) {
      const i = r.index;
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= size || out[i] !== undefined) {
        throw badShape(
          this.provider,
          url,
          `result index ${JSON.stringify(i)} is out of range or repeated (expected 0..${size - 1} once each)`,
        );
      }
      if (typeof r.score !== 'number' || !Number.isFinite(r.score))
        throw badShape(this.provider, url, `result ${i} has score ${JSON.stringify(r.score)}, not a finite number`);
      out[i] = r.score;
    }
    return out;
  }
}
