/**
 * CONFLICT (another writer is changing the collection) and ALREADY_EXISTS: the table gives both
 * HTTP 409 and their exit codes; a server on loopback answers a write against a held writer lock
 * with 409 + Retry-After and serves again once the lock is gone; the CLI exits 73 for `init` of an
 * existing collection and 75 for `add` against a held lock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES, isRetryable, ShortlistError } from '../../src/core/errors.ts';
import { Collection } from '../../src/engine/collection.ts';
import { errorBody } from '../../src/server/errors.ts';
import { createServer } from '../../src/server/index.ts';
import { post } from '../server/support.ts';
import { runCli } from '../support/cli.ts';

test('the table: CONFLICT is 409 and retryable (exit 75), ALREADY_EXISTS is 409 and not (exit 73)', () => {
  assert.deepEqual(ERROR_CODES.CONFLICT, { exit: 75, http: 409, retry: true });
  assert.deepEqual(ERROR_CODES.ALREADY_EXISTS, { exit: 73, http: 409 });
  assert.equal(isRetryable('CONFLICT'), true);
  assert.equal(isRetryable('OVERLOADED'), true);
  assert.equal(isRetryable('ALREADY_EXISTS'), false);
  assert.equal(isRetryable('INVALID_ARGUMENT'), false);
  const e = new ShortlistError('CONFLICT', 'busy');
  assert.equal(e.httpStatus, 409);
  assert.equal(e.exitCode, 75);
  for (const dialect of ['cohere', 'openai', 'tei', 'shortlist'] as const) assert.equal(errorBody(e, dialect).status, 409, dialect);
  assert.deepEqual(errorBody(e, 'shortlist', 'r1').body, { error: { code: 'CONFLICT', message: 'busy' }, request_id: 'r1' });
});

/** Holds the writer lock of the folder collection at `dir` as a live process (this one) would. */
function holdLock(dir: string): () => void {
  mkdirSync(join(dir, 'locks'), { recursive: true });
  const lock = join(dir, 'locks', 'LOCK');
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

test('a server answers a write against a held writer lock with 409 CONFLICT and Retry-After, then takes it', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-conflict-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const c = await Collection.create(join(root, 'docs'), 'bm25');
  await c.add([{ id: 'a', text: 'alpha beta' }]);
  await c.close();
  const server = await createServer({ port: 0, quiet: true, collections: root });
  t.after(() => server.close());
  const release = holdLock(join(root, 'docs'));
  const refused = await post(`${server.url}/v1/collections/docs/documents`, { documents: [{ id: 'b', text: 'gamma' }] });
  release();
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.error.code, 'CONFLICT');
  assert.match(refused.json.error.message, /another writer \(process \d+\) is changing the collection/);
  assert.equal(refused.headers.get('retry-after'), '1');
  const retried = await post(`${server.url}/v1/collections/docs/documents`, { documents: [{ id: 'b', text: 'gamma' }] });
  assert.equal(retried.status, 200, retried.text);
  const search = await post(`${server.url}/v1/search`, { collection: 'docs', query: 'gamma', k: 5 });
  assert.deepEqual(
    search.json.hits.map((h: { id: string }) => h.id),
    ['b'],
  );
});

test('the CLI exits 73 for init of an existing collection and 75 for add against a held writer lock', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-conflict-cli-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'c');
  assert.equal((await runCli(['init', dir, '--pipeline', 'bm25'])).code, 0);
  const twice = await runCli(['init', dir, '--pipeline', 'bm25']);
  assert.equal(twice.code, 73, twice.stderr);
  assert.match(twice.stderr, /a collection already exists at/);
  const docs = join(root, 'docs.jsonl');
  writeFileSync(docs, JSON.stringify({ id: 'a', text: 'alpha' }) + '\n');
  const release = holdLock(dir);
  const locked = await runCli(['add', dir, docs]);
  release();
  assert.equal(locked.code, 75, locked.stderr);
  assert.match(locked.stderr, /another writer \(process \d+\) is changing the collection/);
  assert.equal((await runCli(['add', dir, docs])).code, 0, 'the same add succeeds once the writer is gone');
});
