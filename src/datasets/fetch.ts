/**
 * Download one URL to a file while hashing it (md5), with retries: a network error, a retryable
 * status (429, 5xx), a truncated body (fewer bytes than Content-Length) or a checksum mismatch is
 * tried again after a jittered backoff; a 404 or another 4xx is final. The file is written where
 * the caller says (a temporary folder): this module never gives it its final name.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { ShortlistError } from '../core/errors.ts';
import { backoffMs, RETRYABLE_STATUS, sleep } from '../models/remote/http.ts';

/** Options of {@link fetchToFile}. */
export interface FetchFileOptions {
  /** md5 (hex) the body must have; undefined accepts any body (the digest is still returned). */
  md5?: string;
  /** Exact size in bytes the body must have, where known in advance. @default the Content-Length */
  bytes?: number;
  /** Extra attempts after a retryable failure. @default 2 */
  retries?: number;
  /** First backoff step in milliseconds (attempt n waits a random time up to base·2ⁿ). @default 500 */
  backoffBaseMs?: number;
  /** Called as bytes arrive: received so far and the expected total (0 when unknown). */
  onBytes?: (received: number, total: number) => void;
  /** Cancels the download. */
  signal?: AbortSignal;
  /** fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** What a completed download was. */
export interface FetchedFile {
  bytes: number;
  md5: string;
  attempts: number;
}

/** A failure worth another try, and the words that describe it. */
class Retryable extends Error {}

/** Downloads `url` into `path` (overwritten), checking size and md5; resolves to what was received. */
export async function fetchToFile(url: string, path: string, options: FetchFileOptions = {}): Promise<FetchedFile> {
  const retries = options.retries ?? 2;
  const failures: string[] = [];
  for (let attempt = 0; attempt <= retries; attempt++) {
    options.signal?.throwIfAborted();
    if (attempt > 0) await sleep(backoffMs(attempt - 1, options.backoffBaseMs ?? 500, 20_000), options.signal);
    try {
      const got = await fetchOnce(url, path, options);
      return { ...got, attempts: attempt + 1 };
    } catch (err) {
      await rm(path, { force: true });
      if (options.signal?.aborted) throw new ShortlistError('ABORTED', `download of ${url} was cancelled`, { cause: err });
      if (!(err instanceof Retryable)) throw err;
      failures.push(err.message);
    }
  }
  throw new ShortlistError(
    'NETWORK_ERROR',
    `could not download ${url} after ${retries + 1} attempt${retries === 0 ? '' : 's'} (${failures.join('; ')})`,
  );
}

async function fetchOnce(url: string, path: string, options: FetchFileOptions): Promise<Omit<FetchedFile, 'attempts'>> {
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { signal: options.signal, redirect: 'follow' });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Retryable(`network error: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    if (RETRYABLE_STATUS.has(res.status)) throw new Retryable(`HTTP ${res.status}`);
    throw new ShortlistError(
      res.status === 404 ? 'NOT_FOUND' : 'NETWORK_ERROR',
      `${url} answered HTTP ${res.status} ${res.statusText}`.trim(),
    );
  }
  const header = Number(res.headers.get('content-length') ?? NaN);
  const expected = options.bytes ?? (Number.isFinite(header) ? header : undefined);
  const hash = createHash('md5');
  const out = await open(path, 'w');
  let received = 0;
  try {
    if (!res.body) throw new Retryable('empty response');
    const reader = res.body.getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (options.signal?.aborted) throw err;
        throw new Retryable(`transfer broke off after ${received} bytes`);
      }
      if (chunk.done) break;
      received += chunk.value.byteLength;
      if (expected !== undefined && received > expected) {
        await reader.cancel();
        throw new Retryable(`received more than the expected ${expected} bytes`);
      }
      hash.update(chunk.value);
      await out.write(chunk.value);
      options.onBytes?.(received, expected ?? 0);
    }
  } finally {
    await out.close();
  }
  if (expected !== undefined && received !== expected) throw new Retryable(`received ${received} of ${expected} bytes (truncated)`);
  const md5 = hash.digest('hex');
  if (options.md5 !== undefined && md5 !== options.md5.toLowerCase())
    throw new Retryable(`md5 ${md5} differs from the expected ${options.md5}`);
  return { bytes: received, md5 };
}
