/**
 * The CollectionStore contract on the Postgres backend with vector searches in memory
 * (`vectorIndex: 'memory'`, src/store/postgres/vector-cache.ts), on the real PostgreSQL server
 * (SHORTLIST_TEST_PG_URL) with poolMax 4, else on PGlite (one session).
 */
import { after, before, describe } from 'node:test';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { dropSchemas, pgTarget, pgTargetKind, type PgTarget } from '../support/pg-servers.ts';
import { storeContract } from '../contract/store.case.ts';

describe(`store contract with vectorIndex memory on ${pgTargetKind()}`, () => {
  let target: PgTarget;
  before(async () => {
    target = await pgTarget();
    await dropSchemas(target, 'contract_mem_');
  });
  after(async () => {
    await dropSchemas(target, 'contract_mem_');
    await target.close();
  });
  let n = 0;
  storeContract(`postgres (vectorIndex memory, ${pgTargetKind()})`, async () => {
    const schema = `contract_mem_${++n}`;
    const location = `${target.url}?schema=${schema}`;
    return {
      create: (options) => PostgresCollectionStore.create(location, { ...options, ...target.connect, vectorIndex: 'memory' }),
      open: (options) => PostgresCollectionStore.open(location, { ...options, ...target.connect, vectorIndex: 'memory' }),
      cleanup: async () => void (await target.sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
    };
  });
});
