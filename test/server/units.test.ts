/** The server's pure parts: Prometheus text, key checking, option resolution, error shapes, base64 vectors. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ShortlistError, isShortlistError } from '../../src/core/errors.ts';
import { KeyChecker, keysFromEnv, keysFromFile } from '../../src/server/auth.ts';
import { dialectOf, errorBody } from '../../src/server/errors.ts';
import { Counter, Histogram } from '../../src/server/metrics.ts';
import { resolveServerOptions } from '../../src/server/options.ts';
import { toBase64 } from '../../src/server/routes/embed.ts';

test('metrics: counters escape labels; histogram buckets are cumulative with +Inf, sum and count', () => {
  const c = new Counter('x_total', 'help');
  c.inc({ route: 'a"b\\c' });
  c.inc({ route: 'a"b\\c' }, 2);
  assert.equal(c.render(), '# HELP x_total help\n# TYPE x_total counter\nx_total{route="a\\"b\\\\c"} 3');
  const h = new Histogram('lat', 'h', [0.1, 1]);
  h.observe({}, 0.05);
  h.observe({}, 0.5);
  h.observe({}, 5);
  assert.deepEqual(h.render().split('\n').slice(2), [
    'lat_bucket{le="0.1"} 1',
    'lat_bucket{le="1"} 2',
    'lat_bucket{le="+Inf"} 3',
    'lat_sum 5.55',
    'lat_count 3',
  ]);
});

test('KeyChecker: no keys lets every request in; with keys, only "Bearer <key>" passes', () => {
  new KeyChecker([]).check(undefined);
  const k = new KeyChecker(['alpha', 'beta']);
  k.check('Bearer beta');
  k.check('bearer   alpha ');
  for (const h of [undefined, '', 'alpha', 'Bearer alph', 'Bearer alphaa', 'Basic alpha']) {
    assert.throws(
      () => k.check(h),
      (e) => isShortlistError(e, 'UNAUTHORIZED') && !/alpha|beta/.test(e.message),
    );
  }
});

test('keys from an env var (comma-separated) or a file (lines, comments); missing ones are clear errors', () => {
  assert.deepEqual(keysFromEnv('K', { K: ' a, b ,,' }), ['a', 'b']);
  assert.throws(() => keysFromEnv('K', {}), /environment variable K is unset/);
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-keys-'));
  try {
    writeFileSync(join(dir, 'keys'), '# team keys\none\n\ntwo,three\n');
    assert.deepEqual(keysFromFile(join(dir, 'keys')), ['one', 'two', 'three']);
    assert.throws(
      () => keysFromFile(join(dir, 'none')),
      (e) => isShortlistError(e, 'NOT_FOUND'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('options: defaults merged, frozen; bad numbers refused naming the field', () => {
  const o = resolveServerOptions({ limits: { documents: 10 }, batching: { enabled: false } });
  assert.equal(o.limits.documents, 10);
  assert.equal(o.limits.bodyBytes, 1_048_576);
  assert.equal(o.batching.enabled, false);
  assert.equal(o.host, '127.0.0.1');
  assert.ok(Object.isFrozen(o) && Object.isFrozen(o.limits));
  assert.throws(() => resolveServerOptions({ limits: { timeoutMs: 0 } }), /limits.timeoutMs/);
  assert.throws(() => resolveServerOptions({ port: 70000 }), /port/);
  assert.throws(() => resolveServerOptions({ batching: { maxQueued: 0 } }), /maxQueued/);
});

test('error shapes per dialect, status from the code table', () => {
  const e = new ShortlistError('TOO_LARGE', 'too big', { location: { field: 'input' } });
  assert.deepEqual(errorBody(e, 'cohere'), { status: 413, body: { message: 'too big' } });
  assert.deepEqual(errorBody(e, 'openai'), {
    status: 413,
    body: { error: { message: 'too big', type: 'invalid_request_error', param: 'input', code: 'too_large' } },
  });
  assert.deepEqual(errorBody(new ShortlistError('OVERLOADED', 'busy'), 'tei'), {
    status: 429,
    body: { error: 'busy', error_type: 'Overloaded' },
  });
  assert.deepEqual(errorBody(new ShortlistError('NOT_FOUND', 'no'), 'shortlist'), {
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: 'no' } },
  });
  assert.deepEqual(['/v2/rerank', '/rerank', '/embeddings', '/embed/', '/v1/search'].map(dialectOf), [
    'cohere',
    'tei',
    'openai',
    'tei',
    'shortlist',
  ]);
});

test('base64 vectors are little-endian float32', () => {
  const v = Float32Array.from([1, -0.5, 3.25]);
  const bytes = Buffer.from(toBase64(v), 'base64');
  assert.deepEqual(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 3)), [1, -0.5, 3.25]);
  assert.equal(bytes.readFloatLE(4), -0.5);
});
