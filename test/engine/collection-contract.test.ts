/**
 * The Collection contract (`collection.case.ts`) on every location: a folder, `s3://` (s3rver
 * behind the conditional-write proxy) and `postgres://` (the real server of SHORTLIST_TEST_PG_URL,
 * in a fresh database: a named skip without it, an error when CI=true).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { realTarget, skipWithout, type PgTarget } from '../support/pg-servers.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { collectionContract } from './collection.case.ts';

const tmp = mkdtempSync(join(tmpdir(), 'shortlist-collection-contract-'));
const pgSkip = skipWithout('postgres');
let s3: TestS3;
let pg: PgTarget | undefined;
before(async () => {
  s3 = await startTestS3(['contract']);
  Object.assign(process.env, s3.env); // the library's S3 handles read the endpoint from the environment
  if (!pgSkip) pg = await realTarget('postgres', 'collection_contract');
});
after(async () => {
  await Promise.all([s3?.close(), pg?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

collectionContract('folder', () => ({ location: (name) => join(tmp, name) }));
collectionContract('s3://', () => ({ location: (name) => `s3://contract/cols/${name}` }));
collectionContract('postgres://', () => ({ location: (name) => `${pg!.url}?schema=${name}&${pg!.connectQuery}` }), { skip: pgSkip });
