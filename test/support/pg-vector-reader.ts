/**
 * A reader process for the vector-structure tests: opens the Postgres collection at argv[2] with
 * the index in memory, runs the queries of argv[3] (JSON: arrays of numbers), and prints one JSON
 * line with the hits, the structure `info()` shows and what its vector cache did (calibrations,
 * graphs loaded or rebuilt).
 */
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { vectorCacheCounters } from '../../src/store/postgres/vector-cache.ts';

const [url, queriesJson, k = '10'] = process.argv.slice(2);
const store = await PostgresCollectionStore.open(url, { vectorIndex: 'memory', poolMax: 2 });
try {
  const queries = (JSON.parse(queriesJson) as number[][]).map((q) => Float32Array.from(q));
  const hits = [];
  for (const q of queries) hits.push(await store.vectorSearch(q, Number(k)));
  const info = await store.info();
  process.stdout.write(
    `${JSON.stringify({ hits, vectorIndex: info.vectorIndex, memory: store.memoryIndex(), counters: vectorCacheCounters })}\n`,
  );
} finally {
  await store.close();
}
