/** The JSON HTTP client under injected failures, against a loopback fake (OpenAI shape). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isShortlistError } from '../../src/core/errors.ts';
import {
  backoffMs,
  createHttpStats,
  createLimiter,
  diffHttpStats,
  extractProviderMessage,
  parseRetryAfter,
  postJson,
  RemoteHttpError,
  type PostJsonOptions,
} from '../../src/models/remote/http.ts';
import { apiKeyRefSchema, resolveApiKey } from '../../src/models/remote/secrets.ts';
import { providerError, startFake, type FakeServer } from './servers/fake-providers.ts';

const BODY = { model: 'm', input: ['hello world'], encoding_format: 'float' };
// Backoff small and deterministic so failures cost milliseconds.
const FAST: PostJsonOptions = { provider: 'openai', backoffBaseMs: 2, backoffMaxMs: 5, random: () => 0.5, timeoutMs: 2000 };

async function rejects(p: Promise<unknown>): Promise<RemoteHttpError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RemoteHttpError, `expected RemoteHttpError, got ${err}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('postJson', () => {
  let fake: FakeServer;
  let url: string;
  before(async () => {
    fake = await startFake('openai');
    url = `${fake.url}/v1/embeddings`;
  });
  after(() => fake.close());

  test('plain success parses JSON, counts the call and the tokens', async () => {
    const stats = createHttpStats();
    const res = await postJson<{ data: unknown[] }>(url, BODY, {
      ...FAST,
      stats,
      tokens: (b) => (b as { usage: { total_tokens: number } }).usage.total_tokens,
    });
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 1);
    assert.equal(res.body.data.length, 1);
    assert.deepEqual({ ...stats, latencyMs: 0 }, { calls: 1, retries: 0, failures: 0, tokens: 3, latencyMs: 0 });
    assert.ok(stats.latencyMs > 0);
  });

  test('429 with Retry-After waits that long, then succeeds', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '0.15' } });
    const stats = createHttpStats();
    const t0 = performance.now();
    const res = await postJson(url, BODY, { ...FAST, stats });
    const waited = performance.now() - t0;
    assert.equal(res.attempts, 2);
    assert.equal(stats.retries, 1);
    assert.ok(waited >= 140, `waited only ${waited.toFixed(0)} ms; Retry-After asked for 150`);
    assert.ok(waited < 1500, `waited ${waited.toFixed(0)} ms`);
  });

  test('Retry-After longer than maxRetryAfterMs is capped', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '120' } });
    const t0 = performance.now();
    const res = await postJson(url, BODY, { ...FAST, maxRetryAfterMs: 30 });
    assert.equal(res.attempts, 2);
    assert.ok(performance.now() - t0 < 1000);
  });

  test('500 then 503 then success: retried, nothing lost', async () => {
    fake.faults.push({ status: 500 }, { status: 503 });
    const n = fake.received.length;
    const res = await postJson<{ data: unknown[] }>(url, BODY, FAST);
    assert.equal(res.attempts, 3);
    assert.equal(fake.received.length - n, 3);
    assert.equal(res.body.data.length, 1);
  });

  test('retries exhausted → NETWORK_ERROR with the status and the provider message', async () => {
    fake.faults.push(
      { status: 503, body: providerError('openai', 'The engine is currently overloaded') },
      { status: 503 },
      { status: 503 },
    );
    const stats = createHttpStats();
    const err = await rejects(postJson(url, BODY, { ...FAST, retries: 2, stats }));
    assert.equal(err.code, 'NETWORK_ERROR');
    assert.equal(err.status, 503);
    assert.match(err.message, /openai: POST .* answered HTTP 503/);
    assert.match(err.message, /gave up after 3 attempts/);
    assert.deepEqual([stats.calls, stats.retries, stats.failures], [0, 2, 1]);
  });

  test('a server that never answers times out and is retried', async () => {
    fake.faults.push({ hang: true });
    const t0 = performance.now();
    const res = await postJson(url, BODY, { ...FAST, timeoutMs: 100 });
    assert.equal(res.attempts, 2);
    assert.ok(performance.now() - t0 >= 95);
  });

  test('timeouts on every attempt → NETWORK_ERROR saying it timed out', async () => {
    fake.faults.push({ hang: true }, { hang: true });
    const err = await rejects(postJson(url, BODY, { ...FAST, timeoutMs: 60, retries: 1 }));
    assert.equal(err.code, 'NETWORK_ERROR');
    assert.match(err.message, /timed out after 60 ms/);
    assert.equal(err.status, undefined);
  });

  test('a malformed body → PROVIDER_ERROR naming provider and URL, not retried', async () => {
    fake.faults.push({ malformed: true });
    const n = fake.received.length;
    const err = await rejects(postJson(url, BODY, FAST));
    assert.equal(err.code, 'PROVIDER_ERROR');
    assert.ok(err.message.includes('openai') && err.message.includes(url), err.message);
    assert.match(err.message, /not JSON/);
    assert.equal(fake.received.length - n, 1);
  });

  test("a 400 surfaces the provider's own message and is not retried", async () => {
    const n = fake.received.length;
    const err = await rejects(postJson(url, { model: 'm', input: 'not-an-array' }, FAST));
    assert.equal(err.code, 'PROVIDER_ERROR');
    assert.equal(err.status, 400);
    assert.equal(err.providerMessage, "'input' must be a non-empty array of at most 10000 strings");
    assert.ok(err.message.includes(err.providerMessage!));
    assert.equal(fake.received.length - n, 1);
  });

  test('the caller aborting is ABORTED at once, not retried', async () => {
    fake.faults.push({ hang: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const t0 = performance.now();
    const err = await rejects(postJson(url, BODY, { ...FAST, timeoutMs: 5000, signal: ac.signal }));
    assert.equal(err.code, 'ABORTED');
    assert.ok(performance.now() - t0 < 1000);
  });

  test('a refused connection is a network error, retried then NETWORK_ERROR', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const stats = createHttpStats();
    const err = await rejects(postJson(`http://127.0.0.1:${port}/x`, BODY, { ...FAST, retries: 1, stats }));
    assert.equal(err.code, 'NETWORK_ERROR');
    assert.match(err.message, /network error/);
    assert.equal(stats.retries, 1);
  });
});

describe('keys stay secret', () => {
  const KEY = 'sk-test-0123456789abcdef';
  let fake: FakeServer;
  before(async () => {
    fake = await startFake('openai', { key: KEY });
  });
  after(() => fake.close());

  test('the bearer header carries the key; a wrong key that the provider echoes is redacted', async () => {
    await postJson(`${fake.url}/v1/embeddings`, BODY, { ...FAST, headers: { authorization: `Bearer ${KEY}` }, redact: [KEY] });
    assert.equal(fake.received.at(-1)!.headers.authorization, `Bearer ${KEY}`);
    const wrong = 'sk-wrong-key-abcdef0123';
    const err = await rejects(
      postJson(`${fake.url}/v1/embeddings`, BODY, { ...FAST, headers: { authorization: `Bearer ${wrong}` }, redact: [wrong] }),
    );
    assert.equal(err.status, 401);
    assert.ok(!err.message.includes(wrong), err.message);
    assert.ok(!String(err.providerMessage).includes(wrong));
    assert.match(err.message, /invalid api token: \*\*\*/);
    assert.match(err.message, /check the API key/);
  });

  test('resolveApiKey reads the variable at call time and names it when unset', () => {
    assert.equal(resolveApiKey({ env: 'SL_TEST_KEY' }, 'cohere', { SL_TEST_KEY: ' abc ' }), 'abc');
    assert.equal(resolveApiKey(undefined, 'tei', {}), undefined);
    assert.throws(
      () => resolveApiKey({ env: 'SL_MISSING_KEY' }, 'cohere', {}),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /SL_MISSING_KEY/.test(e.message) && /cohere/.test(e.message),
    );
  });

  test('the schema accepts only { env } references', () => {
    assert.ok(apiKeyRefSchema.safeParse({ env: 'OPENAI_API_KEY' }).success);
    assert.ok(!apiKeyRefSchema.safeParse('sk-live-abc').success);
    assert.ok(!apiKeyRefSchema.safeParse({ env: 'X', value: 'sk-live-abc' }).success);
    assert.ok(!apiKeyRefSchema.safeParse({ env: 'sk live abc' }).success);
  });
});

describe('helpers', () => {
  test('parseRetryAfter: seconds, fractions, HTTP dates, Retry-After-Ms, garbage', () => {
    assert.equal(parseRetryAfter(null, '2'), 2000);
    assert.equal(parseRetryAfter(null, '0.25'), 250);
    assert.equal(parseRetryAfter('40', '9'), 40);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(null, 'Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter(null, 'Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter(null, 'soon'), undefined);
    assert.equal(parseRetryAfter(null, null), undefined);
  });

  test('backoffMs is full jitter under an exponential cap', () => {
    assert.equal(
      backoffMs(0, 100, 1000, () => 0.999),
      99,
    );
    assert.equal(
      backoffMs(3, 100, 1000, () => 0.5),
      400,
    );
    assert.equal(
      backoffMs(10, 100, 1000, () => 0.5),
      500,
    );
    assert.equal(
      backoffMs(5, 100, 1000, () => 0),
      0,
    );
  });

  test("extractProviderMessage reads every provider's error shape", () => {
    for (const p of ['openai', 'cohere', 'voyage', 'jina', 'tei', 'ollama'] as const) {
      assert.equal(extractProviderMessage(JSON.stringify(providerError(p, 'model not found'))), 'model not found', p);
    }
    assert.equal(
      extractProviderMessage(JSON.stringify({ detail: [{ msg: 'field required' }, { msg: 'too long' }] })),
      'field required; too long',
    );
    assert.equal(extractProviderMessage('upstream connect error'), 'upstream connect error');
    assert.equal(extractProviderMessage(''), undefined);
  });

  test('createLimiter never runs more than n at once and keeps every result', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 3));
          running--;
          return i * 10;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(results, [0, 10, 20, 30, 40, 50, 60]);
    assert.equal(limit.active + limit.pending, 0);
    await assert.rejects(
      limit(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(limit.active, 0);
    assert.throws(
      () => createLimiter(0),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
    );
  });

  test('diffHttpStats subtracts field by field', () => {
    const a = { calls: 5, retries: 2, failures: 1, tokens: 90, latencyMs: 50 };
    const b = { calls: 2, retries: 1, failures: 0, tokens: 40, latencyMs: 20 };
    assert.deepEqual(diffHttpStats(a, b), { calls: 3, retries: 1, failures: 1, tokens: 50, latencyMs: 30 });
  });
});
