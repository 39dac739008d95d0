/**
 * An S3 endpoint for tests: s3rver on loopback behind a proxy that honours `If-None-Match: *` on
 * PUT as AWS S3, MinIO and R2 do (s3rver ignores it): a conditional PUT of an existing key is
 * answered 412, and conditional PUTs are decided one at a time. The store's writer lock and its
 * manifest commit rely on that answer, so tests that race writers (or kill them) need the proxy.
 *
 * s3rver's PUT is also not atomic, where S3's is: it truncates the object file, answers before the
 * file is fully written, and writes the object's length separately, so a GET just after a PUT can
 * read an empty or cut object (seen as a damaged manifest in the 100k store bench at 60,000
 * documents). {@link atomicPuts} makes every s3rver a test or bench starts answer as S3 does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A running endpoint. */
export interface TestS3 {
  /** AWS_* variables that point the SDK (and a `shortlist` child process) at it. */
  env: Record<string, string>;
  /** Conditional PUTs refused with 412 so far. */
  refused(): number;
  close(): Promise<void>;
}

/** Starts s3rver with `buckets` and the conditional-write proxy in front of it. */
export async function startTestS3(buckets: string[]): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-s3-'));
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  atomicPuts(s3);
  const upstream = (await s3.run()).port;
  let refused = 0;
  let conditional = Promise.resolve();
  const send = (
    req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>,
    data: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; data: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request({ host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, data: Buffer.concat(chunks) }));
        r.on('error', reject);
      });
      out.on('error', reject);
      out.end(data);
    });
  const proxy = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const forward = () =>
        send(req, Buffer.concat(body)).then(
          ({ status, headers, data }) => void res.writeHead(status, headers).end(data),
          () => void res.destroy(),
        );
      if (req.method !== 'PUT' || req.headers['if-none-match'] !== '*') return void forward();
      conditional = conditional
        .then(async () => {
          const exists = (await send({ method: 'HEAD', url: req.url, headers: {} }, Buffer.alloc(0))).status === 200;
          if (!exists) return forward();
          refused++;
          res
            .writeHead(412, { 'content-type': 'application/xml' })
            .end(
              '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
            );
        })
        .catch(() => void res.destroy());
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as AddressInfo).port;
  return {
    env: {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    refused: () => refused,
    async close() {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What {@link atomicPuts} reaches of s3rver 3's filesystem store (undocumented; pinned by the lockfile). */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
}

/**
 * Makes `server`'s PUT atomic and complete before it answers, as S3's is: the body is written to
 * a temporary file and awaited, then renamed over the object with its metadata written, while no
 * GET is between reading an object's metadata and opening its file (an opened file keeps the
 * version it opened, so a reader gets the old object or the new one, whole).
 */
export function atomicPuts(server: S3rver): void {
  const store = (server as unknown as { store: FilesystemStore }).store;
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn);
    turn = run.catch(() => {});
    return run;
  };
  const getObject = store.getObject.bind(store);
  store.getObject = (bucket, key, options) => exclusive(() => getObject(bucket, key, options));
  store.putObject = async (object) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const body = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    await pipeline(body, count, createWriteStream(tmp));
    const digest = md5.digest('hex');
    await exclusive(async () => {
      await rename(tmp, path);
      await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    });
    return { size, md5: digest };
  };
}
