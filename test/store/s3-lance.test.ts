/**
 * The object-storage groundwork: LanceDB 0.31 tables on `s3://` against s3rver (a real S3 API on
 * loopback) with the endpoint and credentials passed as storage options. Table versions and
 * checkout — what a collection manifest names — behave as on a local directory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import S3rver from 's3rver';
import { atomicPuts } from '../support/s3.ts';

let s3: S3rver;
let dir: string;
let storageOptions: Record<string, string>;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shortlist-s3rver-'));
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'collections', configs: [] }],
  });
  atomicPuts(s3); // S3's PUT is atomic, s3rver's is not
  const { port } = await s3.run();
  storageOptions = {
    endpoint: `http://127.0.0.1:${port}`,
    aws_access_key_id: 'S3RVER',
    aws_secret_access_key: 'S3RVER',
    region: 'us-east-1',
    allow_http: 'true',
  };
});
after(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

test('LanceDB tables on s3:// (s3rver): append, vector search, and checkout of an older version', async () => {
  const db = await lancedb.connect('s3://collections/c1/lance', { storageOptions });
  const t = await db.createTable('chunks', [
    { id: 'a', vector: [1, 0, 0] },
    { id: 'b', vector: [0, 1, 0] },
  ]);
  const v1 = await t.version();
  await t.add([{ id: 'c', vector: [0.9, 0.1, 0] }]);
  assert.equal(await t.countRows(), 3);
  const hits = await t.vectorSearch([1, 0, 0]).distanceType('cosine').limit(2).toArray();
  assert.deepEqual(
    hits.map((h) => h.id),
    ['a', 'c'],
  );
  const reader = await (await lancedb.connect('s3://collections/c1/lance', { storageOptions })).openTable('chunks');
  await reader.checkout(v1);
  assert.equal(await reader.countRows(), 2, 'a reader pinned to a version keeps seeing it');
  reader.close();
  t.close();
  db.close();
});
