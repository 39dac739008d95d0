/**
 * Download one file of a hub repo into the cache's `blobs/` folder: streamed to a temporary file,
 * its size and hash checked against what the hub reports (sha256 for LFS files, the git blob sha1
 * for plain files), then renamed into place atomically. A truncated or corrupt transfer is retried;
 * nothing unverified ever takes the final name.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { copyFile, link, lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';

/** What the hub says a file is: size, and the hash that names its blob. */
export interface RemoteFile {
  /** Path inside the repo. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Hex digest the content must have. */
  hash: string;
  /** `sha256` for LFS files; `git-sha1` (sha1 of `blob <size>\0<content>`) for plain git files. */
  algorithm: 'sha256' | 'git-sha1';
}

/** Everything one download needs. */
export interface BlobDownload {
  /** Hub repo id, `org/name`. */
  repo: string;
  /** Commit sha the file is fetched at. */
  commit: string;
  /** The file and the size/hash it must have. */
  file: RemoteFile;
  /** Final blob path, `<cache>/blobs/<hash>`. */
  blobPath: string;
  /** Hub endpoint (HF_ENDPOINT). */
  hubUrl: string;
  /** Bearer token for private or gated repos (HF_TOKEN). */
  accessToken?: string;
  /** fetch to use (carries the abort signal). */
  fetch: typeof fetch;
  /** Called with the bytes received so far for this attempt. */
  onBytes?: (loaded: number) => void;
  signal?: AbortSignal;
  /** Attempts before giving up. @default 3 */
  attempts?: number;
}

/** Download, verify and move a blob into place; resolves to its path. */
export async function downloadBlob(job: BlobDownload): Promise<string> {
  const attempts = job.attempts ?? 3;
  const failures: string[] = [];
  await mkdir(dirname(job.blobPath), { recursive: true });
  for (let attempt = 1; attempt <= attempts; attempt++) {
    job.signal?.throwIfAborted();
    const tmp = `${job.blobPath}.${process.pid}.${randomBytes(4).toString('hex')}.incomplete`;
    try {
      const problem = await fetchToFile(job, tmp);
      if (problem === undefined) {
        await rename(tmp, job.blobPath);
        return job.blobPath;
      }
      failures.push(problem);
    } catch (err) {
      if (job.signal?.aborted)
        throw new ShortlistError('ABORTED', `download of ${job.file.path} from ${job.repo} was cancelled`, { cause: err });
      if (err instanceof ShortlistError) throw err;
      failures.push(`transfer failed: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  throw new ShortlistError(
    'NETWORK_ERROR',
    `could not download ${job.file.path} of ${job.repo}@${job.commit} from ${job.hubUrl} after ${attempts} attempts (${failures.join('; ')}); check the network or HF_ENDPOINT and retry`,
  );
}

/** Stream the file to `tmp`; undefined when size and hash match, else what was wrong. */
async function fetchToFile(job: BlobDownload, tmp: string): Promise<string | undefined> {
  const { file } = job;
  const { downloadFile } = await import('@huggingface/hub'); // loads on the first download, not with the library
  const blob = await downloadFile({
    repo: job.repo,
    path: file.path,
    revision: job.commit,
    hubUrl: job.hubUrl,
    accessToken: job.accessToken,
    fetch: job.fetch,
    xet: false,
  });
  if (!blob) {
    throw new ShortlistError('NOT_FOUND', `${file.path} is not in ${job.repo}@${job.commit} on ${job.hubUrl}`);
  }
  const hash = startHash(file);
  const out = await open(tmp, 'w');
  let loaded = 0;
  try {
    const reader = blob.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (loaded > file.size) {
        await reader.cancel();
        return `received more than the expected ${file.size} bytes`;
      }
      hash.update(value);
      await out.write(value);
      job.onBytes?.(loaded);
    }
  } finally {
    await out.close();
  }
  if (loaded !== file.size) return `received ${loaded} of ${file.size} bytes`;
  const digest = hash.digest('hex');
  if (digest !== file.hash) return `${file.algorithm} ${digest} differs from the expected ${file.hash}`;
  return undefined;
}

function startHash(file: RemoteFile): Hash {
  if (file.algorithm === 'sha256') return createHash('sha256');
  return createHash('sha1').update(`blob ${file.size}\0`);
}

/** Hash a file already on disk the way `file` expects; used to re-verify cached blobs on request. */
export async function hashFile(path: string, file: Pick<RemoteFile, 'algorithm' | 'size'>): Promise<string> {
  const hash = startHash({ ...file, path: '', hash: '' });
  const fh = await open(path, 'r');
  try {
    for await (const chunk of fh.createReadStream()) hash.update(chunk as Buffer);
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/**
 * Make `linkPath` (inside a snapshot) a hard link to `blobPath`, replacing any old entry
 * atomically; copies the blob where hard links fail (another file system).
 *
 * Hard links, not the symlinks Python's huggingface_hub makes: ONNX Runtime (≥ 1.21) refuses an
 * external-data file whose resolved path leaves the model's folder ("External data path escapes
 * model directory"), which a symlink into `blobs/` does. A hard link costs no extra space.
 */
export async function linkIntoSnapshot(blobPath: string, linkPath: string): Promise<void> {
  await mkdir(dirname(linkPath), { recursive: true });
  const tmp = join(dirname(linkPath), `.${randomBytes(4).toString('hex')}.link`);
  try {
    await link(blobPath, tmp);
  } catch {
    await copyFile(blobPath, tmp);
  }
  try {
    await rename(tmp, linkPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * If `path` is a symlink (a snapshot written by Python's huggingface_hub), replace it by a hard
 * link to its target so ONNX Runtime accepts it; other entries are left alone.
 */
export async function dereferenceLink(path: string): Promise<void> {
  let isLink = false;
  try {
    isLink = (await lstat(path)).isSymbolicLink();
  } catch {
    return;
  }
  if (isLink) await linkIntoSnapshot(await realpath(path), path);
}

/** Size of the file at `path` (following links), or undefined when it does not exist. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}
