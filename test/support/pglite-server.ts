/**
 * A real Postgres with pgvector for tests: PGlite (Postgres compiled to WASM, with its `vector`
 * extension, pgvector 0.8) served over the wire protocol by `@electric-sql/pglite-socket` on a
 * loopback port, so the store reaches it with `pg` exactly as it reaches a production server.
 *
 * PGlite is one backend session: the socket server serves one connection at a time and queues the
 * rest, so clients must use one pooled connection per process (`poolMax: 1`). When a connection is
 * lost, a real server ends that backend and rolls back its transaction; PGlite's session outlives
 * the socket, so {@link PgliteServer.kill} plus {@link PgliteServer.restart} do that rollback.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running PGlite socket server. */
export interface PgliteServer {
  /** The database instance (for direct inspection in tests). */
  readonly db: PGlite;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /**
   * Called with every protocol message batch before PGlite runs it; return `'kill'` to drop the
   * connection instead (the batch is not run), as a network failure would.
   */
  onMessage?: (bytes: Uint8Array) => void | 'kill';
  /** Drops the live connection and stops listening. */
  kill(): Promise<void>;
  /** Rolls back what the lost connection left open (as a real backend's exit does) and listens again on the same port. */
  restart(): Promise<void>;
  /** Stops the server and closes the database. */
  close(): Promise<void>;
}

/**
 * A fresh PGlite with pgvector. initdb in WASM takes ~10 s on a busy 2-core machine, so the first
 * call saves the new data directory under the OS temp dir (per PGlite version) and later calls
 * start from a copy of it (~2 s).
 */
async function freshDatabase(): Promise<PGlite> {
  const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { version } = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
  const cache = join(tmpdir(), `shortlist-pglite-${version}-vector.tar`);
  if (existsSync(cache)) {
    try {
      return await PGlite.create({ extensions: { vector }, loadDataDir: new Blob([readFileSync(cache)]) });
    } catch {
      // a damaged cache: fall through and rebuild it
    }
  }
  const db = await PGlite.create({ extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const dump = await db.dumpDataDir('none');
  const tmp = `${cache}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, cache); // atomic: a concurrent test process reads the old file or the new one
  return db;
}

/** Starts PGlite with pgvector on a free loopback port. */
export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await freshDatabase();
  let server: PGLiteSocketServer | null = null;
  const state: PgliteServer = {
    db,
    url: '',
    port: 0,
    kill: async () => {
      await server?.stop();
      server = null;
    },
    restart: async () => {
      await state.kill();
      pending = new Uint8Array(0);
      await db.exec('ROLLBACK'); // outside a transaction this only warns
      await listen(state.port);
    },
    close: async () => {
      await state.kill();
      await db.close();
    },
  };
  // pglite-socket 0.0.20 hands each TCP chunk to PGlite as it arrives, so a message larger than a
  // chunk (a big INSERT) would reach PGlite cut in two and crash it. Frame the socket's bytes into
  // whole protocol messages first. Calls with options are PGlite's own (always whole messages).
  const raw = db.execProtocolRaw.bind(db);
  let pending = new Uint8Array(0);
  db.execProtocolRaw = (async (message: Uint8Array, options?: Parameters<typeof raw>[1]) => {
    if (options !== undefined) return raw(message, options);
    const all = new Uint8Array(pending.length + message.length);
    all.set(pending);
    all.set(message, pending.length);
    const whole = wholeMessages(all);
    pending = all.slice(whole);
    if (whole === 0) return new Uint8Array(0);
    const batch = all.subarray(0, whole);
    if (state.onMessage?.(batch) === 'kill') {
      pending = new Uint8Array(0);
      void state.kill();
      return new Uint8Array(0);
    }
    return raw(batch);
  }) as typeof db.execProtocolRaw;
  const listen = async (port: number) => {
    server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
    await server.start();
    const conn = server.getServerConn();
    const p = Number(conn.slice(conn.lastIndexOf(':') + 1));
    Object.assign(state, { port: p, url: `postgres://postgres@127.0.0.1:${p}/postgres` });
  };
  await listen(0);
  return state;
}

/**
 * Length of the longest prefix of `bytes` made of whole frontend messages: a typed message is a
 * type byte and an int32 length; the startup, SSL and cancel requests (first byte 0: their length
 * is below 2^24) are an int32 length and a body.
 */
function wholeMessages(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (;;) {
    const typed = bytes[at] !== 0;
    const header = typed ? 5 : 4;
    if (at + header > bytes.length) return at;
    const size = (typed ? 1 : 0) + view.getInt32(at + (typed ? 1 : 0));
    if (at + size > bytes.length) return at;
    at += size;
  }
}
