/**
 * The tests' S3 stand-in answers as S3 does: a GET racing PUTs of the same key reads one whole
 * version, never an empty or cut object (s3rver alone does not: `atomicPuts` in test/support/s3.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { atomicPuts } from '../support/s3.ts';

/** PUTs `rounds` versions of one key while GETs run beside them; the bodies the GETs read. */
async function race(atomic: boolean, rounds: number): Promise<{ read: string[]; versions: Set<string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-s3rver-atomic-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'b', configs: [] }] });
  if (atomic) atomicPuts(s3);
  const { port } = await s3.run();
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const versions = new Set<string>();
  const read: string[] = [];
  const body = (i: number) => JSON.stringify({ version: i, rows: Array.from({ length: 20_000 + i }, (_, j) => j) });
  try {
    const first = body(0);
    versions.add(first);
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'MANIFEST.json', Body: first }));
    let done = false;
    const reader = (async () => {
      while (!done) {
        const out = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'MANIFEST.json' }));
        read.push(await out.Body!.transformToString('utf8'));
      }
    })();
    for (let i = 1; i <= rounds; i++) {
      const text = body(i);
      versions.add(text);
      await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'MANIFEST.json', Body: text }));
      // the PUT has answered: a read now sees this version, whole
      const after = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'MANIFEST.json' }));
      read.push(`after:${(await after.Body!.transformToString('utf8')) === text}`);
    }
    done = true;
    await reader;
  } finally {
    client.destroy();
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { read, versions };
}

test('atomicPuts: GETs racing PUTs read whole versions, and a GET after a PUT reads that version', async () => {
  const { read, versions } = await race(true, 40);
  const after = read.filter((r) => r.startsWith('after:'));
  assert.equal(after.length, 40);
  assert.ok(
    after.every((r) => r === 'after:true'),
    'a GET after the PUT answered reads the new version',
  );
  const racing = read.filter((r) => !r.startsWith('after:'));
  assert.ok(racing.length > 0);
  const torn = racing.filter((r) => !versions.has(r));
  assert.equal(torn.length, 0, `${torn.length} of ${racing.length} racing GETs read a cut or empty object`);
});
