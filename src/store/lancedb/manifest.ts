/**
 * The commit protocol of a LanceDB collection. LanceDB versions each table on its own; a
 * collection has two (documents, chunks), so the collection's version is a manifest file naming
 * one version of each table:
 *
 * 1. A writer takes `LOCK` (one writer at a time; a lock left by a dead process is taken over).
 * 2. It restores both tables to the manifest's versions, dropping whatever a failed or killed
 *    writer left after them.
 * 3. It writes new table versions; readers never see them, since readers check out the versions
 *    the manifest names.
 * 4. It commits by writing `MANIFEST.json` to a temporary file, fsyncing it and renaming it over
 *    the old one (atomic on POSIX), then fsyncing the folder.
 * A crash before step 4 leaves the previous manifest, hence the previous version, in force.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { fsyncDir } from '../../core/fsync.ts';
import { testPoint } from '../../core/test-points.ts';
import type { Fingerprint } from '../fingerprint.ts';
import type { ManifestParts } from '../parts.ts';
import type { Distance, FieldType } from '../types.ts';
import type { AnnSearchSetting } from './calibrate.ts';
import type { VectorIndexPart } from './vector-index.ts';

/** File naming the committed version. */
export const MANIFEST_FILE = 'MANIFEST.json';
const LOCK_FILE = 'LOCK';
const FORMAT = 'shortlist-collection';
const FORMAT_VERSION = 1;

/** The committed state of a collection. */
export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  /** Collection version: 1 when created, +1 per commit. */
  version: number;
  fingerprint: Fingerprint;
  dims: number;
  tokenDims?: number;
  distance: Distance;
  /** LanceDB table versions this collection version consists of. */
  tables: { documents: number; chunks: number };
  counts: { documents: number; chunks: number };
  fields: Record<string, FieldType>;
  /** Whether the chunks table has an ANN index on its vectors. */
  ann: boolean;
  /** How searches use the index, as the commit that last (re)built it calibrated them; absent in versions written before calibration. */
  annSearch?: AnnSearchSetting;
  /** The in-process vector index part of this version (see `vector-index.ts`); absent when searches go through LanceDB. */
  vectorIndex?: VectorIndexPart;
  committedAt: string;
  /** The version's other parts (BM25 segments, …) by name; see `../parts.ts`. Absent in versions written before parts. */
  parts?: ManifestParts;
}

/** A manifest for a new collection. */
export function newManifest(init: Pick<Manifest, 'fingerprint' | 'dims' | 'tokenDims' | 'distance' | 'tables'>): Manifest {
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    version: 1,
    counts: { documents: 0, chunks: 0 },
    fields: {},
    ann: false,
    committedAt: new Date().toISOString(),
    ...init,
  };
}

/** Reads the committed manifest; NOT_FOUND when `dir` holds no collection. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw noCollection(dir);
  return parseManifest(readFileSync(path, 'utf8'), path);
}

/** The NOT_FOUND error for a location without a manifest. */
export function noCollection(location: string): ShortlistError {
  return new ShortlistError(
    'NOT_FOUND',
    `no collection at ${location} (it has no ${MANIFEST_FILE}); create one with \`shortlist init ${location}\``,
  );
}

/** Parses and checks the manifest text read from `path`. */
export function parseManifest(text: string, path: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (err) {
    throw new ShortlistError('INDEX_CORRUPT', `${path} is not valid JSON; the collection is damaged, rebuild it`, { cause: err });
  }
  if (m?.format !== FORMAT) throw new ShortlistError('INDEX_CORRUPT', `${path} is not a shortlist collection manifest`);
  if (m.formatVersion !== FORMAT_VERSION) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${path} has format version ${m.formatVersion}; this shortlist reads version ${FORMAT_VERSION}; rebuild the collection`,
    );
  }
  return m;
}

/** The manifest text as committed. */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Where a collection keeps its manifest and writer lock: a directory (`manifest-fs.ts`) or an
 * object-storage prefix (`manifest-s3.ts`).
 */
export interface ManifestStorage {
  /** The location, for messages. */
  readonly location: string;
  /** Prepares the location for a new collection (creates the directory). */
  prepare(): Promise<void>;
  /** The committed manifest; undefined when the location holds no collection. */
  read(): Promise<Manifest | undefined>;
  /** Commits `manifest` atomically: readers see the old one or the new one, never a mix. */
  write(manifest: Manifest): Promise<void>;
  /** Takes the writer lock; refuses (INVALID_ARGUMENT) while another live writer holds it. */
  lock(): Promise<WriterLock>;
  /** Frees the client (sockets); the storage is unusable afterwards. */
  close(): void;
}

/** A held writer lock. */
export interface WriterLock {
  /** Throws when the lock was lost (taken over as stale); called right before a commit. */
  check(): Promise<void>;
  /** Releases the lock (idempotent). */
  release(): Promise<void>;
}

/** Commits `manifest` atomically: temporary file, fsync, rename, fsync of the folder. */
export function writeManifest(dir: string, manifest: Manifest): void {
  const temp = join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    writeFileSync(fd, manifestText(manifest));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  testPoint('write:manifest-staged');
  renameSync(temp, join(dir, MANIFEST_FILE));
  fsyncDir(dir);
  testPoint('write:committed');
}

/** Takes the writer lock of `dir`; returns the function that releases it. */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new ShortlistError(
          'CONFLICT',
          `another writer (process ${pid}) is changing the collection at ${dir}; wait for it to finish (remove ${path} only if that process is gone)`,
        );
      }
      rmSync(path, { force: true }); // left by a writer that died: take over
    }
  }
  throw new ShortlistError('INTERNAL', `could not take the writer lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
