/**
 * The server's dialects on loopback with tiny generated models: the official `openai` client
 * (default base64) gets the vectors /v1/embeddings returns as floats; the `cohere-ai` client's
 * rerank works against /v2/rerank with only its base URL changed; TEI requests get TEI replies
 * with timing headers; every rerank dialect returns the scores the library computes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CohereClientV2 } from 'cohere-ai';
import OpenAI from 'openai';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import type { ShortlistServer } from '../../src/server/index.ts';
import { DOCS, EMBED_PRESET, post, RERANK_PRESET, startServer } from './support.ts';

const QUERY = 'which treatment lowered blood pressure';

describe('server dialects', () => {
  let server: ShortlistServer;
  let expected: number[];
  let logits: number[];
  let vectors: Float32Array[];
  before(async () => {
    server = await startServer();
    const ce = await CrossEncoder.create({ model: await tinyModel('classifier'), preset: RERANK_PRESET, threads: 1 });
    const scores = await ce.score(QUERY, DOCS);
    await ce.dispose();
    expected = scores.map((s) => s.score);
    logits = scores.map((s) => s.logit);
    const be = await BiEncoder.create({ model: await tinyModel('encoder'), preset: EMBED_PRESET as never, threads: 1 });
    vectors = await be.embed(DOCS, 'document');
    await be.dispose();
  });
  after(() => server.close());

  it('openai client (default base64) gets the same vectors as encoding_format float, and the library', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const viaClient = await client.embeddings.create({ model: 'any', input: DOCS });
    const float = await post(`${server.url}/v1/embeddings`, { model: 'any', input: DOCS, encoding_format: 'float' });
    assert.equal(float.status, 200);
    assert.equal(float.json.object, 'list');
    assert.equal(viaClient.data.length, DOCS.length);
    viaClient.data.forEach((d, i) => {
      assert.equal(d.index, i);
      assert.equal(d.embedding.length, vectors[i].length);
      assert.ok(
        d.embedding.some((x) => x !== 0),
        'the client must not get zero vectors',
      );
      assert.deepEqual(d.embedding, float.json.data[i].embedding);
      d.embedding.forEach((x, j) => assert.ok(Math.abs(x - vectors[i][j]) < 1e-6));
    });
    const raw = await post(`${server.url}/embeddings`, { input: DOCS[0], encoding_format: 'base64' });
    assert.equal(typeof raw.json.data[0].embedding, 'string');
    const bytes = Buffer.from(raw.json.data[0].embedding, 'base64');
    assert.equal(bytes.length, vectors[0].length * 4);
    assert.equal(bytes.readFloatLE(0), vectors[0][0]);
  });

  it('openai dimensions truncates and renormalises; larger than the model is a 400 in the OpenAI shape', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const out = await client.embeddings.create({ model: 'any', input: 'glucose medium', dimensions: 8 });
    const v = out.data[0].embedding;
    assert.equal(v.length, 8);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
    const full = vectors[0].length;
    const tooBig = await post(`${server.url}/v1/embeddings`, { input: 'x', dimensions: full + 1 });
    assert.equal(tooBig.status, 400);
    assert.equal(tooBig.json.error.param, 'dimensions');
    assert.match(tooBig.json.error.message, new RegExp(`larger than the model's ${full}`));
    await assert.rejects(client.embeddings.create({ model: 'any', input: 'x', dimensions: full + 1 }), (e: any) => e.status === 400);
  });

  it('cohere-ai client rerank against /v2/rerank with only the base URL changed', async () => {
    const cohere = new CohereClientV2({ token: 'unused', baseUrl: server.url, maxRetries: 0 } as never);
    const res = await cohere.rerank({ model: 'rerank-v3.5', query: QUERY, documents: DOCS, topN: 3 });
    assert.equal(res.results.length, 3);
    const order = expected
      .map((s, i) => [s, i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .map(([, i]) => i);
    assert.deepEqual(
      res.results.map((r) => r.index),
      order.slice(0, 3),
    );
    for (const r of res.results) assert.ok(Math.abs(r.relevanceScore - expected[r.index]) < 1e-6);
  });

  it('/v1/rerank: Jina top_k, {text} documents, return_documents', async () => {
    const res = await post(`${server.url}/v1/rerank`, {
      query: QUERY,
      documents: DOCS.map((text) => ({ text })),
      top_k: 2,
      return_documents: true,
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.results.length, 2);
    for (const r of res.json.results) assert.equal(r.document.text, DOCS[r.index]);
    assert.ok(res.json.results[0].relevance_score >= res.json.results[1].relevance_score);
    assert.equal(typeof res.json.id, 'string');
  });

  it('max_tokens_per_doc cuts documents before scoring; return_documents gives them whole', async () => {
    const long = 'glucose medium cells '.repeat(30) + 'blood pressure';
    const cut = await server.models.rerank!.truncate(long, 4);
    assert.ok(cut.length > 0 && cut.length < 40 && long.startsWith(cut), cut);
    const withMax = await post(`${server.url}/v2/rerank`, {
      query: QUERY,
      documents: [long],
      max_tokens_per_doc: 4,
      return_documents: true,
    });
    assert.equal(withMax.status, 200, withMax.text);
    assert.equal(withMax.json.results[0].document.text, long);
    const ofCut = await post(`${server.url}/v2/rerank`, { query: QUERY, documents: [cut] });
    const whole = await post(`${server.url}/v2/rerank`, { query: QUERY, documents: [long] });
    assert.equal(withMax.json.results[0].relevance_score, ofCut.json.results[0].relevance_score);
    assert.notEqual(withMax.json.results[0].relevance_score, whole.json.results[0].relevance_score);
  });

  it('TEI /rerank: bare array of {index, score, text}, raw_scores gives logits, timing headers', async () => {
    const res = await post(`${server.url}/rerank`, { query: QUERY, texts: DOCS, return_text: true });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json));
    assert.equal(res.json.length, DOCS.length);
    for (let i = 1; i < res.json.length; i++) assert.ok(res.json[i - 1].score >= res.json[i].score);
    for (const r of res.json) {
      assert.ok(Math.abs(r.score - expected[r.index]) < 1e-6);
      assert.equal(r.text, DOCS[r.index]);
    }
    for (const h of ['x-queue-time', 'x-inference-time', 'x-total-time']) assert.match(res.headers.get(h) ?? '', /^\d+$/, h);
    const raw = await post(`${server.url}/rerank`, { query: QUERY, texts: DOCS, raw_scores: true });
    for (const r of raw.json) {
      assert.ok(Math.abs(r.score - logits[r.index]) < 1e-5);
      assert.equal(r.text, undefined);
    }
  });

  it('TEI /embed: bare number[][] equal to the library vectors', async () => {
    const res = await post(`${server.url}/embed`, { inputs: DOCS });
    assert.equal(res.status, 200);
    assert.equal(res.json.length, DOCS.length);
    res.json.forEach((v: number[], i: number) => v.forEach((x, j) => assert.ok(Math.abs(x - vectors[i][j]) < 1e-6)));
    const one = await post(`${server.url}/embed`, { inputs: DOCS[1] });
    assert.equal(one.json.length, 1);
    assert.match(one.headers.get('x-inference-time') ?? '', /^\d+$/);
  });

  it('concurrent requests share batches and each gets its own results', async () => {
    const before = server.models.rerank!.queue.stats();
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(`${server.url}/rerank`, { query: QUERY, texts: DOCS.slice(0, 1 + (i % 4)) })),
    );
    runs.forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal(r.json.length, 1 + (i % 4));
      for (const x of r.json) assert.ok(Math.abs(x.score - expected[x.index]) < 1e-6);
    });
    const stats = server.models.rerank!.queue.stats();
    assert.equal(stats.items - before.items, 1 + 2 + 3 + 4 + 1 + 2);
    assert.ok(stats.batches - before.batches < 6, `6 concurrent requests ran in ${stats.batches - before.batches} batches`);
  });

  it('/metrics counts requests by route and status, stage latencies, batch sizes and queue depth; /openapi.json documents the routes', async () => {
    await post(`${server.url}/rerank`, { query: QUERY, texts: DOCS });
    await post(`${server.url}/rerank`, { query: QUERY, texts: [] });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const count = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    assert.ok(count(/^shortlist_http_requests_total\{route="\/rerank",method="POST",status="200"\} (\d+)$/m) >= 2);
    assert.equal(count(/^shortlist_http_requests_total\{route="\/rerank",method="POST",status="422"\} (\d+)$/m), 1);
    assert.ok(count(/^shortlist_http_request_duration_seconds_count\{route="\/rerank"\} (\d+)$/m) >= 3);
    assert.ok(count(/^shortlist_stage_duration_seconds_count\{stage="rerank.inference"\} (\d+)$/m) >= 2);
    assert.ok(count(/^shortlist_batch_size_count\{queue="rerank"\} (\d+)$/m) >= 2);
    assert.equal(count(/^shortlist_queue_depth\{queue="rerank"\} (\d+)$/m), 0);
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.paths['/v2/rerank'].post.requestBody.content['application/json'].schema.required.sort(), ['documents', 'query']);
    assert.ok(
      doc.paths['/v1/embeddings'].post.requestBody.content['application/json'].schema.properties.encoding_format.enum.includes('base64'),
    );
    assert.ok(doc.paths['/v1/collections/{name}/documents'].delete);
  });
});
