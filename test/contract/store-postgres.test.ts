/**
 * Runs the CollectionStore contract against the Postgres backend with a real pool (4 connections):
 * on the real PostgreSQL server (SHORTLIST_TEST_PG_URL) and on the Citus cluster
 * (SHORTLIST_TEST_CITUS_URL, tables distributed over its workers), one fresh schema per
 * collection. Without those variables each skips with its reason, and the contract runs on PGlite
 * with pgvector over TCP instead (one session: poolMax 1) — see `test/support/pg-servers.ts`.
 */
import { after, before, describe } from 'node:test';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { startPgliteServer, type PgliteServer } from '../support/pglite-server.ts';
import { dropSchemas, realServerUrl, realTarget, skipWithout, type PgTarget, type RealKind } from '../support/pg-servers.ts';
import { storeContract } from './store.case.ts';

for (const kind of ['postgres', 'citus'] as RealKind[]) {
  const skip = skipWithout(kind);
  describe(`store contract on a real ${kind === 'citus' ? 'Citus cluster (coordinator + 2 workers)' : 'PostgreSQL server'}, poolMax 4`, {
    skip,
  }, () => {
    let target: PgTarget;
    before(async () => {
      target = await realTarget(kind);
      await dropSchemas(target, `contract_${kind}_`);
    });
    after(async () => {
      await dropSchemas(target, `contract_${kind}_`);
      await target.close();
    });
    let n = 0;
    storeContract(`postgres (${kind})`, async () => {
      const schema = `contract_${kind}_${++n}`;
      const location = `${target.url}?schema=${schema}`;
      return {
        create: (options) => PostgresCollectionStore.create(location, { ...options, ...target.connect }),
        open: (options) => PostgresCollectionStore.open(location, { ...options, ...target.connect }),
        cleanup: async () => void (await target.sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
      };
    });
  });
}

// PGlite only where it adds something: a run without a real server (no apt).
if (!realServerUrl('postgres')) {
  describe('store contract on PGlite + pgvector over TCP (no real server configured)', () => {
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
  });
}
