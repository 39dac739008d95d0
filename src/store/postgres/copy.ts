/**
 * Bulk writes with `COPY … FROM STDIN` (text format) through `pg-copy-streams`: rows are encoded
 * here and streamed in blocks, one round trip per table instead of one per statement. On Citus the
 * coordinator routes each row to its shard. A server without COPY from a client stream (PGlite
 * served over a socket) gets multi-row `INSERT … SELECT FROM unnest(…)` statements instead.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One COPY value: null is SQL NULL; a Buffer is bytea. */
export type CopyValue = string | number | null | Buffer;

/** Rows per block handed to the stream. */
const BLOCK = 500;

/** A text-format COPY field: backslash, tab, newline and carriage return escaped; NULL as `\N`. */
export function copyField(v: CopyValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r')) : v;
}

/** A column written by {@link writeRows}: its name and SQL type. */
export interface Column {
  name: string;
  type: string;
}

/** Rows per INSERT statement of the fallback. */
const INSERT_ROWS = 1000;

/** Writes `rows` into `table` with COPY, or with batched INSERTs where `copy` is false; returns the rows written. */
export async function writeRows(c: pg.PoolClient, table: string, columns: readonly Column[], rows: readonly (readonly CopyValue[])[], copy: boolean): Promise<number> {
  if (rows.length === 0) return 0;
  if (copy) return copyRows(c, table, columns.map((col) => col.name), rows);
  const cast = (v: CopyValue) => (v === null ? null : Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : String(v));
  const sql = `INSERT INTO ${table} (${columns.map((col) => col.name).join(', ')})
    SELECT ${columns.map((col, i) => `x.c${i}::${col.type}`).join(', ')} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS x(${columns.map((_, i) => `c${i}`).join(', ')})`;
  for (let at = 0; at < rows.length; at += INSERT_ROWS) {
    const block = rows.slice(at, at + INSERT_ROWS);
    await c.query(sql, columns.map((_, i) => block.map((r) => cast(r[i]))));
  }
  return rows.length;
}

/** Streams `rows` into `table (columns)` with COPY on connection `c`; returns the rows written. */
export async function copyRows(c: pg.PoolClient, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<number> {
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
