/**
 * Runs the CollectionStore contract against the LanceDB backend on `s3://` (s3rver: a real S3 API
 * on a loopback port, in a temporary folder), with the endpoint and keys passed as an explicit
 * environment (never through process.env). Also: one writer at a time on S3, and a reader on a
 * second handle moving to a writer's new version on refresh().
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { atomicPuts } from '../support/s3.ts';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { isShortlistError } from '../../src/core/errors.ts';
import { LanceCollectionStore } from '../../src/store/lancedb/store.ts';
import { S3ManifestStorage } from '../../src/store/lancedb/manifest-s3.ts';
import { parseLocation, s3Settings } from '../../src/store/lancedb/location.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import { hashVector, storeContract } from './store.case.ts';

const BUCKET = 'collections';
let s3: S3rver;
let dir: string;
let env: NodeJS.ProcessEnv;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shortlist-s3store-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  atomicPuts(s3); // S3's PUT is atomic, s3rver's is not
  const { port } = await s3.run();
  env = {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
});
after(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
storeContract('lancedb on s3:// (s3rver)', async () => {
  const location = `s3://${BUCKET}/contract-${++n}`;
  return {
    create: (options) => LanceCollectionStore.create(location, { ...options, env }),
    open: (options) => LanceCollectionStore.open(location, { ...options, env }),
    cleanup: async () => {}, // the bucket's folder goes with s3rver's temporary directory
  };
});

const DIMS = 4;
const FP: Fingerprint = {
  models: { dense: { id: 'test/hash', revision: 'r1', dims: DIMS } },
  analyzer: 'english@1',
  chunking: { size: 50, overlap: 0 },
};
/** The parsed `s3://` location (the tests only pass those). */
function s3Location(location: string) {
  const loc = parseLocation(location);
  assert.equal(loc.kind, 's3');
  return loc as Extract<typeof loc, { kind: 's3' }>;
}

const embed = async (texts: string[]) => texts.map((t) => hashVector(t, DIMS));

test('s3: a second writer is refused while the lock is held; a stale lock is taken over', async () => {
  const location = `s3://${BUCKET}/lock-test`;
  const store = await LanceCollectionStore.create(location, { fingerprint: FP, dims: DIMS, env });
  const storage = new S3ManifestStorage(s3Location(location), s3Settings(env), { lockTtlMs: 60_000 });
  try {
    const held = await storage.lock();
    await assert.rejects(
      store.upsert([{ id: 'a', text: 'alpha' }], { embed }),
      (err) => isShortlistError(err) && err.code === 'CONFLICT' && /another writer .* is changing the collection/.test(err.message),
    );
    assert.equal((await store.info()).version, 1, 'the refused write committed nothing');
    await held.release();
    const done = await store.upsert([{ id: 'a', text: 'alpha' }], { embed });
    assert.equal(done.version, 2, 'once released, the write goes through');

    // a lock whose holder stopped renewing it (a dead server) goes stale and is taken over
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: env.AWS_ENDPOINT_URL,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const dead = JSON.stringify({ owner: 'dead', host: 'gone', pid: 1, expiresAt: new Date(Date.now() - 1000).toISOString() });
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lock-test/LOCK', Body: dead }));
    assert.equal((await store.upsert([{ id: 'b', text: 'beta' }], { embed })).version, 3);
    const left = await client
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'lock-test/LOCK' }))
      .catch((err: { name?: string }) => err.name);
    assert.equal(left, 'NoSuchKey', 'the writer released its lock after committing');
    client.destroy();
  } finally {
    storage.close();
    await store.close();
  }
});

test('s3: a writer that lost its lock commits nothing', async () => {
  const location = `s3://${BUCKET}/lost-lock`;
  const store = await LanceCollectionStore.create(location, { fingerprint: FP, dims: DIMS, env });
  const storage = new S3ManifestStorage(s3Location(location), s3Settings(env));
  try {
    const lock = await storage.lock();
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: env.AWS_ENDPOINT_URL,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const other = JSON.stringify({ owner: 'other', host: 'elsewhere', pid: 2, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lost-lock/LOCK', Body: other })); // taken over as stale
    client.destroy();
    await assert.rejects(
      lock.check(),
      (err) => isShortlistError(err) && err.code === 'CONFLICT' && /another writer \(elsewhere pid 2\) took it over/.test(err.message),
    );
    await lock.release(); // leaves the other writer's lock alone
    await assert.rejects(store.upsert([{ id: 'a', text: 'alpha' }], { embed }), /another writer \(elsewhere pid 2\)/);
  } finally {
    storage.close();
    await store.close();
  }
});

test('s3: two handles (two stateless servers) on one collection; the reader moves to the new version on refresh()', async () => {
  const location = `s3://${BUCKET}/replicas`;
  const writer = await LanceCollectionStore.create(location, { fingerprint: FP, dims: DIMS, env, lockTtlMs: 300 });
  const reader = await LanceCollectionStore.open(location, { env });
  try {
    await writer.upsert(
      [
        { id: 'a', text: 'alpha' },
        { id: 'b', text: 'beta' },
      ],
      { embed },
    );
    assert.equal((await reader.info()).version, 1);
    assert.deepEqual(await reader.get(['a']), [], 'the reader stays on its version until refresh');
    await new Promise((r) => setTimeout(r, 400)); // past the lock's lifetime: it was released, not left to go stale
    await writer.upsert([{ id: 'c', text: 'gamma' }], { embed });
    assert.equal(await reader.refresh(), true);
    assert.equal((await reader.info()).version, 3);
    assert.deepEqual(
      (await reader.get(['a', 'c'])).map((d) => d.id),
      ['a', 'c'],
    );
    const hits = await reader.vectorSearch(hashVector('gamma', DIMS), 1);
    assert.equal(hits[0].docId, 'c');
    assert.equal(await reader.refresh(), false);
  } finally {
    await reader.close();
    await writer.close();
  }
});

test('s3: settings come from the given environment; bad locations and half-set keys are refused', () => {
  assert.deepEqual(parseLocation('s3://b/x/y/'), { kind: 's3', uri: 's3://b/x/y', bucket: 'b', prefix: 'x/y' });
  assert.deepEqual(parseLocation('s3://b'), { kind: 's3', uri: 's3://b', bucket: 'b', prefix: '' });
  assert.throws(() => parseLocation('s3:///x'), /not an S3 location/);
  assert.throws(() => s3Settings({ AWS_ACCESS_KEY_ID: 'k' }), /set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  const s = s3Settings({
    AWS_ENDPOINT_URL_S3: 'http://h:1',
    AWS_ENDPOINT_URL: 'http://other',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_PROFILE: 'p',
  });
  assert.deepEqual(s, { region: 'eu-west-1', endpoint: 'http://h:1', credentials: undefined, profile: 'p' });
});
