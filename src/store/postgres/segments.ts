/**
 * BM25 segments of a Postgres collection: immutable blobs in the `segments` table (`name text`
 * primary key, `bytes bytea`), named by the version row that uses them (`versions.info.parts`, the
 * collection's manifest) — see `SegmentStore` for the rules.
 *
 * A blob is inserted only inside the transaction that commits the version naming it
 * ({@link PostgresSegmentStore.within}): a write that is rolled back or cut off (a killed process,
 * a lost connection) leaves no row behind, so a crash makes no garbage. Rows become garbage only
 * when a merge or a delete leaves them named by no version still kept; `shortlist optimize`
 * removes those.
 *
 * On Citus the table is a reference table, like `versions` and `collection`: the rows commit in
 * the same two-phase transaction that moves the head, on every node, so any node that sees a
 * version sees its segments; the cost is one copy of each blob per node. (A table local to the
 * coordinator would keep one copy, but then a version's commit would span a local and a
 * distributed write whose atomicity Citus does not promise the same way.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { ShortlistError } from '../../core/errors.ts';
import { checkSegmentName, type SegmentStore } from '../../retrieve/bm25/segment-store.ts';
import type { PoolRef } from './pool.ts';
import { GRAPH_PREFIX } from './vector-commit.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Statements that create the segments table in quoted schema `s` (a reference table on Citus). */
export function segmentTableStatements(s: string, distributed: boolean): string[] {
  const out = [`CREATE TABLE ${s}.segments (name text PRIMARY KEY, bytes bytea NOT NULL)`];
  if (distributed) out.push(`SELECT create_reference_table('${s.replaceAll("'", "''")}.segments')`);
  return out;
}

/** Creates the segments table in `schema` when it is missing (a collection created before segments); run in the opening transaction. */
export async function ensureSegmentTable(c: Queryable, schema: string, s: string, distributed: boolean): Promise<void> {
  const found = await c.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'segments'`, [schema]);
  if (found.rowCount) return;
  for (const sql of segmentTableStatements(s, distributed)) await c.query(sql);
}

/** Segment blobs as rows of one collection's `segments` table (see the module comment). */
export class PostgresSegmentStore implements SegmentStore {
  readonly #tx = new AsyncLocalStorage<Queryable>();
  /** Rows and bytes `get` fetched so far (tests check a handle reads only the segments a new version added). */
  readonly reads = { gets: 0, bytes: 0 };

  constructor(
    private readonly pool: PoolRef,
    private readonly s: string,
    readonly display: string,
  ) {}

  /** Runs `fn` with `put` (and `get`) going through the transaction of `c`: the blobs commit, or vanish, with it. */
  within<T>(c: Queryable, fn: () => Promise<T>): Promise<T> {
    return this.#tx.run(c, fn);
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    checkSegmentName(name);
    const c = this.#tx.getStore();
    if (!c)
      throw new ShortlistError(
        'INTERNAL',
        `segment ${name}: a Postgres segment is written only inside the transaction that commits the version naming it`,
      );
    await c.query(`INSERT INTO ${this.s}.segments (name, bytes) VALUES ($1, $2)`, [
      name,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ]);
  }

  async get(name: string): Promise<Uint8Array> {
    checkSegmentName(name);
    const c = this.#tx.getStore();
    const sql = `SELECT bytes FROM ${this.s}.segments WHERE name = $1`;
    const r = c ? await c.query<{ bytes: Buffer }>(sql, [name]) : await this.pool.query<{ bytes: Buffer }>(sql, [name]);
    const row = r.rows[0];
    if (!row) throw new ShortlistError('NOT_FOUND', `segment ${name} is missing from ${this.display}`);
    this.reads.gets++;
    this.reads.bytes += row.bytes.length;
    return new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  }

  /** The BM25 segment blobs (the store's vector graphs, `vgraph-*`, are the store's own: `vacuum` collects them). */
  async list(): Promise<string[]> {
    return (await this.pool.query<{ name: string }>(`SELECT name FROM ${this.s}.segments WHERE name NOT LIKE '${GRAPH_PREFIX}%'`)).rows.map(
      (r) => r.name,
    );
  }

  /** Sizes of the stored blobs by name (for `check`: a named blob must have its recorded size). */
  async sizes(): Promise<Map<string, number>> {
    const r = await this.pool.query<{ name: string; n: number }>(
      `SELECT name, octet_length(bytes)::int AS n FROM ${this.s}.segments WHERE name NOT LIKE '${GRAPH_PREFIX}%'`,
    );
    return new Map(r.rows.map((x) => [x.name, x.n]));
  }

  async delete(name: string): Promise<void> {
    checkSegmentName(name);
    await this.pool.query(`DELETE FROM ${this.s}.segments WHERE name = $1`, [name]);
  }
}
