/**
 * The Postgres servers the tests run against. `.ci/run` starts a real PostgreSQL 15 with pgvector
 * and a Citus cluster (coordinator + 2 workers) on loopback with `scripts/pg/cluster.sh` and
 * exports their URLs:
 *
 *   SHORTLIST_TEST_PG_URL     postgres://postgres@127.0.0.1:55432/postgres  (single server)
 *   SHORTLIST_TEST_CITUS_URL  postgres://postgres@127.0.0.1:55440/postgres  (Citus coordinator)
 *
 * Without them the tests that need a real server skip with a named reason, and the suites that
 * can run on PGlite (Postgres in WASM, one session, served over TCP) run there instead — a quick
 * run without apt. In CI (CI=true) a missing URL is an error, never a skip.
 */
import pg from 'pg';
import { startPgliteServer, type PgliteServer } from './pglite-server.ts';

export type RealKind = 'postgres' | 'citus';
const ENV: Record<RealKind, string> = { postgres: 'SHORTLIST_TEST_PG_URL', citus: 'SHORTLIST_TEST_CITUS_URL' };

/** The URL of the real server of `kind`, or undefined (an error in CI, where it must be set). */
export function realServerUrl(kind: RealKind): string | undefined {
  const url = process.env[ENV[kind]];
  if (!url && process.env.CI === 'true')
    throw new Error(
      `${ENV[kind]} is not set: .ci/run starts the servers with scripts/pg/cluster.sh and exports it; in CI these tests must not skip`,
    );
  return url || undefined;
}

/** A skip reason naming the missing variable, or false when the server is there. */
export function skipWithout(kind: RealKind): string | false {
  return realServerUrl(kind)
    ? false
    : `needs a real ${kind === 'citus' ? 'Citus cluster' : 'PostgreSQL server'}: set ${ENV[kind]} (scripts/pg/cluster.sh start ${kind === 'citus' ? 'citus' : 'single'})`;
}

/** A server the Postgres tests run against. */
export interface PgTarget {
  kind: RealKind | 'pglite';
  /** `postgres://…/postgres` without query string. */
  url: string;
  /** Pool settings for handles: several connections on a real server, one on PGlite. */
  connect: { poolMax: number; idleTimeoutMs: number };
  /** The same as a URL query string (`poolMax=…&idleTimeoutMs=…`). */
  connectQuery: string;
  /** Runs SQL as an administrator (outside the code under test). */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** The PGlite server, when that is the target. */
  pglite?: PgliteServer;
  close(): Promise<void>;
}

/** Real pool size of the tests (the issue's bar: several sessions at once). */
export const TEST_POOL_MAX = 4;

/**
 * Connects to the real server of `kind`. With `database`, the target is a fresh database of that
 * name on the server (dropped on close), so test files running at once do not see each other's
 * collections (single server only).
 */
export async function realTarget(kind: RealKind, database?: string, options: { exclusive?: boolean } = {}): Promise<PgTarget> {
  let url = realServerUrl(kind);
  if (!url) throw new Error(skipWithout(kind) as string);
  // Test files run two at a time: every file on the Citus cluster holds a shared advisory lock on
  // the coordinator while it runs; the file that stops a worker takes it exclusively.
  let held: pg.Client | undefined;
  if (kind === 'citus') {
    held = new pg.Client({ connectionString: url });
    held.on('error', () => {});
    await held.connect();
    await held.query(`SELECT ${options.exclusive ? 'pg_advisory_lock' : 'pg_advisory_lock_shared'}(16016)`);
  }
  let dropDb: (() => Promise<void>) | undefined;
  if (database) {
    const name = `sl_test_${database}`;
    const root = new pg.Client({ connectionString: url });
    await root.connect();
    await root.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await root.query(`CREATE DATABASE ${name}`);
    await root.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const base = url;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => {});
  const connect = { poolMax: TEST_POOL_MAX, idleTimeoutMs: 1000 };
  return {
    kind,
    url,
    connect,
    connectQuery: `poolMax=${connect.poolMax}&idleTimeoutMs=${connect.idleTimeoutMs}`,
    sql: async (text, values) => (await admin.query(text, values)).rows,
    close: async () => {
      await admin.end();
      await dropDb?.();
      await held?.end(); // ends the session, and with it the advisory lock
    },
  };
}

/** The real single server when SHORTLIST_TEST_PG_URL is set (in a fresh database `database` when given), else PGlite. */
export async function pgTarget(database?: string): Promise<PgTarget> {
  if (realServerUrl('postgres')) return realTarget('postgres', database);
  const server = await startPgliteServer();
  const connect = { poolMax: 1, idleTimeoutMs: 20 };
  return {
    kind: 'pglite',
    url: server.url,
    connect,
    connectQuery: 'poolMax=1&idleTimeoutMs=20',
    pglite: server,
    sql: async (text, values) => (await server.db.query(text, values)).rows as never,
    close: () => server.close(),
  };
}

/** The kind {@link pgTarget} will return (for test names). */
export function pgTargetKind(): 'postgres' | 'pglite' {
  return realServerUrl('postgres') ? 'postgres' : 'pglite';
}

/** Drops the schemas whose names start with `prefix` (left by an earlier run). */
export async function dropSchemas(t: PgTarget, prefix: string): Promise<void> {
  const rows = await t.sql<{ n: string }>(`SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}%`]);
  for (const { n } of rows) {
    // After a Citus worker restarts, the coordinator's first use of a connection it had cached to
    // that worker fails ("failure on connection marked as essential", XX000) and drops it: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await t.sql(`DROP SCHEMA IF EXISTS "${n}" CASCADE`);
        break;
      } catch (err) {
        if (attempt >= 5 || (err as { code?: string }).code !== 'XX000') throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }
}

/**
 * Ends, on the server, the backend that runs a statement matching `pattern` while it waits for a
 * lock, as a crash of that session would (`pg_terminate_backend`): call {@link lockedTerminate}
 * with a table the writer is about to write; it holds an exclusive lock on the table, waits until
 * a backend blocks on it, terminates that backend and lets go of the lock. Returns the backend's query.
 */
export async function lockedTerminate(
  t: PgTarget,
  table: string,
  pattern: RegExp,
  start: () => Promise<unknown>,
): Promise<{ query: string; outcome: PromiseSettledResult<unknown> }> {
  const client = new pg.Client({ connectionString: t.url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const running = start().then(
      (v) => ({ status: 'fulfilled', value: v }) as const,
      (reason) => ({ status: 'rejected', reason }) as const,
    );
    let query = '';
    for (let i = 0; i < 3000 && !query; i++) {
      await client.query('SELECT pg_stat_clear_snapshot()'); // pg_stat_activity is otherwise read once per transaction
      const rows = (
        await client.query<{ pid: number; query: string }>(
          `SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        )
      ).rows.filter((r) => pattern.test(r.query));
      if (rows.length) {
        query = rows[0].query;
        await client.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      } else await new Promise((r) => setTimeout(r, 10));
    }
    await client.query('ROLLBACK');
    if (!query)
      throw new Error(
        `no backend blocked on ${table} with a query matching ${pattern}: ${JSON.stringify((await client.query(`SELECT state, wait_event_type, left(query, 80) AS q FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname IS NOT NULL`)).rows)}`,
      );
    return { query, outcome: await running };
  } finally {
    await client.end();
  }
}
