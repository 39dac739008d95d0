/**
 * Where BM25 segment files live: a flat namespace of immutable byte blobs, put once and read by
 * name. The same segments are files in a collection folder, objects under an S3 prefix or rows in
 * a database (e.g. a `bytea` column): BM25 is one implementation over this small interface.
 *
 * Rules every implementation keeps:
 * 1. `put` is durable when it resolves (fsynced file, completed PUT, committed row) and never
 *    replaces an existing name (names are unique; a writer never reuses one).
 * 2. A blob is visible to readers only through a manifest that names it; `list` is for garbage
 *    collection and `shortlist check`, never for deciding what a version holds.
 * 3. `delete` of a missing name is not an error.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { fsyncDir } from '../../core/fsync.ts';

/** Immutable named byte blobs (see the module comment). */
export interface SegmentStore {
  /** For messages: the folder, bucket prefix or table. */
  readonly display: string;
  /** Stores `bytes` under `name` durably; the name must be new. */
  put(name: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under `name`; NOT_FOUND when there are none. */
  get(name: string): Promise<Uint8Array>;
  /** Every stored name (any order). */
  list(): Promise<string[]>;
  /** Removes `name`; a missing name is ignored. */
  delete(name: string): Promise<void>;
  /** A local file holding `name`, when the store is a folder: large document records are then read lazily by offset. */
  localPath?(name: string): string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** Throws INVALID_ARGUMENT for a name that is not a plain file name. */
export function checkSegmentName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) throw new ShortlistError('INVALID_ARGUMENT', `"${name}" is not a valid segment file name`);
}

/** Segment files in one folder: write to a temporary name, fsync, rename, fsync the folder. */
export class FsSegmentStore implements SegmentStore {
  constructor(readonly dir: string) {}

  get display(): string {
    return this.dir;
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    checkSegmentName(name);
    mkdirSync(this.dir, { recursive: true });
    const final = join(this.dir, name);
    if (existsSync(final)) throw new ShortlistError('INTERNAL', `segment file ${name} already exists in ${this.dir}`);
    const temp = join(this.dir, `.tmp-${name}-${process.pid}`);
    const fd = openSync(temp, 'w');
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, final);
    fsyncDir(this.dir);
  }

  async get(name: string): Promise<Uint8Array> {
    checkSegmentName(name);
    try {
      return readFileSync(join(this.dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ShortlistError('NOT_FOUND', `segment file ${name} is missing from ${this.dir}`);
      throw err;
    }
  }

  async list(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir);
  }

  async delete(name: string): Promise<void> {
    rmSync(join(this.dir, name), { force: true });
  }

  localPath(name: string): string {
    checkSegmentName(name);
    return join(this.dir, name);
  }
}

/** Segment blobs in memory (tests, and collections rebuilt in memory). */
export class MemorySegmentStore implements SegmentStore {
  readonly blobs = new Map<string, Uint8Array>();
  readonly display = 'memory';
  /** Bytes returned by `get` so far (tests count what a reader fetched). */
  bytesRead = 0;
  gets = 0;

  async put(name: string, bytes: Uint8Array): Promise<void> {
    checkSegmentName(name);
    if (this.blobs.has(name)) throw new ShortlistError('INTERNAL', `segment file ${name} already exists`);
    this.blobs.set(name, bytes.slice());
  }

  async get(name: string): Promise<Uint8Array> {
    const b = this.blobs.get(name);
    if (!b) throw new ShortlistError('NOT_FOUND', `segment file ${name} is missing`);
    this.bytesRead += b.length;
    this.gets++;
    return b;
  }

  async list(): Promise<string[]> {
    return [...this.blobs.keys()];
  }

  async delete(name: string): Promise<void> {
    this.blobs.delete(name);
  }
}
