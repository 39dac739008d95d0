/** Provider adapters against loopback fakes: exact request shapes, batching, reassembly, short answers, errors, secrets. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import {
  createHttpStats,
  createRemoteEmbedder,
  createRemoteReranker,
  diffHttpStats,
  decodeBase64Float32,
  EMBED_PROVIDER_IDS,
  EMBED_PROVIDERS,
  REMOTE_PROVIDERS,
  RemoteEmbedderSchema,
  RemoteRerankerSchema,
  RERANK_PROVIDER_IDS,
  RERANK_PROVIDERS,
} from '../../src/models/remote/index.ts';
import { fakeVector, startFake, type FakeProvider, type FakeServer } from './servers/fake-providers.ts';

const KEY = 'sk-providers-test-0123456789';
process.env.SHORTLIST_TEST_KEY = KEY;
const apiKey = { env: 'SHORTLIST_TEST_KEY' };
const FAST = { retries: 1, backoffBaseMs: 1, timeoutMs: 2000 };

const fakes = new Map<FakeProvider, FakeServer>();
before(async () => {
  for (const p of ['openai', 'cohere', 'voyage', 'jina', 'tei', 'ollama'] as const) {
    fakes.set(
      p,
      await startFake(p, {
        key: KEY,
        dim: 12,
        maxBatch: p === 'cohere' ? 96 : p === 'tei' ? 32 : undefined,
        maxRerank: p === 'tei' ? 32 : 1000,
      }),
    );
  }
});
after(() => Promise.all([...fakes.values()].map((f) => f.close())));

const fake = (p: FakeProvider) => fakes.get(p)!;
const last = (p: FakeProvider) => fake(p).received.at(-1)!;

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
}

function assertClose(a: Float32Array, b: Float32Array, tol = 1e-6): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol, `component ${i}: ${x} vs ${b[i]}`));
}

describe('embedding request shapes', () => {
  test('openai: /v1/embeddings, bearer key, base64 by default, decoded to the same floats', async () => {
    const b64 = createRemoteEmbedder({ provider: 'openai', model: 'text-embedding-3-small', baseUrl: fake('openai').url, apiKey, ...FAST });
    const [v] = await b64.embed(['hello world'], 'query');
    const req = last('openai');
    assert.equal(req.path, '/v1/embeddings');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(req.body, { model: 'text-embedding-3-small', input: ['hello world'], encoding_format: 'base64' });
    const flt = createRemoteEmbedder({ provider: 'openai', model: 'm', baseUrl: fake('openai').url, apiKey, encodingFormat: 'float' });
    const [w] = await flt.embed(['hello world'], 'query');
    assert.equal(last('openai').body.encoding_format, 'float');
    assertClose(v, w);
    assertClose(v, unit(fakeVector('hello world', 12)));
    assert.equal(b64.stats.tokens, 3);
  });

  test('openai: dims goes out as `dimensions`', async () => {
    const e = createRemoteEmbedder({ provider: 'openai', model: 'm', baseUrl: fake('openai').url, apiKey });
    const [v] = await e.embed(['a b c'], 'document', { dims: 6 });
    assert.equal(last('openai').body.dimensions, 6);
    assert.equal(v.length, 6);
  });

  test('cohere: /v2/embed with input_type and embedding_types', async () => {
    const e = createRemoteEmbedder({ provider: 'cohere', model: 'embed-v4.0', baseUrl: fake('cohere').url, apiKey });
    await e.embed(['q'], 'query');
    assert.deepEqual(last('cohere').body, { model: 'embed-v4.0', texts: ['q'], input_type: 'search_query', embedding_types: ['float'] });
    await e.embed(['d'], 'document', { dims: 4 });
    assert.equal(last('cohere').body.input_type, 'search_document');
    assert.equal(last('cohere').body.output_dimension, 4);
    assert.equal(e.stats.tokens, 4);
  });

  test('voyage and jina: input_type / task', async () => {
    const v = createRemoteEmbedder({ provider: 'voyage', model: 'voyage-3.5', baseUrl: fake('voyage').url, apiKey });
    await v.embed(['x'], 'query');
    assert.deepEqual(last('voyage').body, { model: 'voyage-3.5', input: ['x'], input_type: 'query' });
    const j = createRemoteEmbedder({ provider: 'jina', model: 'jina-embeddings-v3', baseUrl: fake('jina').url, apiKey });
    await j.embed(['x'], 'document');
    assert.deepEqual(last('jina').body, { model: 'jina-embeddings-v3', input: ['x'], task: 'retrieval.passage' });
    assert.equal(last('jina').path, '/v1/embeddings');
  });

  test('tei and ollama: bare shapes, no key unless one is named, prefixes applied', async () => {
    const t = createRemoteEmbedder({ provider: 'tei', model: 'bge', baseUrl: fake('tei').url, apiKey, queryPrefix: 'query: ' });
    const [v] = await t.embed(['cats'], 'query');
    assert.deepEqual(last('tei').body, { inputs: ['query: cats'], normalize: true, truncate: true });
    assertClose(v, unit(fakeVector('query: cats', 12)));
    const o = createRemoteEmbedder({
      provider: 'ollama',
      model: 'nomic-embed-text',
      baseUrl: fake('ollama').url,
      apiKey,
      documentPrefix: 'search_document: ',
    });
    await o.embed(['cats'], 'document');
    assert.equal(last('ollama').path, '/api/embed');
    assert.deepEqual(last('ollama').body, { model: 'nomic-embed-text', input: ['search_document: cats'], truncate: true });
    assert.equal(o.stats.tokens, 5);
  });

  test('decodeBase64Float32 reads little-endian float32 and rejects ragged bytes', () => {
    const buf = Buffer.alloc(8);
    buf.writeFloatLE(1.5, 0);
    buf.writeFloatLE(-0.25, 4);
    assert.deepEqual([...decodeBase64Float32(buf.toString('base64'))], [1.5, -0.25]);
    assert.throws(
      () => decodeBase64Float32(Buffer.alloc(6).toString('base64'), 'openai'),
      (e) => isShortlistError(e, 'PROVIDER_ERROR'),
    );
  });
});

describe('embedding batching, order, short answers and errors', () => {
  test('cohere: 200 texts go out in batches of the documented 96, reassembled in input order', async () => {
    const e = createRemoteEmbedder({ provider: 'cohere', model: 'm', baseUrl: fake('cohere').url, apiKey, batchSize: 500, concurrency: 2 });
    const texts = Array.from({ length: 200 }, (_, i) => `text number ${i} word${i % 13}`);
    const n = fake('cohere').received.length;
    const out = await e.embed(texts, 'document');
    const sizes = fake('cohere')
      .received.slice(n)
      .map((r) => (r.body.texts as string[]).length)
      .sort((a, b) => b - a);
    assert.deepEqual(sizes, [96, 96, 8]);
    assert.equal(e.stats.calls, 3);
    [0, 95, 96, 150, 199].forEach((i) => assertClose(out[i], unit(fakeVector(texts[i], 12))));
  });

  test('openai answers out of order (by index): vectors land at their index', async () => {
    const e = createRemoteEmbedder({ provider: 'openai', model: 'm', baseUrl: fake('openai').url, apiKey, encodingFormat: 'float' });
    const texts = ['alpha', 'beta gamma', 'delta'];
    const out = await e.embed(texts, 'query');
    texts.forEach((t, i) => assertClose(out[i], unit(fakeVector(t, 12))));
  });

  for (const p of ['openai', 'cohere', 'tei'] as const) {
    test(`${p}: fewer embeddings than inputs → PROVIDER_ERROR naming the provider`, async () => {
      const e = createRemoteEmbedder({ provider: p, model: 'm', baseUrl: fake(p).url, apiKey, ...FAST });
      fake(p).faults.push({ dropResults: 1 });
      await assert.rejects(
        e.embed(['a', 'b', 'c'], 'document'),
        (err) =>
          isShortlistError(err, 'PROVIDER_ERROR') && err.message.startsWith(`${p}:`) && /2 embeddings for 3 inputs/.test(err.message),
      );
    });
  }

  test('concurrency bounds requests in flight; the first failure stops the queued siblings', async () => {
    const f = await startFake('tei', { delayMs: 15 });
    try {
      const e = createRemoteEmbedder({ provider: 'tei', model: 'm', baseUrl: f.url, batchSize: 1, concurrency: 2 });
      const out = await e.embed(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'document');
      assert.equal(out.length, 7);
      assert.equal(f.received.length, 7);
      assert.equal(f.peakInFlight, 2);
      const one = createRemoteEmbedder({ provider: 'tei', model: 'm', baseUrl: f.url, batchSize: 1, concurrency: 1, retries: 0 });
      f.faults.push({ status: 413, body: { error: 'payload too large', error_type: 'Validation' } });
      const n = f.received.length;
      await assert.rejects(
        one.embed(['a', 'b', 'c', 'd', 'e'], 'document'),
        (err) => isShortlistError(err, 'PROVIDER_ERROR') && /413: payload too large/.test(err.message),
      );
      assert.equal(f.received.length - n, 1, 'queued requests were still sent after the first failure');
      assert.deepEqual([one.stats.calls, one.stats.failures], [0, 1]);
    } finally {
      await f.close();
    }
  });

  test('503 then success through an adapter: retried, counted', async () => {
    const e = createRemoteEmbedder({ provider: 'jina', model: 'm', baseUrl: fake('jina').url, apiKey, ...FAST });
    fake('jina').faults.push({ status: 503, headers: { 'retry-after': '0' } });
    const out = await e.embed(['x y'], 'query');
    assert.equal(out.length, 1);
    assert.deepEqual([e.stats.calls, e.stats.retries, e.stats.failures], [1, 1, 0]);
  });

  test('a 400 from the provider surfaces its message and is not retried', async () => {
    const f = await startFake('voyage', { key: KEY, maxBatch: 3 });
    try {
      const e = createRemoteEmbedder({ provider: 'voyage', model: 'm', baseUrl: f.url, apiKey, ...FAST });
      await assert.rejects(
        e.embed(['a', 'b', 'c', 'd'], 'query'),
        (err) => isShortlistError(err, 'PROVIDER_ERROR') && /HTTP 400: input must hold 1\.\.3 strings/.test(err.message),
      );
      assert.equal(f.received.length, 1);
      assert.equal(e.stats.failures, 1);
    } finally {
      await f.close();
    }
  });

  test('a missing environment variable fails before any request, naming it', async () => {
    const e = createRemoteEmbedder({
      provider: 'openai',
      model: 'm',
      baseUrl: fake('openai').url,
      apiKey: { env: 'SHORTLIST_NOT_SET_ANYWHERE' },
    });
    const n = fake('openai').received.length;
    await assert.rejects(
      e.embed(['a'], 'query'),
      (err) => isShortlistError(err, 'INVALID_ARGUMENT') && /SHORTLIST_NOT_SET_ANYWHERE/.test(err.message),
    );
    assert.equal(fake('openai').received.length, n);
  });

  test('a wrong key: 401 with the key redacted from every message; the right key never leaks into JSON', async () => {
    process.env.SHORTLIST_WRONG_KEY = 'sk-wrong-9876543210zyx';
    const e = createRemoteEmbedder({
      provider: 'cohere',
      model: 'm',
      baseUrl: fake('cohere').url,
      apiKey: { env: 'SHORTLIST_WRONG_KEY' },
      ...FAST,
    });
    await assert.rejects(e.embed(['a'], 'query'), (err) => {
      assert.ok(isShortlistError(err, 'PROVIDER_ERROR'));
      assert.ok(!err.message.includes('sk-wrong-9876543210zyx'), err.message);
      assert.match(err.message, /HTTP 401/);
      return true;
    });
    const good = createRemoteEmbedder({ provider: 'cohere', model: 'm', baseUrl: fake('cohere').url, apiKey });
    await good.embed(['a'], 'query');
    const json = JSON.stringify({ stage: good });
    assert.ok(!json.includes(KEY));
    assert.deepEqual(JSON.parse(json).stage.apiKey, { env: 'SHORTLIST_TEST_KEY' });
    // Even a reference object smuggling a value is written back as the bare reference.
    const smuggled = createRemoteReranker({ provider: 'tei', model: 'm', apiKey: { env: 'X', value: KEY } as { env: string } });
    assert.deepEqual(JSON.parse(JSON.stringify(smuggled)), { provider: 'tei', model: 'm', apiKey: { env: 'X' } });
  });
});

describe('rerank providers', () => {
  const CANDS = [
    { id: 'z-solar', text: 'solar panels on the roof' },
    { id: 'y-wind', text: 'wind turbines and solar farms' },
    { id: 'x-none', text: 'the recipe needs flour' },
    { id: 'w-panels', text: 'panels' },
    { id: 'b-miss', text: 'unrelated words here' },
    { id: 'a-miss', text: 'nothing at all relevant' },
  ];

  test('request shapes: cohere top_n, jina top_n, voyage top_k, tei texts', async () => {
    const expect: Record<string, Record<string, unknown>> = {
      cohere: { model: 'rerank-v3.5', query: 'solar panels', documents: CANDS.map((c) => c.text), top_n: 6 },
      jina: { model: 'rerank-v3.5', query: 'solar panels', documents: CANDS.map((c) => c.text), top_n: 6, return_documents: false },
      voyage: { model: 'rerank-v3.5', query: 'solar panels', documents: CANDS.map((c) => c.text), top_k: 6, return_documents: false },
      tei: { query: 'solar panels', texts: CANDS.map((c) => c.text), raw_scores: false, return_text: false, truncate: true },
    };
    for (const p of ['cohere', 'jina', 'voyage', 'tei'] as const) {
      const r = createRemoteReranker({ provider: p, model: 'rerank-v3.5', baseUrl: fake(p).url, apiKey });
      const hits = await r.rerank('solar panels', CANDS, 2);
      assert.deepEqual(last(p).body, expect[p], p);
      assert.equal(last(p).path, RERANK_PROVIDERS[p].path);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['z-solar', 'w-panels'],
        p,
      ); // 0.5 ties break by id
      assert.equal(hits[0].score, 1);
    }
  });

  test('cohere: 2500 candidates in requests of at most 1000, one ranking over all', async () => {
    const r = createRemoteReranker({ provider: 'cohere', model: 'm', baseUrl: fake('cohere').url, apiKey, concurrency: 3 });
    const cands = Array.from({ length: 2500 }, (_, i) => ({
      id: `c${String(i).padStart(4, '0')}`,
      text: i === 1777 ? 'solar panels' : i % 2 ? 'solar' : 'filler',
    }));
    const n = fake('cohere').received.length;
    const hits = await r.rerank('solar panels', cands, 2500);
    const sizes = fake('cohere')
      .received.slice(n)
      .map((q) => (q.body.documents as string[]).length)
      .sort((a, b) => b - a);
    assert.deepEqual(sizes, [1000, 1000, 500]);
    assert.equal(hits.length, 2500);
    assert.equal(hits[0].id, 'c1777');
    assert.equal(new Set(hits.map((h) => h.id)).size, 2500);
  });

  test("a short answer: missing candidates follow the scored ones in their prior order (onMissing 'append')", async () => {
    for (const p of ['voyage', 'tei'] as const) {
      const r = createRemoteReranker({ provider: p, model: 'm', baseUrl: fake(p).url, apiKey });
      fake(p).faults.push({ dropResults: 2 });
      const hits = await r.rerank('solar panels', CANDS, 10);
      assert.equal(hits.length, 6, p);
      assert.deepEqual(
        hits.slice(-2).map((h) => h.id),
        ['b-miss', 'a-miss'],
        p,
      );
      assert.ok(hits[3].score > hits[4].score && hits[4].score > hits[5].score);
      assert.equal(r.missing, 2);
    }
  });

  test("a short answer with onMissing 'error' fails naming the provider and the count", async () => {
    const r = createRemoteReranker({ provider: 'jina', model: 'm', baseUrl: fake('jina').url, apiKey, onMissing: 'error' });
    fake('jina').faults.push({ dropResults: 1 });
    await assert.rejects(
      r.rerank('solar', CANDS, 3),
      (e) => isShortlistError(e, 'PROVIDER_ERROR') && /^jina: .* scored 5 of 6 candidates; 1 are missing/.test(e.message),
    );
  });

  test('an index out of range, a repeated index or a malformed body → PROVIDER_ERROR', async () => {
    const r = createRemoteReranker({ provider: 'cohere', model: 'm', baseUrl: fake('cohere').url, apiKey, ...FAST });
    fake('cohere').faults.push({ status: 200, body: { results: [{ index: 9, relevance_score: 1 }] } });
    await assert.rejects(
      r.rerank('q', CANDS, 3),
      (e) => isShortlistError(e, 'PROVIDER_ERROR') && /index 9 is out of range/.test(e.message),
    );
    fake('cohere').faults.push({
      status: 200,
      body: {
        results: [
          { index: 0, relevance_score: 1 },
          { index: 0, relevance_score: 0.5 },
        ],
      },
    });
    await assert.rejects(r.rerank('q', CANDS, 3), (e) => isShortlistError(e, 'PROVIDER_ERROR') && /repeated/.test(e.message));
    fake('cohere').faults.push({ malformed: true });
    await assert.rejects(
      r.rerank('q', CANDS, 3),
      (e) => isShortlistError(e, 'PROVIDER_ERROR') && /cohere: POST .*\/v2\/rerank .*not JSON/.test(e.message),
    );
  });

  test('429 with Retry-After then success: the ranking is complete', async () => {
    const r = createRemoteReranker({ provider: 'voyage', model: 'm', baseUrl: fake('voyage').url, apiKey, ...FAST });
    fake('voyage').faults.push({ status: 429, headers: { 'retry-after': '0.05' } });
    const hits = await r.rerank('solar panels', CANDS, 6);
    assert.equal(hits.length, 6);
    assert.equal(r.stats.retries, 1);
    assert.ok(r.stats.tokens > 0);
  });

  test("per-call stats (for one query's trace) count only that call, on top of the totals", async () => {
    const r = createRemoteReranker({ provider: 'jina', model: 'm', baseUrl: fake('jina').url, apiKey, batchSize: 4, ...FAST });
    await r.rerank('solar', CANDS, 3);
    const before = { ...r.stats };
    const call = createHttpStats();
    fake('jina').faults.push({ status: 500 });
    await r.rerank('solar panels', CANDS, 3, { stats: call });
    assert.deepEqual([call.calls, call.retries, call.failures, call.tokens], [2, 1, 0, 6 * 7]);
    assert.ok(call.latencyMs > 0);
    assert.deepEqual({ ...diffHttpStats(r.stats, before), latencyMs: 0 }, { ...call, latencyMs: 0 });
    const e = createRemoteEmbedder({ provider: 'ollama', model: 'm', baseUrl: fake('ollama').url, apiKey });
    const sink = createHttpStats();
    await e.embed(['a', 'b'], 'document', { stats: sink });
    assert.deepEqual([sink.calls, sink.tokens], [1, 10]);
  });
});

describe('registry and config', () => {
  test('the table agrees with the adapters; unknown providers list the valid ones', () => {
    assert.ok(Object.isFrozen(REMOTE_PROVIDERS));
    for (const [id, roles] of Object.entries(REMOTE_PROVIDERS)) {
      assert.equal(roles.embed, id in EMBED_PROVIDERS, id);
      assert.equal(roles.rerank, id in RERANK_PROVIDERS, id);
    }
    // The schemas' provider lists (src/models/remote/schemas.ts, loaded without the adapters) are the adapters' tables.
    assert.deepEqual(EMBED_PROVIDER_IDS, Object.keys(EMBED_PROVIDERS));
    assert.deepEqual(RERANK_PROVIDER_IDS, Object.keys(RERANK_PROVIDERS));
    assert.throws(
      () => createRemoteEmbedder({ provider: 'acme', model: 'm' }),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /openai, cohere, voyage, jina, tei, ollama/.test(e.message),
    );
    assert.throws(
      () => createRemoteReranker({ provider: 'openai', model: 'm' }),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /cohere, jina, voyage, tei/.test(e.message),
    );
    assert.throws(
      () => createRemoteReranker({ provider: 'cohere', model: '' }),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
    );
    assert.throws(
      () => createRemoteEmbedder({ provider: 'tei', model: 'm', baseUrl: 'http://user:pw@host' }),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /credentials/.test(e.message),
    );
  });

  test('schemas take secrets only by env reference', () => {
    const ok = RemoteEmbedderSchema.safeParse({
      provider: 'openai',
      model: 'text-embedding-3-small',
      apiKey: { env: 'OPENAI_API_KEY' },
      batchSize: 512,
    });
    assert.ok(ok.success);
    assert.ok(!RemoteEmbedderSchema.safeParse({ provider: 'openai', model: 'm', apiKey: 'sk-live' }).success);
    assert.ok(!RemoteEmbedderSchema.safeParse({ provider: 'openai', model: 'm', key: 'sk-live' }).success);
    assert.ok(!RemoteRerankerSchema.safeParse({ provider: 'ollama', model: 'm' }).success);
    assert.ok(
      RemoteRerankerSchema.safeParse({ provider: 'tei', model: 'bge-reranker', baseUrl: 'http://127.0.0.1:8080', onMissing: 'error' })
        .success,
    );
  });
});
