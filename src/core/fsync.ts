/** Durability helpers shared by every atomic write (BM25 segments, collection manifests). */
import { closeSync, fsyncSync, openSync } from 'node:fs';

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
