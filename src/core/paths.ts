/** Where shortlist keeps its caches: never inside a dataset folder, which may be read-only. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The root of shortlist's cache: `SHORTLIST_CACHE`, else `$XDG_CACHE_HOME/shortlist`,
 * else `~/.cache/shortlist`.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHORTLIST_CACHE) return env.SHORTLIST_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shortlist');
}

/** A named sub-directory of the cache root, e.g. `cacheDir('bm25')`. */
export function cacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), name);
}
