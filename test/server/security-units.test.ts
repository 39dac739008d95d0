/** The security model's pure parts: path scrubbing, JSON nesting on the text, loopback names, override keys and pipelines, id well-formedness in the library. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isWellFormed } from '../../src/core/unicode.ts';
import { Collection } from '../../src/engine/collection.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import { errorBody, scrubPaths } from '../../src/server/errors.ts';
import { ShortlistError } from '../../src/core/errors.ts';
import { hostName, isJsonType } from '../../src/server/guard.ts';
import { isLoopbackHost, resolveServerOptions } from '../../src/server/options.ts';
import { nestsDeeper } from '../../src/server/context.ts';
import { checkSearchOverrides, overrideKey, overridePipeline, searchOverridesSchema } from '../../src/server/overrides.ts';

test('scrubPaths hides server paths and database URLs, keeps route paths', () => {
  assert.equal(scrubPaths('no route GET /v1/search; see /openapi.json'), 'no route GET /v1/search; see /openapi.json');
  assert.equal(scrubPaths('cannot read /etc/passwd: denied'), 'cannot read <server path>: denied');
  assert.equal(scrubPaths('in /srv/cols/docs/bm25 now', ['/srv/cols']), 'in <server path> now');
  assert.equal(scrubPaths(`cache ${join(tmpdir(), 'x', 'y.onnx')} missing`), 'cache <server path> missing');
  assert.equal(scrubPaths('postgres://u:pw@db:5432/x?schema=a failed'), '<server path> failed');
  const internal = errorBody(new ShortlistError('INTERNAL', 'lance panicked at /home/u/.cargo/x.rs'), 'shortlist', 'rid-1');
  assert.deepEqual(internal.body, {
    error: { code: 'INTERNAL', message: 'internal server error; the server log has the details under request id rid-1' },
    request_id: 'rid-1',
  });
});

test('nestsDeeper counts brackets outside strings only', () => {
  assert.equal(nestsDeeper('{"a":[[1]]}', 3), false);
  assert.equal(nestsDeeper('{"a":[[[1]]]}', 3), true);
  assert.equal(nestsDeeper(JSON.stringify({ s: '[[[[[[[[{{{{\\"' }), 2), false);
  assert.equal(nestsDeeper('['.repeat(100_000), 32), true);
});

test('loopback names, Host parsing, JSON content types, and the keyless bind rule', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'app.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['evil.example', '0.0.0.0', '10.0.0.1', '127.0.0.1.evil.example', 'localhost.evil.example', ''])
    assert.ok(!isLoopbackHost(h), h);
  assert.deepEqual(['127.0.0.1:8080', '[::1]:80', 'localhost', 'evil.example:1'].map(hostName), [
    '127.0.0.1',
    '::1',
    'localhost',
    'evil.example',
  ]);
  assert.ok(isJsonType('application/json; charset=utf-8') && isJsonType('application/merge-patch+json'));
  assert.ok(!isJsonType('text/plain') && !isJsonType(undefined) && !isJsonType('application/jsonp'));
  assert.throws(() => resolveServerOptions({ host: '0.0.0.0' }), /refusing to listen on 0\.0\.0\.0 without API keys/);
  assert.equal(resolveServerOptions({ host: '0.0.0.0', insecureNoAuth: true }).host, '0.0.0.0');
  assert.equal(resolveServerOptions({ host: '0.0.0.0', apiKeys: ['k'] }).host, '0.0.0.0');
  assert.throws(() => resolveServerOptions({ creation: { presets: ['../x'] } }), /not a built-in preset/);
});

test('search overrides: strict knobs, caps, a key only for pipeline knobs, stored stages kept', () => {
  assert.throws(() => searchOverridesSchema.parse({ rerank: [{ keep: 2, model: 'x' }] }), /Unrecognized key/);
  assert.throws(() => searchOverridesSchema.parse({ baseUrl: 'http://x' }), /Unrecognized key/);
  const limits = { k: 10, depth: 50, fieldCharacters: 20 };
  assert.throws(() => checkSearchOverrides({ k: 11 }, limits), /k is 11, more than the server's limit of 10 \(--max-k\)/);
  assert.throws(() => checkSearchOverrides({ depth: 51 }, limits), /--max-depth/);
  assert.throws(() => checkSearchOverrides({ filter: 'x'.repeat(21) }, limits), /filter has 21 characters/);
  assert.equal(overrideKey({ k: 3, filter: 'a = 1' }), undefined, 'k and filter need no handle of their own');
  assert.equal(overrideKey({ fusion: { weights: { b: 1, a: 2 } } }), overrideKey({ fusion: { weights: { a: 2, b: 1 } } }));
  const stored = resolvePipeline({
    retrievers: [{ type: 'bm25' }],
    rerank: [{ type: 'cross-encoder', model: 'some/model', keep: 10 }],
    depth: 100,
  });
  const tuned = overridePipeline(stored, { depth: 20, rerank: [{ keep: 5 }] });
  assert.equal(tuned.depth, 20);
  assert.deepEqual(
    [tuned.rerank[0].type, (tuned.rerank[0] as { model: string }).model, tuned.rerank[0].keep],
    ['cross-encoder', 'some/model', 5],
  );
  assert.throws(() => overridePipeline(stored, { rerank: [{}, { keep: 1 }] }), /cannot add one/);
  assert.throws(() => overridePipeline(stored, { depth: 5 }), /keep is 10 but the stage before passes only 5/);
});

test('the library refuses lone-surrogate ids on add and remove', async () => {
  assert.ok(isWellFormed('a😀é') && !isWellFormed('a\ud800') && !isWellFormed('\udc00'));
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-ids-'));
  const c = await Collection.create(join(dir, 'c'), 'bm25');
  try {
    await assert.rejects(
      c.add([
        { id: 'ok', text: 'x' },
        { id: 'dup\ud800', text: 'y' },
      ]),
      (e: ShortlistError) => e.code === 'INVALID_INPUT' && /item 1/.test(e.message),
    );
    await assert.rejects(c.remove(['dup\udbff']), (e: ShortlistError) => e.code === 'INVALID_INPUT');
    assert.equal((await c.info()).documents, 0, 'nothing was written');
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
