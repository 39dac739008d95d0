/**
 * Small JSON objects under an S3 prefix (a collection's pipeline and side config, the names of the
 * collections under a root prefix), through `@aws-sdk/client-s3` with the same settings the
 * LanceDB store uses (`s3Settings`: endpoint, region, keys or profile from the environment).
 */
import type * as S3 from '@aws-sdk/client-s3';
import { ShortlistError } from '../../core/errors.ts';
import { parseLocation, s3Settings } from '../../store/lancedb/location.ts';
import { callS3 } from '../../store/lancedb/s3-call.ts';
import { requireOptional } from '../../core/optional.ts';

/** The AWS SDK loads with the first S3 client (an optional peer dependency). */
const s3 = (): typeof S3 => requireOptional<typeof S3>('@aws-sdk/client-s3');

/** Objects under one `s3://bucket/prefix`. */
export class S3Objects {
  /** The location as parsed: `s3://bucket/prefix` without a trailing slash. */
  readonly uri: string;
  readonly #client: S3.S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  /** Objects under `location` (`s3://bucket/prefix`), with the S3 settings read from `env`. */
  constructor(location: string, env: NodeJS.ProcessEnv = process.env) {
    const loc = parseLocation(location);
    if (loc.kind !== 's3') throw new ShortlistError('INVALID_ARGUMENT', `${location} is not an S3 location; write s3://bucket/prefix`);
    const s = s3Settings(env);
    this.uri = loc.uri;
    this.#bucket = loc.bucket;
    this.#prefix = loc.prefix;
    this.#client = new (s3().S3Client)({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
      ...(s.credentials ? { credentials: s.credentials } : {}),
      ...(s.profile ? { profile: s.profile } : {}),
    });
  }

  /** The address of object `name`, for messages. */
  place(name: string): string {
    return `${this.uri}/${name}`;
  }

  /** The text of object `name`; undefined when there is none. */
  async get(name: string): Promise<string | undefined> {
    return this.#call(`read ${this.place(name)}`, async () => {
      try {
        const out = await this.#client.send(new (s3().GetObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name) }));
        return await out.Body!.transformToString('utf8');
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    });
  }

  /** Whether object `name` exists. */
  async has(name: string): Promise<boolean> {
    return this.#call(`read ${this.place(name)}`, async () => {
      try {
        await this.#client.send(new (s3().HeadObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name) }));
        return true;
      } catch (err) {
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return false;
        throw err;
      }
    });
  }

  /** Writes `text` as object `name` (one PUT: readers see the old object or the new one). */
  async put(name: string, text: string): Promise<void> {
    await this.#call(`write ${this.place(name)}`, () =>
      this.#client.send(
        new (s3().PutObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name), Body: text, ContentType: 'application/json' }),
      ),
    );
  }

  /** The bytes of object `name`; undefined when there is none. Counted in {@link reads}. */
  async getBytes(name: string): Promise<Uint8Array | undefined> {
    return this.#call(`read ${this.place(name)}`, async () => {
      try {
        const out = await this.#client.send(new (s3().GetObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name) }));
        const bytes = await out.Body!.transformToByteArray();
        this.reads.gets++;
        this.reads.bytes += bytes.length;
        return bytes;
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    });
  }

  /** Writes `bytes` as object `name` (one PUT). */
  async putBytes(name: string, bytes: Uint8Array): Promise<void> {
    await this.#call(`write ${this.place(name)}`, () =>
      this.#client.send(
        new (s3().PutObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name), Body: bytes, ContentType: 'application/octet-stream' }),
      ),
    );
  }

  /** Deletes object `name` (a missing one is not an error). */
  async delete(name: string): Promise<void> {
    await this.#call(`delete ${this.place(name)}`, () =>
      this.#client.send(new (s3().DeleteObjectCommand)({ Bucket: this.#bucket, Key: this.#key(name) })),
    );
  }

  /** The names of every object under `sub/` (relative to it). */
  async names(sub: string): Promise<string[]> {
    return [...(await this.sizes(sub)).keys()];
  }

  /** The size of every object under `sub/`, by name (relative to it). */
  async sizes(sub: string): Promise<Map<string, number>> {
    const base = `${this.#prefix ? `${this.#prefix}/` : ''}${sub}/`;
    const sizes = new Map<string, number>();
    let token: string | undefined;
    do {
      const out = await this.#call(`list ${this.uri}/${sub}`, () =>
        this.#client.send(new (s3().ListObjectsV2Command)({ Bucket: this.#bucket, Prefix: base, ContinuationToken: token })),
      );
      for (const o of out.Contents ?? []) if (o.Key) sizes.set(o.Key.slice(base.length), o.Size ?? 0);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return sizes;
  }

  /** GETs of binary objects through this client and the bytes they returned (tests count what a replica reads). */
  readonly reads = { gets: 0, bytes: 0 };

  /** The names of the sub-prefixes ("folders") directly under the prefix. */
  async folders(): Promise<string[]> {
    const base = this.#prefix ? `${this.#prefix}/` : '';
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.#call(`list ${this.uri}`, () =>
        this.#client.send(
          new (s3().ListObjectsV2Command)({ Bucket: this.#bucket, Prefix: base, Delimiter: '/', ContinuationToken: token }),
        ),
      );
      for (const p of out.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(base.length).replace(/\/$/, ''));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  /** Frees the client's sockets. */
  close(): void {
    this.#client.destroy();
  }

  #key(name: string): string {
    return this.#prefix ? `${this.#prefix}/${name}` : name;
  }

  /** Runs an S3 request (see `callS3`). */
  #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return callS3(what, this.#bucket, fn);
  }
}
