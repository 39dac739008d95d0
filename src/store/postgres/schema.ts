/**
 * The tables of a Postgres collection (one Postgres schema per collection) and their migrations.
 *
 * Versioning: every row carries `added` (the collection version that wrote it) and `removed` (the
 * version that replaced or deleted it, NULL while live). A reader pinned to version v sees exactly
 * the rows with `added <= v AND (removed IS NULL OR removed > v)`; a writer adds rows and sets
 * `removed` in one transaction that also moves `collection.head`, so a reader sees a version whole
 * or not at all, and a failed or cut-off ingest leaves nothing behind. On Citus the head moves in a
 * second step, once every worker shows the rows (`publish.ts`).
 *
 * `config` holds named JSON values saved with the collection (e.g. its pipeline), unversioned.
 *
 * BM25 keeps no tables of its own (schema version 2 dropped version 1's row-per-posting table):
 * each handle scores in process over an index it builds from the documents of the version it
 * reads and then advances by the rows added and removed since (`bm25-cache.ts`); `documents.dl`
 * feeds the version's N and Σ dl shown by `info`.
 *
 * On Citus (`distribute.ts`) `documents` and `chunks` are distributed by document id and
 * co-located; `collection`, `versions`, `config` and `schema_version` are reference tables.
 *
 * `schema_version` records which migrations ran; opening a schema newer than {@link SCHEMA_VERSION}
 * is refused rather than guessed at.
 */
import { ShortlistError } from '../../core/errors.ts';
import { checkSchemaName } from './url.ts';

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 3;

/** Checks a schema name (see `checkSchemaName`) and returns it double-quoted. */
export function quoteSchema(name: string): string {
  return `"${checkSchemaName(name)}"`;
}

/** The visibility predicate for rows of alias `t` at the version in placeholder `v`. */
export function visibleAt(t: string, v: string): string {
  return `(${t}.added <= ${v} AND (${t}.removed IS NULL OR ${t}.removed > ${v}))`;
}

/** Vector column settings fixed at creation. */
export interface ColumnSpec {
  dims: number;
  /** `vector` (float32) or `halfvec` (float16, half the bytes). */
  vectorType: 'vector' | 'halfvec';
}

/** One migration: from `version - 1` to `version`; `sql` is run in the migrating transaction. */
interface Migration {
  version: number;
  sql: (s: string, spec: ColumnSpec) => string[];
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: (s, { dims, vectorType }) => [
      `CREATE TABLE ${s}.collection (id int PRIMARY KEY CHECK (id = 1), head int NOT NULL, settings jsonb NOT NULL)`,
      `CREATE TABLE ${s}.versions (version int PRIMARY KEY, info jsonb NOT NULL, committed_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ${s}.documents (id text NOT NULL, added int NOT NULL, removed int, title text, body text NOT NULL,
         metadata jsonb NOT NULL, metadata_json text NOT NULL, hash text NOT NULL, dl int NOT NULL, PRIMARY KEY (id, added))`,
      `CREATE INDEX ON ${s}.documents (id) WHERE removed IS NULL`,
      `CREATE TABLE ${s}.chunks (id text NOT NULL, doc_id text NOT NULL, idx int NOT NULL, start_pos int NOT NULL, end_pos int NOT NULL,
         text text NOT NULL, embedding ${vectorType}(${dims}) NOT NULL, tokens bytea, added int NOT NULL, removed int, PRIMARY KEY (doc_id, id, added))`,
      `CREATE TABLE ${s}.postings (term text NOT NULL, doc_id text NOT NULL, tf int NOT NULL, norm smallint NOT NULL, added int NOT NULL, removed int)`,
      `CREATE INDEX ON ${s}.postings (term)`,
      `CREATE INDEX ON ${s}.postings (doc_id) WHERE removed IS NULL`,
      `CREATE TABLE ${s}.config (name text PRIMARY KEY, value jsonb NOT NULL)`,
    ],
  },
  {
    version: 2,
    sql: (s) => [
      `DROP TABLE ${s}.postings`,
      // Citus moves reference-table shards by logical replication, which needs a key.
      `ALTER TABLE ${s}.schema_version ADD PRIMARY KEY (version)`,
      `CREATE INDEX ON ${s}.documents (added)`,
      `CREATE INDEX ON ${s}.documents (removed) WHERE removed IS NOT NULL`,
    ],
  },
  {
    version: 3,
    // Version 1's partial index on documents (id) duplicated the primary key (id, added), whose
    // leading column serves every lookup by id; it cost a B-tree insert per ingested row.
    sql: (s) => [`DROP INDEX IF EXISTS ${s}.documents_id_idx`],
  },
];

/** Creates the schema's tables at {@link SCHEMA_VERSION} (run inside the creating transaction). */
export function createStatements(schema: string, spec: ColumnSpec): string[] {
  const s = quoteSchema(schema);
  return [
    `CREATE SCHEMA ${s}`,
    `CREATE TABLE ${s}.schema_version (version int NOT NULL)`,
    ...MIGRATIONS.flatMap((m) => m.sql(s, spec)),
    `INSERT INTO ${s}.schema_version VALUES (${SCHEMA_VERSION})`,
  ];
}

/** Statements that bring a schema from `from` to {@link SCHEMA_VERSION}; refuses a newer one. */
export function migrationStatements(schema: string, from: number, spec: ColumnSpec, where: string): string[] {
  if (from > SCHEMA_VERSION) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `the collection at ${where} has schema version ${from}, newer than this shortlist understands (up to ${SCHEMA_VERSION}); ` +
        'upgrade shortlist to open it, nothing was changed',
    );
  }
  const s = quoteSchema(schema);
  const steps = MIGRATIONS.filter((m) => m.version > from);
  if (steps.length === 0) return [];
  return [...steps.flatMap((m) => m.sql(s, spec)), `UPDATE ${s}.schema_version SET version = ${SCHEMA_VERSION}`];
}

/** The HNSW operator class for a distance and vector type. */
export function opClass(distance: 'dot' | 'cosine' | 'l2', vectorType: 'vector' | 'halfvec'): string {
  const op = distance === 'dot' ? 'ip' : distance;
  return `${vectorType}_${op}_ops`;
}

/** The pgvector distance operator: `<#>` (negative inner product), `<=>` (cosine distance) or `<->` (L2). */
export function distanceOperator(distance: 'dot' | 'cosine' | 'l2'): string {
  return distance === 'dot' ? '<#>' : distance === 'cosine' ? '<=>' : '<->';
}
