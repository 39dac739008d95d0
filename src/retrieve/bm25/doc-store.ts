/**
 * The document store beside a BM25 index: every document (id, title, text, metadata) as one JSON
 * record, addressed by document number. Records live either in memory (documents added since the
 * last save) or in an index file read on demand by offset, so opening an index reads no text.
 */
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { ShortlistError } from '../../core/errors.ts';
import type { Document } from '../../core/types.ts';

/** Where records are kept: a byte range reader over one memory log or one file. */
interface Backing {
  /** Copies `length` bytes starting at `start`. */
  read(start: number, length: number): Buffer;
  close(): void;
}

const CHUNK = 16 << 20;

/** An append-only in-memory log of UTF-8 records, in 16 MiB chunks with no gaps between them. */
export class MemoryLog implements Backing {
  private readonly chunks: Buffer[] = [];
  private readonly chunkStarts: number[] = [];
  private current: Buffer = Buffer.alloc(0);
  private used = 0;
  private total = 0;

  /** @param chunkBytes size of each memory chunk (tests use tiny ones). @default 16 MiB */
  constructor(private readonly chunkBytes = CHUNK) {}

  /** Appends `record`; returns its start and byte length. */
  append(record: string): { start: number; length: number } {
    if (this.current.length - this.used < record.length * 3) {
      this.current = Buffer.allocUnsafe(Math.max(this.chunkBytes, record.length * 3));
      this.chunks.push(this.current);
      this.chunkStarts.push(this.total);
      this.used = 0;
    }
    const length = this.current.write(record, this.used, 'utf8');
    const start = this.total;
    this.used += length;
    this.total += length;
    return { start, length };
  }

  read(start: number, length: number): Buffer {
    let c = this.chunkStarts.length - 1;
    while (c > 0 && this.chunkStarts[c] > start) c--;
    const out = Buffer.allocUnsafe(length);
    let copied = 0;
    while (copied < length) {
      const chunk = this.chunks[c];
      const from = start + copied - this.chunkStarts[c];
      const used = (c + 1 < this.chunks.length ? this.chunkStarts[c + 1] : this.total) - this.chunkStarts[c];
      const n = Math.min(length - copied, used - from);
      chunk.copy(out, copied, from, from + n);
      copied += n;
      c++;
    }
    return out;
  }

  close(): void {}
}

/** Records in one byte buffer (a segment's records fetched from object storage or a database). */
class BufferBacking implements Backing {
  constructor(private readonly bytes: Uint8Array) {}
  read(start: number, length: number): Buffer {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, length);
  }
  close(): void {}
}

/** Records in a file, read with positional reads. */
class FileBacking implements Backing {
  private fd: number;
  constructor(private readonly path: string) {
    this.fd = openSync(path, 'r');
  }
  read(start: number, length: number): Buffer {
    if (this.fd < 0) throw new ShortlistError('INTERNAL', `the document store ${this.path} was read after the index was closed`);
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, out, got, length - got, start + got);
      if (n === 0)
        throw new ShortlistError('INDEX_CORRUPT', `${this.path} ends early (wanted bytes ${start}..${start + length}); rebuild the index`);
      got += n;
    }
    return out;
  }
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** The JSON record stored for a document (keys in a fixed order, absent fields left out). */
export function encodeDocument(doc: Document): string {
  return JSON.stringify({ id: doc.id, title: doc.title, text: doc.text, metadata: doc.metadata });
}

/** Documents by number: which backing holds each record, where it starts and how long it is. */
export class DocStore {
  private constructor(
    private readonly backings: Backing[],
    private readonly which: Uint16Array,
    private readonly starts: Float64Array,
    private readonly lengths: Uint32Array,
  ) {}

  /** A store over the records of `log`, given each record's start and length. */
  static fromLog(log: MemoryLog, starts: Float64Array, lengths: Uint32Array): DocStore {
    return new DocStore([log], new Uint16Array(starts.length), starts, lengths);
  }

  /** A store over `path`, where record i spans `offsets[i]..offsets[i + 1]`. */
  static fromFile(path: string, offsets: Float64Array): DocStore {
    const n = offsets.length - 1;
    const lengths = new Uint32Array(n);
    for (let i = 0; i < n; i++) lengths[i] = offsets[i + 1] - offsets[i];
    return new DocStore([new FileBacking(path)], new Uint16Array(n), offsets.subarray(0, n), lengths);
  }

  /** A store over `bytes`, where record i spans `offsets[i]..offsets[i + 1]`. */
  static fromBytes(bytes: Uint8Array, offsets: Float64Array): DocStore {
    const n = offsets.length - 1;
    const lengths = new Uint32Array(n);
    for (let i = 0; i < n; i++) lengths[i] = offsets[i + 1] - offsets[i];
    return new DocStore([new BufferBacking(bytes)], new Uint16Array(n), offsets.subarray(0, n), lengths);
  }

  /** Every record, in order, as one buffer, and the record offsets (length size + 1). */
  toBytes(): { bytes: Uint8Array; offsets: Float64Array } {
    const offsets = new Float64Array(this.size + 1);
    let total = 0;
    for (let i = 0; i < this.size; i++) total += this.lengths[i];
    const bytes = Buffer.allocUnsafe(total);
    let pos = 0;
    for (let i = 0; i < this.size; i++) {
      offsets[i] = pos;
      this.backings[this.which[i]].read(this.starts[i], this.lengths[i]).copy(bytes, pos);
      pos += this.lengths[i];
    }
    offsets[this.size] = pos;
    return { bytes, offsets };
  }

  /** An empty store. */
  static empty(): DocStore {
    return new DocStore([], new Uint16Array(0), new Float64Array(0), new Uint32Array(0));
  }

  /** Number of records. */
  get size(): number {
    return this.which.length;
  }

  /** Record i, parsed. */
  get(i: number): Document {
    const raw = this.backings[this.which[i]].read(this.starts[i], this.lengths[i]).toString('utf8');
    return JSON.parse(raw) as Document;
  }

  /**
   * The records of `a` and `b` placed where `mapA` / `mapB` send them (−1: dropped), as
   * `mergeSegments` numbers documents. The result shares the backings of both.
   */
  static merge(a: DocStore, mapA: Int32Array, b: DocStore | null, mapB: Int32Array, count: number): DocStore {
    const backings = b ? [...a.backings, ...b.backings] : [...a.backings];
    if (backings.length > 0xffff) throw new ShortlistError('INTERNAL', 'too many unsaved document batches; save the index');
    const which = new Uint16Array(count);
    const starts = new Float64Array(count);
    const lengths = new Uint32Array(count);
    const place = (s: DocStore, map: Int32Array, base: number): void => {
      for (let i = 0; i < s.size; i++) {
        const to = map[i];
        if (to < 0) continue;
        which[to] = s.which[i] + base;
        starts[to] = s.starts[i];
        lengths[to] = s.lengths[i];
      }
    };
    place(a, mapA, 0);
    if (b) place(b, mapB, a.backings.length);
    return new DocStore(backings, which, starts, lengths);
  }

  /**
   * Writes every record, in order, to `path` (created, fsynced) and returns the record offsets
   * (length size + 1). Contiguous records are copied in large reads.
   */
  writeTo(path: string): Float64Array {
    const offsets = new Float64Array(this.size + 1);
    const fd = openSync(path, 'wx');
    try {
      let pos = 0;
      let i = 0;
      while (i < this.size) {
        // Coalesce a run of records that sit back to back in one backing.
        const backing = this.which[i];
        const runStart = this.starts[i];
        let runEnd = runStart;
        let j = i;
        while (j < this.size && this.which[j] === backing && this.starts[j] === runEnd && runEnd - runStart < CHUNK) {
          offsets[j] = pos + (runEnd - runStart);
          runEnd += this.lengths[j];
          j++;
        }
        writeAll(fd, this.backings[backing].read(runStart, runEnd - runStart));
        pos += runEnd - runStart;
        i = j;
      }
      offsets[this.size] = pos;
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return offsets;
  }

  /** Closes the files this store reads from. */
  close(): void {
    for (const b of this.backings) b.close();
  }
}

function writeAll(fd: number, buf: Uint8Array): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}
