/**
 * Child of the crash test: opens the collection at argv[2] and upserts argv[3] documents whose
 * vectors are clustered(…, seed argv[4]); prints `embedded` when the last batch is embedded (the
 * index is built and committed after that), then `committed <version>`.
 */
import { LanceCollectionStore } from '../../src/store/lancedb/store.ts';
import { clustered } from './vectors.ts';

const [dir, count, seed] = process.argv.slice(2);
const n = Number(count);
const DIMS = 32;
const vectors = clustered(n, DIMS, 16, Number(seed));
const store = await LanceCollectionStore.open(dir, { annEf: 64, annThreshold: 100 });
let done = 0;
const result = await store.upsert(
  Array.from({ length: n }, (_, i) => ({ id: `s${seed}-${i}`, text: `v${i}` })),
  {
    batchSize: 512,
    embed: async (texts) => {
      const out = texts.map((t) => vectors.slice(Number(t.slice(1)) * DIMS, (Number(t.slice(1)) + 1) * DIMS));
      done += texts.length;
      if (done === n) process.stdout.write('embedded\n');
      return out;
    },
  },
);
process.stdout.write(`committed ${result.version}\n`);
await store.close();
