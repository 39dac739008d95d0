/**
 * Bulk writes with `COPY … FROM STDIN` through `pg-copy-streams`: rows are encoded here and
 * streamed in blocks, one round trip per table instead of one per statement. On Citus the
 * coordinator routes each row to its shard. Tables whose columns all have a binary encoder here
 * (text, int, jsonb, bytea, pgvector's `vector`) go in the binary format — float32 vectors as
 * their 4 bytes, neither printed nor parsed (printing 384 floats as text cost more than the rest
 * of an ingest); others in the text format. A server without COPY from a client stream (PGlite
 * served over a socket) gets multi-row `INSERT … SELECT FROM unnest(…)` statements instead.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type * as CopyStreams from 'pg-copy-streams';
import { requireOptional } from '../../core/optional.ts';

/** `pg-copy-streams` loads with the first COPY (an optional peer dependency, like pg). */
const copyFrom = (sql: string) => requireOptional<typeof CopyStreams>('pg-copy-streams').from(sql);

/** One COPY value: null is SQL NULL; a Buffer is bytea; a Float32Array is a vector. */
export type CopyValue = string | number | null | Buffer | Float32Array;

/** Rows per block handed to the stream. */
const BLOCK = 500;

/** A text-format COPY field: backslash, tab, newline and carriage return escaped; NULL as `\N`. */
export function copyField(v: CopyValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  if (v instanceof Float32Array) return `[${Array.from(v).join(',')}]`;
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'))
    : v;
}

/** A column written by {@link writeRows}: its name and SQL type. */
export interface Column {
  name: string;
  type: string;
}

/** Rows per INSERT statement of the fallback. */
const INSERT_ROWS = 1000;

/** Writes `rows` into `table` with COPY, or with batched INSERTs where `copy` is false; returns the rows written. */
export async function writeRows(
  c: pg.PoolClient,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly CopyValue[])[],
  copy: boolean,
): Promise<number> {
  if (rows.length === 0) return 0;
  if (copy)
    return columns.every((col) => col.type in BINARY)
      ? copyBinary(c, table, columns, rows)
      : copyRows(
          c,
          table,
          columns.map((col) => col.name),
          rows,
        );
  const cast = (v: CopyValue) =>
    v === null
      ? null
      : Buffer.isBuffer(v)
        ? `\\x${v.toString('hex')}`
        : v instanceof Float32Array
          ? `[${Array.from(v).join(',')}]`
          : String(v);
  const sql = `INSERT INTO ${table} (${columns.map((col) => col.name).join(', ')})
    SELECT ${columns.map((col, i) => `x.c${i}::${col.type}`).join(', ')} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS x(${columns.map((_, i) => `c${i}`).join(', ')})`;
  for (let at = 0; at < rows.length; at += INSERT_ROWS) {
    const block = rows.slice(at, at + INSERT_ROWS);
    await c.query(
      sql,
      columns.map((_, i) => block.map((r) => cast(r[i]))),
    );
  }
  return rows.length;
}

/** Streams `rows` into `table (columns)` with COPY on connection `c`; returns the rows written. */
export async function copyRows(
  c: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const stream = c.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let n = 0;
  function* blocks(): Generator<string> {
    let block: string[] = [];
    for (const row of rows) {
      block.push(row.map(copyField).join('\t'));
      n++;
      if (block.length === BLOCK) {
        yield block.join('\n') + '\n';
        block = [];
      }
    }
    if (block.length) yield block.join('\n') + '\n';
  }
  await pipeline(Readable.from(blocks()), stream);
  return n;
}

/** Binary encoders (the types' `recv` formats): byte size of a value, and writing it at an offset. */
const BINARY: Record<string, { size(v: CopyValue): number; write(b: Buffer, at: number, v: CopyValue): void }> = {
  text: { size: (v) => Buffer.byteLength(v as string), write: (b, at, v) => void b.write(v as string, at, 'utf8') },
  int: { size: () => 4, write: (b, at, v) => void b.writeInt32BE(v as number, at) },
  jsonb: {
    size: (v) => 1 + Buffer.byteLength(v as string),
    write: (b, at, v) => void (b.writeUInt8(1, at), b.write(v as string, at + 1, 'utf8')),
  },
  bytea: { size: (v) => (v as Buffer).length, write: (b, at, v) => void (v as Buffer).copy(b, at) },
  vector: {
    size: (v) => 4 + 4 * (v as Float32Array).length,
    write: (b, at, v) => {
      const x = v as Float32Array;
      b.writeInt16BE(x.length, at);
      b.writeInt16BE(0, at + 2);
      for (let i = 0; i < x.length; i++) b.writeFloatBE(x[i], at + 4 + 4 * i);
    },
  },
};
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Streams `rows` into `table` with a binary COPY; every column's type must be in {@link BINARY}. */
async function copyBinary(
  c: pg.PoolClient,
  table: string,
  columns: readonly Column[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const stream = c.query(copyFrom(`COPY ${table} (${columns.map((col) => col.name).join(', ')}) FROM STDIN (FORMAT binary)`));
  const enc = columns.map((col) => BINARY[col.type]);
  let n = 0;
  function* blocks(): Generator<Buffer> {
    const head = Buffer.alloc(SIGNATURE.length + 8);
    SIGNATURE.copy(head);
    yield head;
    let block: Buffer[] = [];
    for (const row of rows) {
      let size = 2;
      for (let i = 0; i < row.length; i++) size += 4 + (row[i] === null ? 0 : enc[i].size(row[i]));
      const b = Buffer.allocUnsafe(size);
      b.writeInt16BE(row.length, 0);
      let at = 2;
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (v === null) {
          b.writeInt32BE(-1, at);
          at += 4;
          continue;
        }
        const len = enc[i].size(v);
        b.writeInt32BE(len, at);
        enc[i].write(b, at + 4, v);
        at += 4 + len;
      }
      block.push(b);
      n++;
      if (block.length === BLOCK) {
        yield Buffer.concat(block);
        block = [];
      }
    }
    block.push(Buffer.from([0xff, 0xff]));
    yield Buffer.concat(block);
  }
  await pipeline(Readable.from(blocks()), stream);
  return n;
}
