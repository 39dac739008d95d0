/**
 * The manifest and writer lock of a collection on S3 (`s3://bucket/prefix`), with the commit
 * protocol of `manifest.ts`:
 *
 * - Commit: `MANIFEST.json` is one PUT, made after both tables' new versions are written. S3
 *   PUTs are atomic and reads after them are strongly consistent, so a reader sees the old
 *   manifest or the new one.
 * - Writer lock: a `LOCK` object holding `{ owner, host, pid, expiresAt }`, created with
 *   `If-None-Match: *` (a conditional PUT: of two writers, S3 answers the second 412). The holder
 *   renews it every third of its lifetime; a lock past `expiresAt` is stale (its writer died) and
 *   is taken over (deleted with `If-Match` on its ETag, so two takers cannot both delete). Before
 *   committing, the writer re-reads the lock and refuses to commit when it no longer owns it.
 * - Servers without conditional writes (s3rver 3 ignores `If-None-Match` and `If-Match` on
 *   PUT/DELETE) only get an advisory lock: the writer reads the lock back after creating it and
 *   gives up when another owner's PUT landed last, which catches most races but not all.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type * as S3 from '@aws-sdk/client-s3';
import { ShortlistError } from '../../core/errors.ts';
import { testPoint } from '../../core/test-points.ts';
import { MANIFEST_FILE, manifestText, parseManifest, type Manifest, type ManifestStorage, type WriterLock } from './manifest.ts';
import type { S3Settings } from './location.ts';
import { callS3 } from './s3-call.ts';
import { requireOptional } from '../../core/optional.ts';

/** The AWS SDK loads with the first S3 client (an optional peer dependency). */
const s3 = (): typeof S3 => requireOptional<typeof S3>('@aws-sdk/client-s3');

const LOCK_FILE = 'LOCK';

/** Options of {@link S3ManifestStorage}. */
export interface S3ManifestOptions {
  /** Lifetime of the writer lock; the holder renews it every third of it, and a lock not renewed for this long is stale. @default 120000 */
  lockTtlMs?: number;
}

/** What the lock object holds. */
interface LockBody {
  owner: string;
  host: string;
  pid: number;
  expiresAt: string;
}

/** Manifest storage under an S3 prefix, through `@aws-sdk/client-s3`. */
export class S3ManifestStorage implements ManifestStorage {
  readonly location: string;
  readonly #client: S3.S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #ttlMs: number;

  /** Manifest storage at `location` (`s3://bucket/prefix`) with the client settings `s`. */
  constructor(location: { uri: string; bucket: string; prefix: string }, s: S3Settings, options: S3ManifestOptions = {}) {
    this.location = location.uri;
    this.#bucket = location.bucket;
    this.#prefix = location.prefix;
    this.#ttlMs = options.lockTtlMs ?? 120_000;
    if (!Number.isInteger(this.#ttlMs) || this.#ttlMs < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `lockTtlMs must be a positive integer, got ${this.#ttlMs}`, {
        location: { field: 'lockTtlMs' },
      });
    this.#client = new (s3().S3Client)({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
      ...(s.credentials ? { credentials: s.credentials } : {}),
      ...(s.profile ? { profile: s.profile } : {}),
    });
  }

  /** {@inheritDoc ManifestStorage.prepare} */
  async prepare(): Promise<void> {}

  /** {@inheritDoc ManifestStorage.read} */
  async read(): Promise<Manifest | undefined> {
    const got = await this.#get(MANIFEST_FILE);
    return got && parseManifest(got.text, this.#uri(MANIFEST_FILE));
  }

  /** {@inheritDoc ManifestStorage.write} */
  async write(manifest: Manifest): Promise<void> {
    const body = manifestText(manifest);
    testPoint('write:manifest-staged');
    await this.#call(`write ${this.#uri(MANIFEST_FILE)}`, () =>
      this.#client.send(
        new (s3().PutObjectCommand)({ Bucket: this.#bucket, Key: this.#key(MANIFEST_FILE), Body: body, ContentType: 'application/json' }),
      ),
    );
    testPoint('write:committed');
  }

  /** {@inheritDoc ManifestStorage.lock} */
  async lock(): Promise<WriterLock> {
    const owner = randomUUID();
    const body = (): string =>
      JSON.stringify({
        owner,
        host: hostname(),
        pid: process.pid,
        expiresAt: new Date(Date.now() + this.#ttlMs).toISOString(),
      } satisfies LockBody);
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = await this.#readLock();
      if (held) {
        if (Date.parse(held.body.expiresAt) > Date.now()) throw this.#busy(held.body);
        await this.#delete(LOCK_FILE, held.etag).catch((err) => (isPreconditionFailed(err) ? undefined : Promise.reject(err))); // stale: take over
      }
      try {
        await this.#put(LOCK_FILE, body(), { IfNoneMatch: '*' });
      } catch (err) {
        if (isPreconditionFailed(err)) continue; // another writer created it first
        throw err;
      }
      const mine = await this.#readLock();
      if (mine?.body.owner !== owner) {
        if (mine) throw this.#busy(mine.body); // a server without conditional PUTs: the other PUT landed last
        continue;
      }
      return this.#held(owner, mine.etag, body);
    }
    throw new ShortlistError('INTERNAL', `could not take the writer lock ${this.#uri(LOCK_FILE)}; try again`);
  }

  /** The held lock: renewed on a timer, checked before commit, deleted on release. */
  #held(owner: string, etag: string | undefined, body: () => string): WriterLock {
    let lost: string | undefined;
    let released = false;
    let renewing: Promise<void> = Promise.resolve();
    const renew = async () => {
      const now = await this.#readLock();
      if (now?.body.owner !== owner) {
        lost = now ? `another writer (${now.body.host} pid ${now.body.pid}) took it over` : 'it was removed';
        return;
      }
      etag = (await this.#put(LOCK_FILE, body(), now.etag ? { IfMatch: now.etag } : {})).ETag ?? etag;
    };
    const timer = setInterval(
      () => {
        renewing = renewing.then(renew).catch(() => {}); // a failed renewal is seen by check() as an expired lock
      },
      Math.max(1, Math.floor(this.#ttlMs / 3)),
    );
    timer.unref();
    return {
      check: async () => {
        await renewing;
        const now = await this.#readLock();
        if (!lost && now?.body.owner !== owner)
          lost = now ? `another writer (${now.body.host} pid ${now.body.pid}) took it over` : 'it was removed';
        if (!lost && Date.parse(now!.body.expiresAt) <= Date.now()) lost = 'it expired before it could be renewed';
        if (lost)
          throw new ShortlistError(
            'CONFLICT',
            `lost the writer lock ${this.#uri(LOCK_FILE)} (${lost}); nothing was committed, retry the write`,
          );
      },
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await renewing;
        const now = await this.#readLock();
        if (now?.body.owner === owner) await this.#delete(LOCK_FILE, now.etag).catch(() => {}); // left in place, it goes stale
      },
    };
  }

  /** {@inheritDoc ManifestStorage.close} */
  close(): void {
    this.#client.destroy();
  }

  #busy(held: LockBody): ShortlistError {
    return new ShortlistError(
      'CONFLICT',
      `another writer (${held.host} pid ${held.pid}) is changing the collection at ${this.location}; wait for it to finish (its lock ${this.#uri(LOCK_FILE)} goes stale at ${held.expiresAt})`,
    );
  }

  async #readLock(): Promise<{ body: LockBody; etag?: string } | undefined> {
    const got = await this.#get(LOCK_FILE);
    if (!got) return undefined;
    try {
      return { body: JSON.parse(got.text) as LockBody, etag: got.etag };
    } catch {
      return { body: { owner: '?', host: '?', pid: 0, expiresAt: new Date(0).toISOString() }, etag: got.etag }; // unreadable: stale
    }
  }

  async #get(name: string): Promise<{ text: string; etag?: string } | undefined> {
    return this.#call(`read ${this.#uri(name)}`, async () => {
      try {
        const out = await this.#client.send(new (s3().GetObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name) }));
        return { text: await out.Body!.transformToString('utf8'), etag: out.ETag };
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    });
  }

  #put(name: string, body: string, conditions: { IfNoneMatch?: string; IfMatch?: string }) {
    return this.#call(`write ${this.#uri(name)}`, () =>
      this.#client.send(
        new (s3().PutObjectCommand)({
          Bucket: this.#bucket,
          Key: this.#key(name),
          Body: body,
          ContentType: 'application/json',
          ...conditions,
        }),
      ),
    );
  }

  async #delete(name: string, etag: string | undefined): Promise<void> {
    await this.#call(`delete ${this.#uri(name)}`, () =>
      this.#client.send(new (s3().DeleteObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name), ...(etag ? { IfMatch: etag } : {}) })),
    );
  }

  /** Runs an S3 request (see `callS3`); precondition failures pass through. */
  #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return callS3(what, this.#bucket, fn, isPreconditionFailed);
  }

  #key(name: string): string {
    return this.#prefix ? `${this.#prefix}/${name}` : name;
  }

  #uri(name: string): string {
    return `${this.location}/${name}`;
  }
}

/** Whether an S3 error is a failed condition (412, or 409 for a concurrent conditional write). */
function isPreconditionFailed(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 412 || e?.name === 'PreconditionFailed' || e?.name === 'ConditionalRequestConflict';
}
