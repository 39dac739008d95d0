/**
 * Connections: one `pg.Pool` per (server URL, pool size) in a process, shared by every handle on
 * it and closed when the last handle closes. Each connection gets `statement_timeout` when first
 * used. Driver errors become ShortlistErrors: a statement timeout is TIMEOUT, a lost or refused
 * connection NETWORK_ERROR.
 */
import type pg from 'pg';
import { ShortlistError, isShortlistError } from '../../core/errors.ts';
import { requireOptional } from '../../core/optional.ts';
import { isPostgresUrl, redact } from './url.ts';

export { isPostgresUrl, redact };

/** Connection settings of a Postgres collection handle. */
export interface PostgresConnectOptions {
  /** Connections in the pool; use 1 against a single-session server such as PGlite. @default 10 */
  poolMax?: number;
  /** Longest a statement may run before Postgres cancels it, in ms. @default 30000 */
  statementTimeoutMs?: number;
  /** How long an idle pooled connection stays open, in ms; a single-session server needs a short one. @default 10000 */
  idleTimeoutMs?: number;
}

/** A `postgres://` location: the server URL (without `schema`) and the collection's schema. */
export interface PostgresLocation {
  url: string;
  schema: string;
}

/** Splits `postgres://user@host:5432/db?schema=name` into the server URL and the schema (@default `shortlist`). */
export function parseLocation(location: string): PostgresLocation {
  if (!isPostgresUrl(location)) throw new ShortlistError('INVALID_ARGUMENT', `"${location}" is not a postgres:// URL`);
  let u: URL;
  try {
    u = new URL(location);
  } catch (err) {
    throw new ShortlistError('INVALID_ARGUMENT', `cannot parse the Postgres URL "${redact(location)}": ${(err as Error).message}`, {
      cause: err,
    });
  }
  const schema = u.searchParams.get('schema') ?? 'shortlist';
  u.searchParams.delete('schema');
  return { url: u.toString(), schema };
}

interface Shared {
  pool: pg.Pool;
  users: number;
  ready: WeakSet<pg.PoolClient>;
  timeoutMs: number;
  copy?: Promise<boolean>;
}

const pools = new Map<string, Shared>();

/** A reference to a shared pool; `release` it once. */
export interface PoolRef {
  /** Runs `body` with one connection (statement_timeout set); the connection is discarded if it broke. */
  withClient<T>(body: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Runs `body` in a transaction; rolls back when it throws. */
  transaction<T>(body: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  /** One query outside a transaction. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Whether the server takes `COPY … FROM STDIN` (PGlite served over a socket does not); asked once per pool. */
  supportsCopy(): Promise<boolean>;
  release(): Promise<void>;
}

/** Takes a reference to the pool for `url` with these settings. */
export function acquirePool(url: string, options: PostgresConnectOptions = {}): PoolRef {
  const max = options.poolMax ?? 10;
  const timeoutMs = options.statementTimeoutMs ?? 30_000;
  const idleMs = options.idleTimeoutMs ?? 10_000;
  for (const [name, v] of Object.entries({ poolMax: max, statementTimeoutMs: timeoutMs, idleTimeoutMs: idleMs })) {
    if (!Number.isInteger(v) || v < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${v}`, { location: { field: name } });
  }
  const key = `${url}\n${max}\n${timeoutMs}\n${idleMs}`;
  let shared = pools.get(key);
  if (!shared) {
    const pool = new (requireOptional<typeof pg>('pg').Pool)({ connectionString: url, max, idleTimeoutMillis: idleMs });
    pool.on('error', () => {}); // an idle connection that dies is dropped by the pool; the next query reconnects
    shared = { pool, users: 0, ready: new WeakSet(), timeoutMs };
    pools.set(key, shared);
  }
  shared.users++;
  const s = shared;
  let released = false;

  const withClient = async <T>(body: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await s.pool.connect();
    } catch (err) {
      throw dbError(err, url);
    }
    let broken: Error | undefined;
    const onError = (err: Error) => void (broken = err);
    client.on('error', onError);
    try {
      if (!s.ready.has(client)) {
        await client.query(`SET statement_timeout = ${s.timeoutMs}`);
        s.ready.add(client);
      }
      return await body(client);
    } catch (err) {
      broken ??= isConnectionError(err) ? (err as Error) : undefined;
      throw dbError(err, url);
    } finally {
      client.off('error', onError);
      client.release(broken ?? false);
    }
  };

  return {
    withClient,
    transaction: (body) =>
      withClient(async (c) => {
        await c.query('BEGIN');
        try {
          const out = await body(c);
          await c.query('COMMIT');
          return out;
        } catch (err) {
          await c.query('ROLLBACK').catch(() => {}); // a lost connection rolls back on the server
          throw err;
        }
      }),
    query: (sql, values) => withClient((c) => c.query(sql, values)),
    supportsCopy: () => {
      const asked = (s.copy ??= withClient((c) => c.query<{ v: string }>('SELECT version() AS v')).then(
        (r) => !/emscripten/i.test(r.rows[0].v),
      ));
      asked.catch(() => (s.copy = undefined));
      return asked;
    },
    release: async () => {
      if (released) return;
      released = true;
      if (--s.users === 0) {
        pools.delete(key);
        await s.pool.end();
      }
    },
  };
}

function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|57P01|08\w{3})$/.test(e?.code ?? '') ||
    /Connection terminated|not queryable|connection.*(closed|ended)/i.test(e?.message ?? '')
  );
}

/** A driver or server error as a ShortlistError (ShortlistErrors pass through). */
export function dbError(err: unknown, url: string): Error {
  if (isShortlistError(err)) return err;
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.code === '57014')
    return new ShortlistError(
      'TIMEOUT',
      `a Postgres statement ran past statement_timeout: ${msg}; raise statementTimeoutMs or narrow the request`,
      { cause: err },
    );
  if (isConnectionError(err))
    return new ShortlistError(
      'NETWORK_ERROR',
      `lost or could not open the connection to ${redact(url)}: ${msg}; nothing was committed by the failed call, retry it`,
      { cause: err },
    );
  return new ShortlistError('INTERNAL', `Postgres error${e?.code ? ` ${e.code}` : ''}: ${msg}`, { cause: err });
}
