/**
 * The two LanceDB tables of a collection and their rows: `documents` (id, title, text, metadata
 * as JSON, content hash) and `chunks` (id, document id, index, offsets, text, dense vector,
 * optional flattened token vectors).
 */
import type { Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { lazyPackage } from '../../core/optional.ts';

/** Apache Arrow loads with the first table created (an optional peer dependency, with LanceDB). */
const loadArrow = lazyPackage('apache-arrow', () => import('apache-arrow'));
import type { Document } from '../../core/types.ts';

/** Table names inside the collection's LanceDB folder. */
export const DOCS = 'documents';
/** See {@link DOCS}. */
export const CHUNKS = 'chunks';
/** Ids per `IN (…)` list, to keep SQL predicates small. */
const IN_BATCH = 1000;

/** Schema of the documents table. */
export async function documentsSchema(): Promise<Schema> {
  const { Field, Schema, Utf8 } = await loadArrow();
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('title', new Utf8(), true),
    new Field('text', new Utf8(), false),
    new Field('metadata', new Utf8(), false),
    new Field('hash', new Utf8(), false),
  ]);
}

/** Schema of the chunks table for `dims`-component vectors. */
export async function chunksSchema(dims: number): Promise<Schema> {
  const { Field, FixedSizeList, Float32, Int32, List, Schema, Utf8 } = await loadArrow();
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('doc_id', new Utf8(), false),
    new Field('idx', new Int32(), false),
    new Field('start', new Int32(), false),
    new Field('end', new Int32(), false),
    new Field('text', new Utf8(), false),
    new Field('vector', new FixedSizeList(dims, new Field('item', new Float32(), true)), false),
    new Field('tokens', new List(new Field('item', new Float32(), true)), true),
  ]);
}

/** A row of the documents table. */
export interface DocRow {
  id: string;
  title: string | null;
  text: string;
  metadata: string;
  hash: string;
}

/** A row of the chunks table. */
export interface ChunkRow {
  id: string;
  doc_id: string;
  idx: number;
  start: number;
  end: number;
  text: string;
  vector: Float32Array;
  tokens: Float32Array | null;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** `column IN ('a', 'b', …)` predicates covering `ids`, at most {@link IN_BATCH} ids each. */
export function inPredicates(column: string, ids: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += IN_BATCH)
    out.push(
      `${column} IN (${ids
        .slice(i, i + IN_BATCH)
        .map(sqlString)
        .join(', ')})`,
    );
  return out;
}

/** Rows of `table` whose `column` is one of `ids`, with the given columns. */
export async function rowsWhereIn(
  table: Table,
  column: string,
  ids: readonly string[],
  columns: string[],
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const where of inPredicates(column, ids)) {
    rows.push(...(await table.query().where(where).select(columns).toArray()));
  }
  return rows;
}

/** Deletes rows of `table` whose `column` is one of `ids`. */
export async function deleteWhereIn(table: Table, column: string, ids: readonly string[]): Promise<void> {
  for (const where of inPredicates(column, ids)) await table.delete(where);
}

/** The document a documents-table row holds. */
export function rowToDocument(row: Record<string, unknown>): Document {
  const doc: Document = { id: String(row.id), text: String(row.text) };
  if (row.title !== null && row.title !== undefined) doc.title = String(row.title);
  const md = JSON.parse(String(row.metadata)) as Record<string, unknown>;
  if (Object.keys(md).length > 0) doc.metadata = md;
  return doc;
}

/** A Float32Array from an Arrow list value (a vector or a list). */
export function toFloat32(value: unknown): Float32Array {
  if (value instanceof Float32Array) return value;
  const v = value as { toArray?: () => ArrayLike<number> } | ArrayLike<number>;
  const arr = 'toArray' in v && typeof v.toArray === 'function' ? v.toArray() : (v as ArrayLike<number>);
  return arr instanceof Float32Array ? arr : Float32Array.from(arr);
}
