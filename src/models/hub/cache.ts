/**
 * Where downloaded models live. The layout is the Hugging Face hub cache's, so a cache filled by
 * Python's `huggingface_hub` (or by transformers) is reused and vice versa:
 *
 * ```
 * <root>/models--<org>--<name>/blobs/<etag>            file contents (etag = LFS sha256 or git blob sha1)
 * <root>/models--<org>--<name>/snapshots/<commit>/<path>  hard link to blobs/<etag> (a copy where links fail)
 * <root>/models--<org>--<name>/refs/<revision>          the commit sha a branch or tag pointed to
 * ```
 *
 * Python writes symlinks in `snapshots/`; shortlist writes hard links instead (ONNX Runtime refuses
 * external-data files reached through a symlink that leaves the model folder) and replaces the
 * symlinks of the ONNX files it is asked for. Both layouts read the same.
 *
 * A blob only ever appears under its final name after its size and hash were checked, so a file
 * in `blobs/` or `snapshots/` is trusted without re-hashing.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';

/** Environment variables the hub code reads (all optional). */
export type HubEnv = Readonly<Record<string, string | undefined>>;

/**
 * The cache root: `SHORTLIST_CACHE`, else `HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 * `~/.cache/huggingface/hub`.
 */
export function cacheRoot(env: HubEnv = process.env): string {
  if (env.SHORTLIST_CACHE) return env.SHORTLIST_CACHE;
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface', 'hub');
}

/** True when offline mode is on: `SHORTLIST_OFFLINE` or `HF_HUB_OFFLINE` set to `1`/`true`/`yes`/`on`. */
export function isOfflineEnv(env: HubEnv = process.env): boolean {
  return [env.SHORTLIST_OFFLINE, env.HF_HUB_OFFLINE].some((v) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim()));
}

/** The hub endpoint: `HF_ENDPOINT` without a trailing slash, default `https://huggingface.co`. */
export function hubEndpoint(env: HubEnv = process.env): string {
  return (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
}

/** A 40-hex git commit sha. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** Paths inside the cache for one repo. */
export interface RepoCache {
  /** `<root>/models--org--name`. */
  dir: string;
  /** Folder of content-addressed blobs. */
  blobs: string;
  /** Snapshot folder for a commit. */
  snapshot(commit: string): string;
  /** File recording which commit `revision` pointed to. */
  ref(revision: string): string;
}

/** The cache folders of `repo` (`org/name`) under `root`. */
export function repoCache(root: string, repo: string): RepoCache {
  const dir = join(root, `models--${repo.split('/').join('--')}`);
  return {
    dir,
    blobs: join(dir, 'blobs'),
    snapshot: (commit) => join(dir, 'snapshots', commit),
    ref: (revision) => join(dir, 'refs', revision),
  };
}

/** The commit a revision resolves to from the cache alone (a sha is itself), or undefined. */
export async function cachedCommit(cache: RepoCache, revision: string): Promise<string | undefined> {
  if (COMMIT_SHA.test(revision)) return revision;
  try {
    const sha = (await readFile(cache.ref(revision), 'utf8')).trim();
    return COMMIT_SHA.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}
