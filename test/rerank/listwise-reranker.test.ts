import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListwiseReranker, type ListwiseStats } from '../../src/rerank/llm-listwise/reranker.ts';
import { buildMessages, PROMPT_TEMPLATES } from '../../src/rerank/llm-listwise/prompts.ts';
import type { ListwiseRerankerOptions } from '../../src/rerank/llm-listwise/config.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import type { Candidate } from '../../src/core/types.ts';
import {
  errorBody,
  formatPermutation,
  readPrompt,
  reversedAnswer,
  startFakeChatServer,
  type FakeChatServer,
  type FakeReply,
  type FakeChatRequest,
} from './fake-chat-server.ts';

const cands = (n: number): Candidate[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, text: `passage ${i}` }));
/** Fast retry settings so failure tests take milliseconds. */
const FAST = { backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 2000 } as const;

async function withServer(
  handler: (req: FakeChatRequest, i: number) => FakeReply | Promise<FakeReply>,
  body: (server: FakeChatServer, make: (o?: Partial<ListwiseRerankerOptions>) => ListwiseReranker) => Promise<void>,
): Promise<void> {
  const server = await startFakeChatServer(handler);
  try {
    await body(server, (o = {}) => new ListwiseReranker({ baseUrl: server.baseUrl, model: 'fake-1', ...FAST, ...o }));
  } finally {
    await server.close();
  }
}

/** Answers with the passages reversed. */
const reverse = (req: FakeChatRequest): FakeReply => ({ content: reversedAnswer(readPrompt(req.messages).passages.length) });

test('request shape: POST /v1/chat/completions with {model, messages, temperature: 0} and a bearer key from the env', async () => {
  process.env.LISTWISE_TEST_KEY = 'sk-test-secret-123';
  await withServer(reverse, async (server, make) => {
    const r = make({ apiKey: { env: 'LISTWISE_TEST_KEY' } });
    const hits = await r.rerank('my query', cands(3), 3);
    assert.deepEqual(
      hits.map((h) => h.id),
      ['d2', 'd1', 'd0'],
    );
    assert.deepEqual(
      hits.map((h) => h.score),
      [3, 2, 1],
    );
    assert.equal(server.requests.length, 1);
    const req = server.requests[0];
    assert.equal(req.model, 'fake-1');
    assert.equal(req.temperature, 0);
    assert.equal(req.body.max_tokens, undefined);
    assert.deepEqual(Object.keys(req.body).sort(), ['messages', 'model', 'temperature']);
    assert.deepEqual(req.messages, buildMessages(PROMPT_TEMPLATES.rankgpt, 'my query', ['passage 0', 'passage 1', 'passage 2']));
    assert.equal(req.headers.authorization, 'Bearer sk-test-secret-123');
    // the resolved options keep only the reference
    assert.ok(!JSON.stringify(r.options).includes('sk-test-secret-123'));
  });
  delete process.env.LISTWISE_TEST_KEY;
});

test('maxCompletionTokens is sent as max_tokens; no key means no authorization header', async () => {
  await withServer(reverse, async (server, make) => {
    await make({ maxCompletionTokens: 128 }).rerank('q', cands(2), 2);
    assert.equal(server.requests[0].body.max_tokens, 128);
    assert.equal(server.requests[0].headers.authorization, undefined);
  });
});

test('an unset key variable is INVALID_ARGUMENT naming it, before any request', async () => {
  delete process.env.LISTWISE_MISSING_KEY;
  await withServer(reverse, async (server, make) => {
    await assert.rejects(
      make({ apiKey: { env: 'LISTWISE_MISSING_KEY' } }).rerank('q', cands(2), 2),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /LISTWISE_MISSING_KEY/.test((e as Error).message),
    );
    assert.equal(server.requests.length, 0);
  });
});

test('a 401 surfaces at once with the provider message and the key redacted', async () => {
  process.env.LISTWISE_TEST_KEY2 = 'sk-very-secret-key';
  await withServer(
    (req) => ({
      status: 401,
      body: errorBody(`Incorrect API key provided: ${String(req.headers.authorization).slice(7)}`, 'invalid_request_error'),
    }),
    async (server, make) => {
      await assert.rejects(make({ apiKey: { env: 'LISTWISE_TEST_KEY2' } }).rerank('q', cands(2), 2), (e) => {
        const msg = (e as Error).message;
        return isShortlistError(e, 'PROVIDER_ERROR') && msg.includes('Incorrect API key provided') && !msg.includes('sk-very-secret-key');
      });
      assert.equal(server.requests.length, 1);
    },
  );
  delete process.env.LISTWISE_TEST_KEY2;
});

test('429 with Retry-After: waits that long, then succeeds; the retry is counted', async () => {
  await withServer(
    (req, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: errorBody('Rate limit reached', 'requests') } : reverse(req),
    async (server, make) => {
      let stats: ListwiseStats | undefined;
      const t0 = performance.now();
      const hits = await make({ backoffBaseMs: 0 }).rerank('q', cands(3), 3, { onStats: (s) => (stats = s) });
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= 950, `waited ${elapsed} ms, Retry-After said 1 s`);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['d2', 'd1', 'd0'],
      );
      assert.equal(server.requests.length, 2);
      assert.equal(stats!.retries, 1);
      assert.equal(stats!.calls, 1);
    },
  );
});

test('500 then 503 then success: retried with backoff, nothing lost', async () => {
  await withServer(
    (req, i) =>
      i === 0 ? { status: 500, body: errorBody('boom') } : i === 1 ? { status: 503, body: errorBody('overloaded') } : reverse(req),
    async (server, make) => {
      const { hits, stats } = await make().rerankWithStats('q', cands(4), 4);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['d3', 'd2', 'd1', 'd0'],
      );
      assert.equal(stats.retries, 2);
      assert.equal(server.requests.length, 3);
    },
  );
});

test('a 500 that never clears gives NETWORK_ERROR with the provider message after retries+1 attempts', async () => {
  await withServer(
    () => ({ status: 500, body: errorBody('The server had an error while processing your request.') }),
    async (server, make) => {
      await assert.rejects(
        make({ retries: 2 }).rerank('q', cands(3), 3),
        (e) => isShortlistError(e, 'NETWORK_ERROR') && /The server had an error/.test((e as Error).message),
      );
      assert.equal(server.requests.length, 3);
    },
  );
});

test('a 400 is not retried', async () => {
  await withServer(
    () => ({ status: 400, body: errorBody("This model's maximum context length is 4096 tokens", 'invalid_request_error') }),
    async (server, make) => {
      await assert.rejects(
        make().rerank('q', cands(3), 3),
        (e) => isShortlistError(e, 'PROVIDER_ERROR') && /maximum context length/.test((e as Error).message),
      );
      assert.equal(server.requests.length, 1);
    },
  );
});

test('a request that hangs times out and is retried', async () => {
  await withServer(
    (req, i) => (i === 0 ? { hang: true } : reverse(req)),
    async (server, make) => {
      const { hits, stats } = await make({ timeoutMs: 200 }).rerankWithStats('q', cands(2), 2);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['d1', 'd0'],
      );
      assert.equal(stats.retries, 1);
      assert.equal(server.requests.length, 2);
    },
  );
});

test('a malformed body is PROVIDER_ERROR, not a silent reorder', async () => {
  await withServer(
    () => ({ status: 200, body: '{"choices": [' }),
    async (_server, make) => {
      await assert.rejects(
        make().rerank('q', cands(2), 2),
        (e) => isShortlistError(e, 'PROVIDER_ERROR') && /not JSON/.test((e as Error).message),
      );
    },
  );
  await withServer(
    () => ({ status: 200, body: JSON.stringify({ object: 'chat.completion', choices: [] }) }),
    async (_server, make) => {
      await assert.rejects(
        make().rerank('q', cands(2), 2),
        (e) => isShortlistError(e, 'PROVIDER_ERROR') && /choices\[0\]\.message\.content/.test((e as Error).message),
      );
    },
  );
});

test('an answer that is not a permutation keeps the prior order; a partial one is repaired', async () => {
  await withServer(
    () => ({ content: 'I am sorry, but I cannot rank these passages.' }),
    async (_server, make) => {
      const { hits, stats } = await make().rerankWithStats('q', cands(5), 5);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['d0', 'd1', 'd2', 'd3', 'd4'],
      );
      assert.equal(stats.repairedWindows, 1);
    },
  );
  await withServer(
    () => ({ content: '[4] > [4] > [9] > [2]' }),
    async (_server, make) => {
      const { hits, stats } = await make().rerankWithStats('q', cands(5), 5);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['d3', 'd1', 'd0', 'd2', 'd4'],
      );
      assert.equal(stats.repairedWindows, 1);
    },
  );
});

test('reversed answers degrade predictably: 5 candidates, w=3 s=2 → e b a d c', async () => {
  const letters = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, text: `text of ${id}` }));
  await withServer(reverse, async (server, make) => {
    const hits = await make({ windowSize: 3, step: 2 }).rerank('q', letters, 5);
    // window [2,5): c d e → e d c, list a b e d c; window [0,3): a b e → e b a, list e b a d c
    assert.deepEqual(
      hits.map((h) => h.id),
      ['e', 'b', 'a', 'd', 'c'],
    );
    assert.deepEqual(
      server.requests.map((r) => readPrompt(r.messages).passages),
      [
        ['text of c', 'text of d', 'text of e'],
        ['text of a', 'text of b', 'text of e'],
      ],
    );
  });
});

test('per-query token and cost accounting from usage and pricing', async () => {
  await withServer(
    (req) => ({ ...reverse(req), usage: { prompt_tokens: 1000, completion_tokens: 10 } }),
    async (_server, make) => {
      const r = make({ pricing: { promptPerMillion: 2.5, completionPerMillion: 10 } });
      const { stats } = await r.rerankWithStats('q', cands(25), 10);
      assert.equal(stats.windows, 2); // [5,25), [0,15)
      assert.equal(stats.calls, 2);
      assert.equal(stats.promptTokens, 2000);
      assert.equal(stats.completionTokens, 20);
      assert.ok(Math.abs(stats.costUsd - (2 * (1000 * 2.5 + 10 * 10)) / 1e6) < 1e-12);
      assert.ok(stats.latencyMs > 0);
      await r.rerankWithStats('other query', cands(3), 3);
      assert.equal(r.totals.windows, 3);
      assert.equal(r.totals.promptTokens, 3000);
    },
  );
});

test('a server that reports no usage counts zero tokens', async () => {
  await withServer(
    (req) => ({ ...reverse(req), usage: null }),
    async (_server, make) => {
      const { stats } = await make({ pricing: { promptPerMillion: 1, completionPerMillion: 1 } }).rerankWithStats('q', cands(3), 3);
      assert.deepEqual([stats.calls, stats.promptTokens, stats.completionTokens, stats.costUsd], [1, 0, 0, 0]);
    },
  );
});

test('cache by (model, prompt hash): a repeated query costs nothing; another model misses; the LRU is bounded', async () => {
  await withServer(reverse, async (server, make) => {
    const r = make({ cacheSize: 2 });
    const first = await r.rerankWithStats('q', cands(25), 25);
    const again = await r.rerankWithStats('q', cands(25), 25);
    assert.deepEqual(again.hits, first.hits);
    assert.deepEqual([again.stats.calls, again.stats.cacheHits, again.stats.promptTokens], [0, 2, 0]);
    assert.equal(server.requests.length, 2);
    await make({ cacheSize: 2, model: 'fake-2' }).rerank('q', cands(25), 25);
    assert.equal(server.requests.length, 4);
    await r.rerank('q2', cands(3), 3); // evicts the oldest window of "q"
    assert.equal(r.cache.stats.size, 2);
    const third = await r.rerankWithStats('q', cands(25), 25);
    assert.ok(third.stats.calls >= 1);
  });
});

test('cacheSize 0 disables the cache', async () => {
  await withServer(reverse, async (server, make) => {
    const r = make({ cacheSize: 0 });
    await r.rerank('q', cands(3), 3);
    await r.rerank('q', cands(3), 3);
    assert.equal(server.requests.length, 2);
  });
});

test('bounded concurrency across queries', async () => {
  let inFlight = 0;
  let peak = 0;
  await withServer(
    async (req) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return reverse(req);
    },
    async (server, make) => {
      const r = make({ concurrency: 2 });
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => r.rerank(`query ${i}`, cands(4), 4)));
      assert.equal(server.requests.length, 6);
      assert.equal(peak, 2);
      for (const hits of results)
        assert.deepEqual(
          hits.map((h) => h.id),
          ['d3', 'd2', 'd1', 'd0'],
        );
    },
  );
});

test('rankzephyr template end to end', async () => {
  await withServer(
    (req) => {
      assert.equal(req.messages.length, 2);
      return { content: formatPermutation([1, 2, 0]) };
    },
    async (_server, make) => {
      const hits = await make({ template: 'rankzephyr' }).rerank('q', cands(3), 2);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['d1', 'd2'],
      );
    },
  );
});

test('no candidates: no request; k = 0: empty; bad k: INVALID_ARGUMENT; aborted: ABORTED', async () => {
  await withServer(reverse, async (server, make) => {
    const r = make();
    assert.deepEqual(await r.rerank('q', [], 10), []);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(await r.rerank('q', cands(3), 0), []);
    await assert.rejects(r.rerank('q', cands(3), -1), (e) => isShortlistError(e, 'INVALID_ARGUMENT'));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(r.rerank('q', cands(3), 3, { signal: ac.signal }), (e) => isShortlistError(e, 'ABORTED'));
  });
});

test('options are checked', () => {
  const bad: Partial<ListwiseRerankerOptions>[] = [
    { baseUrl: 'localhost:8000' },
    { model: '' },
    { windowSize: 0 },
    { step: 30 },
    { concurrency: 0 },
    { cacheSize: -1 },
    { pricing: { promptPerMillion: -1, completionPerMillion: 0 } },
    { template: 'nope' as 'rankgpt' },
  ];
  for (const o of bad) {
    assert.throws(
      () => new ListwiseReranker({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm', ...o }),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
      JSON.stringify(o),
    );
  }
  const r = new ListwiseReranker({ baseUrl: 'http://127.0.0.1:1/v1/', model: 'm' });
  assert.equal(r.options.url, 'http://127.0.0.1:1/v1/chat/completions');
  assert.equal(r.options.windowSize, 20);
  assert.equal(r.options.step, 10);
  assert.equal(r.name, 'llm-listwise');
});
