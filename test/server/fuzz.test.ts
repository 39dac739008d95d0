/**
 * A seeded fuzz pass over every route of the real `shortlist serve` process: at least 2,000
 * generated bodies — valid bodies with fields swapped for wrong types, huge strings, deeply nested
 * values, unicode edge cases (NUL, lone surrogates, BOM, RTL marks, astral characters), extra
 * fields, raw garbage, odd content types and odd collection names. No answer may be a 5xx, the
 * process must stay up, and every error body must carry a request id. The count is printed; a
 * failure prints the seed and the case number, so `FUZZ_SEED=<seed>` reproduces it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { mulberry32 } from '../../src/core/random.ts';
import { Collection } from '../../src/engine/collection.ts';
import { startServe, type ServeProcess } from '../support/cli.ts';
import { DOCS } from './support.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const CASES = Number(process.env.FUZZ_CASES ?? 2200);

type Rand = () => number;

const STRINGS = [
  '',
  ' ',
  'a',
  '\u0000',
  'nul\u0000byte',
  '\ud800',
  'x\udbff',
  '\udc00y',
  '\ufeffbom',
  '\u202eevil',
  '😀'.repeat(50),
  'é',
  'e\u0301',
  '../../etc/passwd',
  '/etc/passwd',
  '/proc/self/environ',
  '%00',
  '${env:HOME}',
  '{{7*7}}',
  "' OR 1=1 --",
  '<script>',
  'NOT NOT NOT',
  '(((',
  'bm25',
  'two-stage',
  'docs',
  'x'.repeat(5000),
];

function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

/** A random JSON value: scalars, edge numbers, long or odd strings, lists, objects, deep nesting. */
function value(rand: Rand, depth = 0): unknown {
  const r = rand();
  if (r < 0.12) return pick(rand, [0, -1, 1, 1.5, -0, 2e9, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, 1e-320]);
  if (r < 0.35) return pick(rand, STRINGS);
  if (r < 0.42) return pick(rand, [true, false, null]);
  if (r < 0.47) return 'z'.repeat(Math.floor(rand() * 200_000));
  if (r < 0.52) {
    const n = 10 + Math.floor(rand() * 60);
    let v: unknown = pick(rand, [1, 'a', null]);
    for (let i = 0; i < n; i++) v = rand() < 0.5 ? [v] : { a: v };
    return v;
  }
  if (depth > 3) return 'leaf';
  if (r < 0.75) return Array.from({ length: Math.floor(rand() * 5) }, () => value(rand, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(rand() * 4) }, () => [
      pick(rand, ['a', 'k', 'id', 'text', '__proto__', 'constructor', 'model', 'baseUrl', '']),
      value(rand, depth + 1),
    ]),
  );
}

interface Route {
  method: 'POST' | 'DELETE' | 'GET';
  path: (rand: Rand) => string;
  valid: (rand: Rand) => Record<string, unknown>;
}

const name = (rand: Rand) =>
  rand() < 0.8
    ? 'docs'
    : pick(rand, ['nope', '..', '%2e%2e', 'a%00b', '%ZZ', 'x'.repeat(300), '%F0%9F%98%80', 'docs%2F..', 'fz' + Math.floor(rand() * 3)]);

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: () => '/v1/search',
    valid: (rand) => ({
      collection: name(rand),
      query: 'blood pressure',
      k: 3,
      depth: 5,
      rerank: [{ keep: 2 }],
      filter: 'odd = true',
      explain: rand() < 0.5,
    }),
  },
  {
    method: 'POST',
    path: (rand) => pick(rand, ['/v1/rerank', '/v2/rerank']),
    valid: () => ({ query: 'blood', documents: DOCS.slice(0, 2), top_n: 1, return_documents: true }),
  },
  { method: 'POST', path: () => '/rerank', valid: () => ({ query: 'blood', texts: DOCS.slice(0, 2), raw_scores: true }) },
  {
    method: 'POST',
    path: (rand) => pick(rand, ['/v1/embeddings', '/embeddings']),
    valid: () => ({ input: ['blood'], encoding_format: 'base64', dimensions: 8 }),
  },
  { method: 'POST', path: () => '/embed', valid: () => ({ inputs: 'blood', normalize: true }) },
  {
    method: 'POST',
    path: (rand) => `/v1/collections/${name(rand)}/documents`,
    valid: (rand) => ({
      documents: [{ id: `f${Math.floor(rand() * 50)}`, text: 'fuzzed text', title: 't', metadata: { odd: rand() < 0.5, n: 3 } }],
      ...(rand() < 0.2 ? { pipeline: 'bm25' } : {}),
    }),
  },
  {
    method: 'DELETE',
    path: (rand) => `/v1/collections/${name(rand)}/documents`,
    valid: (rand) => ({ ids: [`f${Math.floor(rand() * 50)}`] }),
  },
  {
    method: 'GET',
    path: (rand) => pick(rand, ['/v1/collections', `/v1/collections/${name(rand)}`, '/health', '/metrics', '/openapi.json', '/', '/v9/x']),
    valid: () => ({}),
  },
];

/** One generated request: a route, a body (object or raw text) and a content type. */
function generate(rand: Rand): { method: string; path: string; body?: string; contentType: string } {
  const route = pick(rand, ROUTES);
  const path = route.path(rand);
  const contentType =
    rand() < 0.93
      ? 'application/json'
      : pick(rand, [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          '',
          'application/json; charset=latin1',
          'application/merge-patch+json',
        ]);
  if (route.method === 'GET') return { method: 'GET', path, contentType };
  const body = route.valid(rand);
  const r = rand();
  let text: string;
  if (r < 0.08)
    text = pick(rand, [
      '',
      '{',
      'null',
      '[]',
      '"x"',
      '1e999',
      '{"a":1}{"b":2}',
      '\u0000',
      '{"query": "\\ud800"}',
      '[[[[[[[[[[',
      '{"__proto__": {"admin": true}}',
    ]);
  else if (r < 0.13) text = JSON.stringify(value(rand));
  else {
    const keys = Object.keys(body);
    const mutations = 1 + Math.floor(rand() * 3);
    for (let m = 0; m < mutations; m++) {
      const what = rand();
      if (what < 0.6 && keys.length > 0) body[pick(rand, keys)] = value(rand);
      else if (what < 0.75)
        body[pick(rand, ['pipeline', 'model', 'baseUrl', 'apiKey', 'extra', 'k', 'depth', 'fusion', 'minScore', 'rerank'])] = value(rand);
      else if (what < 0.85 && keys.length > 0) delete body[pick(rand, keys)];
      else if (keys.length > 0) {
        const k = pick(rand, keys);
        if (Array.isArray(body[k])) body[k] = [...(body[k] as unknown[]), value(rand)];
      }
    }
    text = JSON.stringify(body);
  }
  return { method: route.method, path, body: text, contentType };
}

describe('fuzzing every route of shortlist serve', () => {
  let root: string;
  let serve: ServeProcess;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-fuzz-'));
    const [ce, enc] = await Promise.all([tinyModel('classifier'), tinyModel('encoder')]);
    const c = await Collection.create(join(root, 'docs'), {
      retrievers: [{ type: 'bm25' }],
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 32, keep: 3, threads: 1 }],
      depth: 10,
      k: 3,
    });
    await c.add(DOCS.map((text, i) => ({ id: `d${i}`, text, metadata: { odd: i % 2 === 1 } })));
    await c.close();
    serve = await startServe([
      '--port',
      '0',
      '--quiet',
      '--collections',
      root,
      '--rerank-model',
      ce,
      '--rerank-preset',
      '{"activation":"sigmoid","maxLength":32}',
      '--embed-model',
      enc,
      '--embed-preset',
      '{"pooling":"mean","normalize":true,"maxLength":32}',
      '--threads',
      '1',
      '--max-wait-ms',
      '0',
    ]);
  });
  after(async () => {
    await serve?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it(`${CASES} generated bodies (seed ${SEED}): no 5xx, no crash, every error with a request id`, async () => {
    const rand = mulberry32(SEED);
    const cases = Array.from({ length: CASES }, () => generate(rand));
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i];
        const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
        const res = await fetch(serve.url + c.path, { method: c.method, headers, body: c.body });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `case ${i} of seed ${SEED}: ${c.method} ${c.path} ${c.contentType} ${(c.body ?? '').slice(0, 300)}`;
        assert.ok(res.status < 500, `${where} → ${res.status} ${text.slice(0, 300)}`);
        if (res.status >= 400)
          assert.match(text, /"request_id":"[0-9a-f-]{36}"/, `${where}: error without a request id: ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    assert.equal(serve.child.exitCode, null, 'the server is still running');
    assert.equal((await fetch(`${serve.url}/health`)).status, 200);
    const summary = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(`# fuzz: ${CASES} requests over ${ROUTES.length} route families (seed ${SEED}): ${summary}; no 5xx`);
    assert.ok(CASES >= 2000);
  });
});
