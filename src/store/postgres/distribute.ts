/**
 * Citus: a collection in a database with the `citus` extension is distributed. `documents` and
 * `chunks` are hash-distributed by document id (`documents.id`, `chunks.doc_id`) and co-located, so
 * a document's rows and its chunks live on one shard and every write or lookup by id goes to one
 * worker; `collection`, `versions`, `config` and `schema_version` are small reference tables
 * (copied to every node, written with two-phase commit). A vector top-k runs on every shard (each
 * with its own HNSW index) and Citus merges the shards' top k at the coordinator; BM25 is scored
 * in process over all documents (`bm25-cache.ts`), so its statistics are global and its scores
 * equal a single node's bit for bit.
 */
import type pg from 'pg';
import { ShortlistError } from '../../core/errors.ts';

/** Shards per distributed table when the caller gives none. @default 8 */
export const DEFAULT_SHARDS = 8;

/** Whether the database behind `c` has the Citus extension. */
export async function hasCitus(c: pg.PoolClient): Promise<boolean> {
  return ((await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).rowCount ?? 0) > 0;
}

/** Statements that distribute the freshly created tables of quoted schema `s` (run in the creating transaction). */
export function distributeStatements(s: string, shards: number): string[] {
  if (!Number.isInteger(shards) || shards < 1)
    throw new ShortlistError('INVALID_ARGUMENT', `shards must be a positive integer, got ${shards}`, { location: { field: 'shards' } });
  const lit = (t: string) => `'${s.replaceAll("'", "''")}.${t}'`;
  return [
    ...['schema_version', 'collection', 'versions', 'config'].map((t) => `SELECT create_reference_table(${lit(t)})`),
    `SELECT create_distributed_table(${lit('documents')}, 'id', shard_count => ${shards})`,
    `SELECT create_distributed_table(${lit('chunks')}, 'doc_id', colocate_with => ${lit('documents')})`,
  ];
}

/** Where the shards of quoted schema `s`'s distributed tables are: table → worker `host:port` → shard count. */
export async function shardPlacements(
  c: pg.PoolClient | { query: pg.PoolClient['query'] },
  schema: string,
): Promise<Record<string, Record<string, number>>> {
  const r = await c.query<{ t: string; node: string; n: number }>(
    `SELECT split_part(table_name::text, '.', 2) AS t, nodename || ':' || nodeport AS node, count(*)::int AS n
     FROM citus_shards WHERE table_name::text LIKE $1 AND citus_table_type = 'distributed' GROUP BY 1, 2 ORDER BY 1, 2`,
    [`${schema}.%`],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const row of r.rows) (out[row.t] ??= {})[row.node] = row.n;
  return out;
}
