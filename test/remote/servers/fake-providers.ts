/**
 * Loopback fakes of the hosted providers (node:http on 127.0.0.1, port 0). Each speaks the
 * provider's request and response shapes, rejects a wrong request with that provider's own error
 * JSON (so the adapters' request shapes are checked, not just the parsing), checks the bearer key
 * when one is set, and plays a script of injected failures before answering normally.
 *
 * Embeddings are deterministic functions of the text (a hashed bag of words), so equal texts get
 * equal vectors and texts that share words are close. Rerank scores are the share of query words
 * found in the document, so the obviously relevant document wins.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A provider the fake speaks. */
export type FakeProvider = 'openai' | 'cohere' | 'voyage' | 'jina' | 'tei' | 'ollama';

/** One injected misbehaviour, used for one request. */
export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { malformed: true }
  | { dropResults: number };

/** A request the fake received. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  at: number;
}

/** A running fake. */
export interface FakeServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Every request, in arrival order. */
  received: Received[];
  /** Faults to play, one per request, before answering normally. */
  faults: Fault[];
  /** Most requests that were in flight at once. */
  readonly peakInFlight: number;
  /** Stop listening and drop open (hung) connections. */
  close(): Promise<void>;
}

/** Options of {@link startFake}. */
export interface FakeOptions {
  /** Embedding dimension. @default 16 */
  dim?: number;
  /** Bearer key the fake requires; undefined = no auth check. */
  key?: string;
  /** Largest embedding batch the fake accepts (mirrors the provider's limit). */
  maxBatch?: number;
  /** Largest number of documents one rerank request may carry. */
  maxRerank?: number;
  /** Delay before each normal answer, in milliseconds (to observe concurrency). @default 0 */
  delayMs?: number;
}

const ROUTES: Record<FakeProvider, { embed?: string; rerank?: string }> = {
  openai: { embed: '/v1/embeddings' },
  cohere: { embed: '/v2/embed', rerank: '/v2/rerank' },
  voyage: { embed: '/v1/embeddings', rerank: '/v1/rerank' },
  jina: { embed: '/v1/embeddings', rerank: '/v1/rerank' },
  tei: { embed: '/embed', rerank: '/rerank' },
  ollama: { embed: '/api/embed' },
};

/** The provider's own error body for `message`. */
export function providerError(provider: FakeProvider, message: string): unknown {
  switch (provider) {
    case 'openai':
      return { error: { message, type: 'invalid_request_error', param: null, code: null } };
    case 'cohere':
      return { id: 'e1', message };
    case 'voyage':
    case 'jina':
      return { detail: message };
    case 'tei':
      return { error: message, error_type: 'Validation' };
    case 'ollama':
      return { error: message };
  }
}

/** Deterministic embedding of `text`: hashed bag of lower-cased words, not normalised. */
export function fakeVector(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619) >>> 0;
    v[h % dim] += 1 + (h % 7) / 10;
    v[(h >>> 8) % dim] -= 0.5;
  }
  v[dim - 1] += 0.25;
  return v;
}

/** Share of the query's words present in `doc`. */
export function fakeScore(query: string, doc: string): number {
  const q = new Set(query.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const d = new Set(doc.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  let hit = 0;
  for (const w of q) if (d.has(w)) hit++;
  return q.size === 0 ? 0 : hit / q.size;
}

function base64Of(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

type Answer = { status: number; body: unknown };

function bad(provider: FakeProvider, message: string): Answer {
  return { status: provider === 'tei' ? 422 : 400, body: providerError(provider, message) };
}

function isStrings(v: unknown, max: number): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.length <= max && v.every((s) => typeof s === 'string' && s.length > 0);
}

function embedAnswer(p: FakeProvider, b: Record<string, unknown>, dim: number, max: number, drop: number): Answer {
  const want = (texts: string[], d = dim) => texts.slice(0, texts.length - drop).map((t) => fakeVector(t, d).slice(0, d));
  switch (p) {
    case 'openai': {
      if (typeof b.model !== 'string' || !isStrings(b.input, max))
        return bad(p, `'input' must be a non-empty array of at most ${max} strings`);
      if (b.encoding_format !== undefined && b.encoding_format !== 'float' && b.encoding_format !== 'base64')
        return bad(p, 'bad encoding_format');
      const d = typeof b.dimensions === 'number' ? Math.min(b.dimensions, dim) : dim;
      const data = want(b.input, d).map((v, index) => ({
        object: 'embedding',
        index,
        embedding: b.encoding_format === 'base64' ? base64Of(v) : v,
      }));
      return {
        status: 200,
        body: {
          object: 'list',
          data: data.reverse(),
          model: b.model,
          usage: { prompt_tokens: b.input.length * 3, total_tokens: b.input.length * 3 },
        },
      };
    }
    case 'cohere': {
      if (typeof b.model !== 'string' || !isStrings(b.texts, max)) return bad(p, `texts must hold 1..${max} strings`);
      if (b.input_type !== 'search_query' && b.input_type !== 'search_document') return bad(p, 'invalid input_type');
      if (JSON.stringify(b.embedding_types) !== '["float"]') return bad(p, 'embedding_types must be ["float"]');
      return {
        status: 200,
        body: {
          id: 'x',
          embeddings: { float: want(b.texts) },
          texts: b.texts,
          meta: { billed_units: { input_tokens: b.texts.length * 2 } },
        },
      };
    }
    case 'voyage':
    case 'jina': {
      if (typeof b.model !== 'string' || !isStrings(b.input, max)) return bad(p, `input must hold 1..${max} strings`);
      const kinds = p === 'voyage' ? ['query', 'document'] : ['retrieval.query', 'retrieval.passage'];
      const kind = p === 'voyage' ? b.input_type : b.task;
      if (!kinds.includes(kind as string)) return bad(p, `invalid ${p === 'voyage' ? 'input_type' : 'task'}`);
      const data = want(b.input).map((embedding, index) => ({ object: 'embedding', index, embedding }));
      return { status: 200, body: { object: 'list', data, model: b.model, usage: { total_tokens: b.input.length * 4 } } };
    }
    case 'tei':
      if (!isStrings(b.inputs, max)) return bad(p, `batch size must be between 1 and ${max}`);
      return { status: 200, body: want(b.inputs) };
    case 'ollama':
      if (typeof b.model !== 'string' || !isStrings(b.input, max)) return bad(p, 'input must be a list of strings');
      return {
        status: 200,
        body: { model: b.model, embeddings: want(b.input), total_duration: 1, load_duration: 1, prompt_eval_count: b.input.length * 5 },
      };
  }
}

function rerankAnswer(p: FakeProvider, b: Record<string, unknown>, max: number, drop: number): Answer {
  const docs = p === 'tei' ? b.texts : b.documents;
  if (typeof b.query !== 'string' || !isStrings(docs, max))
    return bad(p, `${p === 'tei' ? 'texts' : 'documents'} must hold 1..${max} strings`);
  if (p !== 'tei' && typeof b.model !== 'string') return bad(p, 'model is required');
  const topKey = p === 'voyage' ? 'top_k' : 'top_n';
  const top = p === 'tei' ? docs.length : ((b[topKey] as number | undefined) ?? docs.length);
  const ranked = docs
    .map((d, index) => ({ index, s: fakeScore(b.query as string, d) }))
    .sort((x, y) => y.s - x.s || x.index - y.index)
    .slice(0, Math.max(0, Math.min(top, docs.length) - drop));
  switch (p) {
    case 'cohere':
      return {
        status: 200,
        body: {
          id: 'r',
          results: ranked.map((r) => ({ index: r.index, relevance_score: r.s })),
          meta: { billed_units: { search_units: 1 } },
        },
      };
    case 'jina':
      return {
        status: 200,
        body: {
          model: b.model,
          usage: { total_tokens: docs.length * 7 },
          results: ranked.map((r) => ({ index: r.index, relevance_score: r.s })),
        },
      };
    case 'voyage':
      return {
        status: 200,
        body: {
          object: 'list',
          data: ranked.map((r) => ({ index: r.index, relevance_score: r.s })),
          model: b.model,
          usage: { total_tokens: docs.length * 6 },
        },
      };
    default:
      return { status: 200, body: ranked.map((r) => ({ index: r.index, score: r.s })) };
  }
}

/** Start a fake of `provider` on a free loopback port. */
export async function startFake(provider: FakeProvider, options: FakeOptions = {}): Promise<FakeServer> {
  const dim = options.dim ?? 16;
  const max = options.maxBatch ?? 10_000;
  const received: Received[] = [];
  const faults: Fault[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.on('close', () => inFlight--);
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        return send(res, { status: 400, body: providerError(provider, 'body is not JSON') });
      }
      received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      if (options.key !== undefined && req.headers.authorization !== `Bearer ${options.key}`) {
        const got = req.headers.authorization ?? '(none)';
        // Real providers sometimes echo the key they got; the client must redact it.
        return send(res, { status: 401, body: providerError(provider, `invalid api token: ${got.replace(/^Bearer /, '')}`) });
      }
      const fault = faults.shift();
      if (fault && 'hang' in fault) return; // never answer; the client must time out
      if (fault && 'malformed' in fault) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"data": [ {"embedding": [0.1, ');
      }
      if (fault && 'status' in fault)
        return send(res, { status: fault.status, body: fault.body ?? providerError(provider, `injected ${fault.status}`) }, fault.headers);
      const drop = fault && 'dropResults' in fault ? fault.dropResults : 0;
      const routes = ROUTES[provider];
      if (req.method !== 'POST') return send(res, { status: 405, body: providerError(provider, 'method not allowed') });
      let answer: Answer;
      if (req.url === routes.embed) answer = embedAnswer(provider, body, dim, max, drop);
      else if (req.url === routes.rerank) answer = rerankAnswer(provider, body, options.maxRerank ?? 10_000, drop);
      else answer = { status: 404, body: providerError(provider, `no route ${req.url}`) };
      if (options.delayMs) setTimeout(() => send(res, answer), options.delayMs);
      else send(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    faults,
    get peakInFlight() {
      return peak;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, a: Answer, headers: Record<string, string> = {}): void {
  res.writeHead(a.status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(a.body));
}
