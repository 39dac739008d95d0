/**
 * The S3 writer lock against storage that honours `If-None-Match: *` on PUT, as AWS S3, MinIO and
 * R2 do: s3rver (which ignores it) behind a loopback proxy that answers 412 to a conditional PUT of
 * an existing key, serialising conditional PUTs the way S3 does. The proxy holds conditional PUTs
 * until all racing writers have sent theirs, so every writer gets past its read-before-write check
 * and the race is decided by the conditional PUT alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { atomicPuts } from '../support/s3.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { S3ManifestStorage } from '../../src/store/lancedb/manifest-s3.ts';
import { s3Settings } from '../../src/store/lancedb/location.ts';

let s3: S3rver;
let proxy: Server;
let dir: string;
let upstream: number;
let refused412 = 0;
const RACERS = 4;
let arrived = 0;
let allArrived!: () => void;
const barrier = new Promise<void>((r) => (allArrived = r));
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shortlist-s3lock-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'b', configs: [] }] });
  atomicPuts(s3); // S3's PUT is atomic, s3rver's is not
  upstream = (await s3.run()).port;
  let conditional = Promise.resolve();
  proxy = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const forward = () =>
        send(req, Buffer.concat(body)).then(({ status, headers, data }) => void res.writeHead(status, headers).end(data));
      if (req.method !== 'PUT' || req.headers['if-none-match'] !== '*') return void forward();
      if (++arrived === RACERS) allArrived();
      const timeout = new Promise<void>((r) => setTimeout(r, 2000).unref());
      conditional = conditional
        .then(() => Promise.race([barrier, timeout]))
        .then(async () => {
          const exists =
            (await send({ method: 'HEAD', url: req.url, headers: {} } as IncomingMessage, Buffer.alloc(0), true)).status === 200;
          if (!exists) return forward();
          refused412++;
          res
            .writeHead(412, { 'content-type': 'application/xml' })
            .end(
              '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
            );
        });
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
});
after(async () => {
  await new Promise((r) => proxy.close(r));
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Forwards a request to s3rver (headers unchanged, so the signature holds); `anonymous` for the proxy's own HEAD. */
function send(
  req: IncomingMessage,
  data: Buffer,
  anonymous = false,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = anonymous ? {} : req.headers;
    const out = request({ host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, data: Buffer.concat(chunks) }));
    });
    out.on('error', reject);
    out.end(data);
  });
}

test('s3 lock with conditional PUTs: of writers racing for the lock exactly one wins; the rest are refused', async () => {
  const env = {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const writers = Array.from(
    { length: RACERS },
    () => new S3ManifestStorage({ uri: 's3://b/race', bucket: 'b', prefix: 'race' }, s3Settings(env)),
  );
  try {
    const results = await Promise.allSettled(writers.map((w) => w.lock()));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1, 'one writer holds the lock');
    for (const r of results)
      if (r.status === 'rejected')
        assert.ok(
          isShortlistError(r.reason) && /another writer .* is changing the collection at s3:\/\/b\/race/.test(r.reason.message),
          String(r.reason),
        );
    assert.equal(refused412, RACERS - 1, 'the losers were refused by the conditional PUT, not by the read-before-write check');
    await won[0].value.check();
    await won[0].value.release();
    const again = await writers[1].lock(); // released: the next writer gets it
    await again.release();
  } finally {
    for (const w of writers) w.close();
  }
});
