/** Runs the CollectionStore contract against the embedded LanceDB backend in temporary directories. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lancedbBackend } from '../../src/store/lancedb/store.ts';
import { storeContract } from './store.case.ts';

storeContract('lancedb', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'shortlist-store-')), 'collection');
  return {
    create: (options) => lancedbBackend.create(dir, options),
    open: (options) => lancedbBackend.open(dir, options),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
