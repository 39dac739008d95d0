/**
 * Bad input through every route: malformed JSON, wrong types, empty lists, an oversize body, too
 * many documents, too long a text, a missing collection, no or a wrong key, a timeout and a full
 * queue. Each gets the right status and a clear message in its route's dialect, and the server
 * keeps serving (/health is checked after each).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Collection } from '../../src/engine/collection.ts';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { createServer, type ShortlistServer } from '../../src/server/index.ts';
import { DOCS, EMBED_PRESET, post, RERANK_PRESET, startServer } from './support.ts';

type Dialect = 'cohere' | 'openai' | 'tei' | 'shortlist';

/** Assert `json` has `dialect`'s error shape (plus the request id every error carries) and return its message. */
function messageOf(dialect: Dialect, json: any): string {
  assert.match(json.request_id, /^[0-9a-f-]{36}$/, 'every error body carries its request id');
  switch (dialect) {
    case 'cohere':
      assert.deepEqual(Object.keys(json).sort(), ['message', 'request_id']);
      return json.message;
    case 'openai':
      assert.deepEqual(Object.keys(json.error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(typeof json.error.type, 'string');
      return json.error.message;
    case 'tei':
      assert.deepEqual(Object.keys(json).sort(), ['error', 'error_type', 'request_id']);
      assert.equal(typeof json.error_type, 'string');
      return json.error;
    default:
      assert.equal(typeof json.error.code, 'string');
      return json.error.message;
  }
}

interface RouteCase {
  method?: string;
  path: string;
  dialect: Dialect;
  valid: unknown;
  wrongType: unknown;
  empty: unknown;
  /** A body with `n` documents (or undefined when the route takes no list). */
  many?: (n: number) => unknown;
  long: (chars: number) => unknown;
}

const ROUTES: RouteCase[] = [
  ...(['/v1/rerank', '/v2/rerank'] as const).map((path) => ({
    path,
    dialect: 'cohere' as const,
    valid: { query: 'blood', documents: DOCS },
    wrongType: { query: 'blood', documents: 'one document' },
    empty: { query: 'blood', documents: [] },
    many: (n: number) => ({ query: 'q', documents: Array(n).fill('a') }),
    long: (n: number) => ({ query: 'q', documents: ['a'.repeat(n)] }),
  })),
  {
    path: '/rerank',
    dialect: 'tei',
    valid: { query: 'blood', texts: DOCS },
    wrongType: { query: 42, texts: DOCS },
    empty: { query: 'blood', texts: [] },
    many: (n) => ({ query: 'q', texts: Array(n).fill('a') }),
    long: (n) => ({ query: 'q', texts: ['a'.repeat(n)] }),
  },
  ...(['/v1/embeddings', '/embeddings'] as const).map((path) => ({
    path,
    dialect: 'openai' as const,
    valid: { input: DOCS },
    wrongType: { input: [1, 2, 3] },
    empty: { input: [] },
    many: (n: number) => ({ input: Array(n).fill('a') }),
    long: (n: number) => ({ input: 'a'.repeat(n) }),
  })),
  {
    path: '/embed',
    dialect: 'tei',
    valid: { inputs: DOCS },
    wrongType: { inputs: { text: 'x' } },
    empty: { inputs: [] },
    many: (n) => ({ inputs: Array(n).fill('a') }),
    long: (n) => ({ inputs: ['a'.repeat(n)] }),
  },
  {
    path: '/v1/search',
    dialect: 'shortlist',
    valid: { collection: 'docs', query: 'blood pressure' },
    wrongType: { collection: 'docs', query: 'x', k: 'ten' },
    empty: { collection: 'docs', query: '' },
    long: (n) => ({ collection: 'docs', query: 'a'.repeat(n) }),
  },
  {
    path: '/v1/collections/docs/documents',
    dialect: 'shortlist',
    valid: { documents: [{ id: 'new1', text: 'a new document about glucose' }] },
    wrongType: { documents: [{ id: 7, text: 'x' }] },
    empty: { documents: [] },
    many: (n) => ({ documents: Array.from({ length: n }, (_, i) => ({ id: `m${i}`, text: 'a' })) }),
    long: (n) => ({ documents: [{ id: 'l', text: 'a'.repeat(n) }] }),
  },
  {
    method: 'DELETE',
    path: '/v1/collections/docs/documents',
    dialect: 'shortlist',
    valid: { ids: ['new1'] },
    wrongType: { ids: 'new1' },
    empty: { ids: [] },
    long: () => ({ ids: ['x'] }),
  },
];

const LIMITS = { bodyBytes: 4096, documents: 5, characters: 500 };

describe('bad input through every route', () => {
  let root: string;
  let server: ShortlistServer;
  const health = async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200, 'the server must keep serving');
    assert.equal(((await res.json()) as any).status, 'ok');
  };
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-server-errors-'));
    const c = await Collection.create(join(root, 'docs'), 'bm25');
    await c.add(DOCS.map((text, i) => ({ id: `d${i}`, text })));
    await c.close();
    server = await startServer({ collections: root, limits: LIMITS });
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  for (const r of ROUTES) {
    const method = r.method ?? 'POST';
    it(`${method} ${r.path} (${r.dialect})`, async () => {
      const call = (body: unknown) => post(server.url + r.path, body, {}, method);
      const expect = async (body: unknown, status: number, pattern: RegExp, what: string) => {
        const res = await call(body);
        assert.equal(res.status, status, `${what}: ${res.text}`);
        assert.match(messageOf(r.dialect, res.json), pattern, what);
        await health();
      };
      const ok = await call(r.valid);
      assert.equal(ok.status, 200, ok.text);
      await expect('{"query": "blood", ', 400, /not valid JSON/, 'malformed JSON');
      const plain = await fetch(server.url + r.path, { method, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(r.valid) });
      assert.equal(plain.status, 415, 'a text/plain body is refused');
      assert.match(messageOf(r.dialect, await plain.json()), /must be JSON/);
      await expect('', 400, /body is empty/, 'empty body');
      await expect(r.wrongType, 422, /expected|Invalid/, 'wrong type');
      await expect(r.empty, 422, /at least one|non-empty/, 'empty list');
      await expect(
        JSON.stringify(r.valid).replace(/}$/, `, "pad": "${'x'.repeat(LIMITS.bodyBytes)}"}`),
        413,
        /more than the server's limit of 4096/,
        'oversize body',
      );
      if (r.many) await expect(r.many(LIMITS.documents + 1), 413, /6 items, more than the server's limit of 5/, 'too many documents');
      if (method === 'POST')
        await expect(r.long(LIMITS.characters + 1), 413, /501 characters, more than the server's limit of 500/, 'too long a text');
    });
  }

  it('a missing collection is a 404 naming neither the folder nor the other collections, on every collection route', async () => {
    const search = await post(`${server.url}/v1/search`, { collection: 'nope', query: 'x' });
    assert.equal(search.status, 404);
    assert.match(messageOf('shortlist', search.json), /no collection "nope" on this server/);
    assert.ok(!search.text.includes(root) && !/\bdocs\b/.test(search.text), search.text);
    await health();
    const info = await fetch(`${server.url}/v1/collections/nope`);
    assert.equal(info.status, 404);
    await health();
    const upsert = await post(`${server.url}/v1/collections/nope/documents`, { documents: [{ id: 'a', text: 'b' }] });
    assert.equal(upsert.status, 404);
    assert.match(messageOf('shortlist', upsert.json), /sending "pipeline"/);
    const del = await post(`${server.url}/v1/collections/nope/documents`, { ids: ['a'] }, {}, 'DELETE');
    assert.equal(del.status, 404);
    const bad = await post(`${server.url}/v1/search`, { collection: '../etc', query: 'x' });
    assert.equal(bad.status, 400);
    await health();
  });

  it('an unknown route is a 404 in the dialect of its path family', async () => {
    const res = await fetch(`${server.url}/v9/nothing`);
    assert.equal(res.status, 404);
    assert.match(messageOf('shortlist', await res.json()), /no route GET \/v9\/nothing/);
    await health();
  });
});

describe('auth, CORS, timeout and backpressure', () => {
  it('bearer keys: none or a wrong one is a 401 in each dialect, the right one passes, /health stays open, keys are never logged; CORS when asked', async () => {
    let log = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((log += chunk.toString()), done()) });
    const server = await createServer(
      {
        port: 0,
        threads: 1,
        rerankModel: await tinyModel('classifier'),
        embedModel: await tinyModel('encoder'),
        rerankPreset: RERANK_PRESET,
        embedPreset: EMBED_PRESET,
        apiKeys: ['secret-one', 'secret-two'],
        cors: 'https://app.example',
      },
      { logger: pino({ level: 'info' }, sink) },
    );
    try {
      const cases: [string, Dialect, unknown][] = [
        ['/v2/rerank', 'cohere', { query: 'q', documents: ['a'] }],
        ['/rerank', 'tei', { query: 'q', texts: ['a'] }],
        ['/v1/embeddings', 'openai', { input: 'a' }],
        ['/embed', 'tei', { inputs: 'a' }],
        ['/v1/search', 'shortlist', { collection: 'x', query: 'q' }],
      ];
      for (const [path, dialect, body] of cases) {
        const none = await post(server.url + path, body);
        assert.equal(none.status, 401, path);
        assert.match(messageOf(dialect, none.json), /missing API key/);
        const wrong = await post(server.url + path, body, { authorization: 'Bearer secret-three' });
        assert.equal(wrong.status, 401, path);
        assert.match(messageOf(dialect, wrong.json), /invalid API key/);
        assert.equal((await fetch(`${server.url}/health`)).status, 200);
      }
      const ok = await post(
        `${server.url}/rerank`,
        { query: 'q', texts: ['a'] },
        { authorization: 'Bearer secret-two', origin: 'https://app.example' },
      );
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200, 'the playground page needs no key');
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const doc = (await (await fetch(`${server.url}/openapi.json`, { headers: { authorization: 'Bearer secret-one' } })).json()) as any;
      assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
    } finally {
      await server.close();
    }
    assert.match(log, /"status":401/);
    assert.doesNotMatch(log, /secret-(one|two|three)/);
  });

  it('CORS is off by default: without keys a cross-site request is refused, a same-origin one passes', async () => {
    const server = await startServer();
    try {
      const res = await post(`${server.url}/embed`, { inputs: 'a' }, { origin: 'https://app.example' });
      assert.equal(res.status, 403);
      assert.match(messageOf('tei', res.json), /cross-site request from Origin "https:\/\/app.example" refused/);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const same = await post(`${server.url}/embed`, { inputs: 'a' }, { origin: server.url });
      assert.equal(same.status, 200, same.text);
    } finally {
      await server.close();
    }
  });

  it('a request past the timeout is a 504 in its dialect and its queued items never run', async () => {
    const server = await startServer({ limits: { timeoutMs: 150 }, batching: { maxWaitMs: 1500 } });
    try {
      const t0 = performance.now();
      const res = await post(`${server.url}/v2/rerank`, { query: 'q', documents: DOCS });
      assert.equal(res.status, 504);
      assert.match(messageOf('cohere', res.json), /longer than the server's limit of 150 ms/);
      assert.ok(performance.now() - t0 < 1200, 'answered at the timeout, not after the batch wait');
      assert.equal(server.models.rerank!.queue.depth, 0);
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.models.rerank!.queue.stats().items, 0, 'the cancelled items must not run');
    } finally {
      await server.close();
    }
  });

  it('a client that disconnects has its queued items dropped, and the server keeps serving', async () => {
    const server = await startServer({ batching: { maxWaitMs: 800 } });
    try {
      const abort = new AbortController();
      const gone = fetch(`${server.url}/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'q', texts: DOCS }),
        signal: abort.signal,
      });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.models.rerank!.queue.depth, DOCS.length);
      abort.abort();
      await assert.rejects(gone);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.models.rerank!.queue.depth, 0, 'the disconnected request left the queue');
      const next = await post(`${server.url}/rerank`, { query: 'q', texts: ['a'] });
      assert.equal(next.status, 200);
      assert.equal(server.models.rerank!.queue.stats().items, 1, 'only the second request ran');
    } finally {
      await server.close();
    }
  });

  it('a full queue answers 429 with Retry-After in the dialect; the queued request still completes', async () => {
    const server = await startServer({ batching: { maxWaitMs: 300, maxQueued: 3 } });
    try {
      const first = post(`${server.url}/rerank`, { query: 'q', texts: DOCS.slice(0, 3) });
      await new Promise((r) => setTimeout(r, 50));
      const second = await post(`${server.url}/rerank`, { query: 'q', texts: ['one more'] });
      assert.equal(second.status, 429, second.text);
      assert.equal(second.headers.get('retry-after'), '1');
      assert.equal(second.json.error_type, 'Overloaded');
      const cohere = await post(`${server.url}/v2/rerank`, { query: 'q', documents: ['one more'] });
      assert.equal(cohere.status, 429);
      assert.match(messageOf('cohere', cohere.json), /queue bound of 3/);
      assert.equal((await first).status, 200);
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
    } finally {
      await server.close();
    }
  });
});
