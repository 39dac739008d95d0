/**
 * Runs the CollectionStore contract against the Postgres backend: PGlite with pgvector served over
 * the wire protocol on a loopback port and reached with `pg`, one fresh schema per collection.
 */
import { after, before } from 'node:test';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { startPgliteServer, type PgliteServer } from '../support/pglite-server.ts';
import { storeContract } from './store.case.ts';

let server: PgliteServer;
before(async () => {
  server = await startPgliteServer();
});
after(async () => {
  await server.close();
});

let n = 0;
storeContract('postgres (PGlite + pgvector over TCP)', async () => {
  const location = `${server.url}?schema=contract_${++n}`;
  return {
    create: (options) => PostgresCollectionStore.create(location, { ...options, poolMax: 1, idleTimeoutMs: 20 }),
    open: (options) => PostgresCollectionStore.open(location, { ...options, poolMax: 1, idleTimeoutMs: 20 }),
    cleanup: async () => void (await server.db.exec(`DROP SCHEMA IF EXISTS contract_${n} CASCADE`)),
  };
});
