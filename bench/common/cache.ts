/** Where benchmarks keep generated files (models, inputs, runs) between runs. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$SHORTLIST_BENCH_CACHE`, else `$XDG_CACHE_HOME/shortlist/bench`, else `~/.cache/shortlist/bench`. */
export function benchCacheDir(): string {
  if (process.env.SHORTLIST_BENCH_CACHE) return process.env.SHORTLIST_BENCH_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shortlist', 'bench');
}
