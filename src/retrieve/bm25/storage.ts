/**
 * Atomic, versioned index directories. `<dir>/CURRENT` names the live version folder
 * (`v000001/`, `v000002/`, …). A save writes a new version under a temporary name, fsyncs its
 * files and folder, renames it into place, then replaces CURRENT through a fsynced temporary file
 * and a rename (atomic on POSIX file systems), and only then removes older versions. A write that
 * fails or is killed at any point leaves CURRENT naming the previous, complete version; leftover
 * temporary folders are ignored when opening and removed by the next save. One writer at a time.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';

/** The file naming the live version. */
export const CURRENT_FILE = 'CURRENT';
const VERSION = /^v(\d{6})$/;
const TEMP_PREFIX = '.tmp-';

/** Test hook: called with the name of each step of a save; throwing from it simulates a crash there. */
export type SaveStepHook = (step: 'files-written' | 'version-renamed' | 'current-staged' | 'committed') => void;

/** How to tell a user to rebuild. */
export function rebuildHint(dir: string): string {
  return `rebuild it with \`shortlist index <source> --out ${dir}\``;
}

/** The live version folder of the index in `dir`; throws a clear error when `dir` holds no index. */
export function currentVersionDir(dir: string): string {
  if (!existsSync(dir))
    throw new ShortlistError(
      'NOT_FOUND',
      `no index at ${dir}: the directory does not exist; build one with \`shortlist index <source> --out ${dir}\``,
    );
  if (!statSync(dir).isDirectory())
    throw new ShortlistError(
      'NOT_FOUND',
      `${dir} is a file, not an index directory; build an index with \`shortlist index <source> --out <dir>\``,
    );
  const currentPath = join(dir, CURRENT_FILE);
  if (!existsSync(currentPath)) {
    throw new ShortlistError(
      'NOT_FOUND',
      `${dir} is not a shortlist index (it has no ${CURRENT_FILE} file); build one with \`shortlist index <source> --out ${dir}\``,
    );
  }
  const name = readFileSync(currentPath, 'utf8').trim();
  const versionDir = join(dir, name);
  if (!VERSION.test(name) || !existsSync(versionDir)) {
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `${currentPath} names "${name}", which is not a version folder of this index; ${rebuildHint(dir)}`,
    );
  }
  return versionDir;
}

/**
 * Writes a new version of the index in `dir` atomically: `write(folder)` must create and fsync the
 * version's files in `folder`. Returns the new version folder.
 */
export function writeVersion(dir: string, write: (folder: string) => void, onStep?: SaveStepHook): string {
  mkdirSync(dir, { recursive: true });
  const entries = readdirSync(dir);
  if (!entries.includes(CURRENT_FILE)) {
    const foreign = entries.filter((e) => !VERSION.test(e) && !e.startsWith(TEMP_PREFIX));
    if (foreign.length > 0) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `refusing to write an index into ${dir}: it is not empty and not an index (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); choose an empty or new directory`,
      );
    }
  }
  let last = 0;
  for (const e of entries) {
    const m = VERSION.exec(e);
    if (m) last = Math.max(last, Number(m[1]));
  }
  const name = `v${String(last + 1).padStart(6, '0')}`;
  const temp = join(dir, `${TEMP_PREFIX}${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const final = join(dir, name);
  let committed = false;
  try {
    mkdirSync(temp);
    write(temp);
    fsyncPath(temp);
    onStep?.('files-written');
    renameSync(temp, final);
    fsyncPath(dir);
    onStep?.('version-renamed');
    const stagedCurrent = `${temp}-CURRENT`;
    writeDurably(stagedCurrent, `${name}\n`);
    onStep?.('current-staged');
    renameSync(stagedCurrent, join(dir, CURRENT_FILE));
    fsyncPath(dir);
    committed = true;
    onStep?.('committed');
  } catch (err) {
    if (!committed) {
      rmSync(temp, { recursive: true, force: true });
      rmSync(`${temp}-CURRENT`, { force: true });
      rmSync(final, { recursive: true, force: true });
    }
    throw err;
  }
  // The new version is live: older versions and stale temporaries can go.
  // Best effort: a folder still held open elsewhere (Windows) is left for the next save.
  for (const e of readdirSync(dir)) {
    if ((VERSION.test(e) && e !== name) || e.startsWith(TEMP_PREFIX)) {
      try {
        rmSync(join(dir, e), { recursive: true, force: true });
      } catch {
        // ignored: stale versions are never read, and the next save retries
      }
    }
  }
  return final;
}

/** Writes `data` to a new file and fsyncs it. */
export function writeDurably(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    if (typeof data === 'string') writeFileSync(fd, data);
    else {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a typed array's bytes (platform byte order, little-endian everywhere Node runs) to a new file. */
export function writeArray(path: string, array: ArrayBufferView): void {
  writeDurably(path, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

/** Reads a whole file into a fresh, aligned ArrayBuffer. */
export function readBytes(path: string): ArrayBuffer {
  const size = statSync(path).size;
  const buffer = new ArrayBuffer(size);
  const view = new Uint8Array(buffer);
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    while (got < size) {
      const n = readSync(fd, view, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return buffer;
}

/** Fsyncs a file or folder. Folders cannot be opened for fsync on Windows; there the rename is already durable. */
function fsyncPath(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    closeSync(fd);
  }
}
