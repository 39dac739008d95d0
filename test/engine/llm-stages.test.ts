/**
 * LLM and hosted stages in the pipeline JSON: BM25 → cross-encoder (tiny generated model) →
 * listwise (loopback chat server) through `Collection.search`, `evaluatePipeline` and the CLI,
 * with the LLM stage's calls, tokens and latency in the result; a hosted (Cohere-shaped loopback)
 * rerank stage with a retried 503; a dense retriever over a hosted (OpenAI-shaped loopback)
 * embedder; literal API keys refused.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import { resolvePipeline, type PipelineInput } from '../../src/pipeline/config.ts';
import { statsLines } from '../../src/pipeline/explain.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';
import { idealAnswer, readPrompt, startFakeChatServer, type FakeChatServer } from '../rerank/fake-chat-server.ts';
import { startFake } from '../remote/servers/fake-providers.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-llm-stages-'));
const beir = join(root, 'beir');
const data = writeCollection(beir, { docs: 120, queries: 8, seed: 7 });
const queryId = new Map(data.queries.map((q) => [q.text, q._id]));
const grades = new Map<string, Map<string, number>>();
for (const [qid, doc, g] of data.qrels) grades.set(qid, (grades.get(qid) ?? new Map()).set(doc, g));

let llm: FakeChatServer;
let ce: string;
before(async () => {
  ce = await tinyModel('classifier');
  // The ideal "LLM": reads the query and passages back out of the prompt and ranks by the qrels.
  llm = await startFakeChatServer((req) => {
    const { query, passages } = readPrompt(req.messages);
    const judged = grades.get(queryId.get(query) ?? '') ?? new Map<string, number>();
    return { content: idealAnswer(passages, (p) => judged.get(`d${/Title: Document (\d+) /.exec(p)?.[1]}`) ?? 0) };
  });
});
after(async () => {
  await llm?.close();
  rmSync(root, { recursive: true, force: true });
});

/** BM25 30 → cross-encoder keeps 20 → listwise (window 10, step 5) keeps 10. */
function cascade(): PipelineInput {
  return {
    retrievers: [{ type: 'bm25' }],
    depth: 30,
    rerank: [
      { type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 20, threads: 1 },
      {
        type: 'llm-listwise',
        baseUrl: llm.baseUrl,
        model: 'fake-ranker',
        windowSize: 10,
        step: 5,
        keep: 10,
        pricing: { promptPerMillion: 1, completionPerMillion: 4 },
      },
    ],
    k: 10,
  };
}

test('a pipeline JSON with a literal API key is refused, naming the field and never echoing the key', () => {
  const input = { rerank: [{ type: 'llm-listwise', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: 'sk-secret-123' }] };
  assert.throws(
    () => resolvePipeline(input),
    (err: Error) => {
      assert.match(err.message, /pipeline\.rerank\[0\]\.apiKey is a literal key/);
      assert.match(err.message, /"env": "OPENAI_API_KEY"/);
      assert.doesNotMatch(err.message, /sk-secret-123/);
      return true;
    },
  );
  const remote = { rerank: [{ type: 'remote', provider: 'cohere', model: 'rerank-v3.5', apiKey: 'co-secret' }] };
  assert.throws(() => resolvePipeline(remote), /pipeline\.rerank\[0\]\.apiKey is a literal key/);
  // by reference it is accepted; unknown fields and providers are not
  const p = resolvePipeline({
    rerank: [{ type: 'remote', provider: 'cohere', model: 'rerank-v3.5', apiKey: { env: 'COHERE_API_KEY' }, keep: 5 }],
  });
  assert.equal(p.rerank[0].name, 'remote');
  assert.throws(
    () => resolvePipeline({ rerank: [{ type: 'llm-listwise', baseUrl: 'http://x/v1', model: 'm', temperature: 1 }] }),
    /pipeline\.rerank\[0\]/,
  );
  assert.throws(() => resolvePipeline({ rerank: [{ type: 'remote', provider: 'openai', model: 'm' }] }), /pipeline\.rerank\[0\]\.provider/);
  assert.throws(() => resolvePipeline({ rerank: [{ type: 'llm-listwise', baseUrl: 'ftp://x', model: 'm' }] }), /baseUrl/);
});

test('Collection.search runs BM25 → cross-encoder → listwise with the LLM stage calls, tokens, cost and latency', async () => {
  const dir = join(root, 'c-search');
  const c = await Collection.create(dir, cascade());
  try {
    await c.add(beir);
    const q = data.queries[0];
    const before = llm.requests.length;
    const res = await c.search(q.text);
    assert.deepEqual(
      res.timings.map((t) => t.stage),
      ['bm25', 'hydrate', 'cross-encoder', 'llm-listwise'],
    );
    assert.equal(res.hits.length, 10);
    assert.deepEqual(
      res.hits[0].trace?.map((t) => t.stage),
      ['bm25', 'cross-encoder', 'llm-listwise'],
    );
    const s = res.stats?.['llm-listwise'];
    assert.ok(s, 'the listwise stage reports its stats');
    // 20 candidates, window 10, step 5: windows [10,20) [5,15) [0,10)
    assert.equal(s.calls, 3);
    assert.equal(llm.requests.length - before, 3);
    assert.equal(s.cacheHits, 0);
    assert.equal(s.retries, 0);
    assert.ok(s.promptTokens > 100, `prompt tokens ${s.promptTokens}`);
    assert.ok(s.completionTokens > 0);
    assert.ok(Math.abs(s.costUsd - (s.promptTokens * 1 + s.completionTokens * 4) / 1e6) < 1e-12);
    assert.ok(s.latencyMs > 0);
    assert.equal(res.stats?.['cross-encoder'], undefined, 'local stages report no remote stats');
    // every relevant document among the 20 candidates is carried to the top by the ideal LLM
    const relevant = new Set([...(grades.get(q._id)?.keys() ?? [])]);
    const top = res.hits.slice(0, 3).map((h) => h.id);
    const inCandidates = res.hits.filter((h) => relevant.has(h.id)).length;
    assert.ok(
      top.slice(0, inCandidates).every((id) => relevant.has(id)),
      `relevant first: ${top.join(', ')}`,
    );
    // the same query again: every window comes from the stage's (model, prompt) cache
    const again = await c.search(q.text);
    assert.deepEqual(again.stats?.['llm-listwise'], {
      ...again.stats!['llm-listwise'],
      calls: 0,
      cacheHits: 3,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
    });
    assert.deepEqual(
      again.hits.map((h) => h.id),
      res.hits.map((h) => h.id),
    );
    assert.match(
      statsLines(res.stats)[0],
      /^llm-listwise: 3 calls \(0 cached, 0 retries\), [\d,]+ prompt \+ \d+ completion tokens, \$0\.\d{4}, [\d.]+ (ms|s) in requests$/,
    );
  } finally {
    await c.close();
  }
});

test('evaluatePipeline: the ideal listwise stage lifts nDCG@10 over the cross-encoder and sums its stats', async () => {
  const x = await evaluatePipeline(beir, cascade(), { collection: join(root, 'c-eval') });
  assert.deepEqual(
    x.stages.map((s) => s.stage),
    ['bm25', 'cross-encoder', 'llm-listwise'],
  );
  const ndcg = Object.fromEntries(x.stages.map((s) => [s.stage, s.metrics['ndcg@10']]));
  assert.ok(ndcg['llm-listwise'] >= ndcg['cross-encoder'], `listwise ${ndcg['llm-listwise']} vs cross-encoder ${ndcg['cross-encoder']}`);
  assert.ok(
    ndcg['llm-listwise'] > ndcg['cross-encoder'] + 0.05,
    `the random tiny cross-encoder scrambles; the ideal LLM restores: ${JSON.stringify(ndcg)}`,
  );
  const s = x.stageStats['llm-listwise'];
  assert.equal(s.calls + s.cacheHits, 3 * x.queries, 'three windows per query');
  assert.ok(s.promptTokens > 100 * s.calls);
  assert.ok(s.latencyMs > 0);
  assert.deepEqual(Object.keys(x.stageStats), ['llm-listwise']);
});

test('a hosted rerank stage (Jina-shaped loopback) reports calls, retries, tokens and latency', async () => {
  const jina = await startFake('jina', { key: 'test-key' });
  after(() => jina.close());
  jina.faults.push({ status: 503, headers: { 'retry-after': '0' } });
  const dir = join(root, 'c-remote');
  const c = await Collection.create(dir, {
    depth: 20,
    rerank: [
      {
        type: 'remote',
        provider: 'jina',
        model: 'jina-reranker-v2-base-multilingual',
        baseUrl: jina.url,
        apiKey: { env: 'SHORTLIST_TEST_JINA_KEY' },
        backoffBaseMs: 1,
        keep: 5,
      },
    ],
    k: 5,
  });
  process.env.SHORTLIST_TEST_JINA_KEY = 'test-key';
  try {
    await c.add(beir);
    const res = await c.search(data.queries[1].text);
    assert.equal(res.hits.length, 5);
    const s = res.stats?.remote;
    assert.ok(s, 'the remote stage reports its stats');
    assert.equal(s.calls, 1);
    assert.equal(s.retries, 1);
    assert.equal(s.promptTokens, 20 * 7, 'Jina usage.total_tokens (7 per document)');
    assert.ok(s.latencyMs > 0);
    assert.equal(jina.received.length, 2);
    assert.equal(jina.received[1].headers.authorization, 'Bearer test-key');
  } finally {
    delete process.env.SHORTLIST_TEST_JINA_KEY;
    await c.close();
  }
});

test('a dense retriever backed by a hosted embedder reports its query request; a cached query costs none', async () => {
  const openai = await startFake('openai', { dim: 16, key: 'oa-test-key' });
  after(() => openai.close());
  process.env.SHORTLIST_TEST_OPENAI_KEY = 'oa-test-key';
  after(() => delete process.env.SHORTLIST_TEST_OPENAI_KEY);
  const dense = {
    type: 'dense' as const,
    remote: {
      provider: 'openai' as const,
      model: 'text-embedding-3-small',
      baseUrl: openai.url,
      apiKey: { env: 'SHORTLIST_TEST_OPENAI_KEY' },
      backoffBaseMs: 1,
    },
  };
  assert.throws(
    () => resolvePipeline({ retrievers: [{ ...dense, model: 'BAAI/bge-small-en-v1.5' }] }),
    /pipeline\.retrievers\[0\]\.remote and "model" are both given/,
  );
  assert.throws(
    () => resolvePipeline({ retrievers: [{ ...dense, remote: { ...dense.remote, apiKey: 'sk-x' } }] }),
    /pipeline\.retrievers\[0\]\.remote\.apiKey is a literal key/,
  );
  const c = await Collection.create(join(root, 'c-dense'), { retrievers: [{ type: 'bm25' }, dense], depth: 20, k: 5 });
  try {
    await c.add(beir);
    const q = data.queries[4].text;
    const before = openai.received.length;
    const res = await c.search(q);
    assert.equal(res.hits.length, 5);
    assert.deepEqual(
      res.timings.map((t) => t.stage),
      ['bm25', 'dense', 'fusion'],
    );
    assert.equal(openai.received.length - before, 1, 'one request embeds the query');
    assert.deepEqual(openai.received.at(-1)!.body.input, [q]);
    const s = res.stats?.dense;
    assert.ok(s);
    assert.equal(s.calls, 1);
    assert.equal(s.promptTokens, 3, 'the fake bills 3 tokens per input');
    assert.ok(s.latencyMs > 0);
    const again = await c.search(q);
    assert.equal(openai.received.length - before, 1, 'the query embedding is cached');
    assert.deepEqual(again.stats?.dense, {
      calls: 0,
      retries: 0,
      cacheHits: 1,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
      latencyMs: 0,
    });
    assert.equal((await c.info()).dims, 16);
  } finally {
    await c.close();
  }
});

test('shortlist search <dir> q --explain prints a line with the LLM stage calls and tokens; --json carries stats', async () => {
  const dir = join(root, 'c-cli');
  const c = await Collection.create(dir, cascade()); // the saved pipeline.json is what the CLI reads
  await c.add(beir);
  await c.close();
  const env = { SHORTLIST_CACHE: join(root, 'cache'), SHORTLIST_OFFLINE: '1' };
  const q = data.queries[2].text;
  const r = await runCli(['search', dir, q, '--explain'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cross-encoder/);
  assert.match(
    r.stdout,
    /^llm-listwise: 3 calls \(0 cached, 0 retries\), [\d,]+ prompt \+ \d+ completion tokens, \$0\.\d{4}, [\d.]+ (ms|s) in requests$/m,
  );
  const j = await runCli(['search', dir, data.queries[3].text, '--json'], { env });
  assert.equal(j.code, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.equal(out.stats['llm-listwise'].calls, 3);
  assert.ok(out.stats['llm-listwise'].promptTokens > 0);
});
