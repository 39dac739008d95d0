/** Durability helpers shared by every atomic write (BM25 segments, collection manifests, config JSON). */
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flushes a directory's entries (a rename inside it) to disk; a no-op on Windows, which cannot open a directory. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `value` as JSON (indented by `indent`, newline-terminated) to `path` atomically: a temp
 * file beside it, flushed, renamed over `path`, the directory flushed. A crash at any moment leaves
 * the previous file or the new one, whole.
 */
export function writeJsonAtomic(path: string, value: unknown, options: { indent?: number } = {}): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, JSON.stringify(value, null, options.indent) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
