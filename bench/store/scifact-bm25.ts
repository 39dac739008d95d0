/**
 * Checks BM25 scored inside Postgres against the embedded Lucene-exact index on a BEIR data set:
 * every query's top 100 ids and scores must be identical. Needs the data set on disk.
 *
 *   node --import tsx bench/store/scifact-bm25.ts [--dataset ../shared/datasets/scifact] [--k 100]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Document } from '../../src/core/types.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { startPgliteServer } from '../../test/support/pglite-server.ts';

const { values: args } = parseArgs({
  options: { dataset: { type: 'string', default: '../shared/datasets/scifact' }, k: { type: 'string', default: '100' } },
});
const K = Number(args.k);
const jsonl = (file: string) =>
  readFileSync(join(args.dataset!, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>);
const docs: Document[] = jsonl('corpus.jsonl')
  .map((d) => ({ id: d._id, title: d.title || undefined, text: d.text || ' ' }))
  .filter((d) => d.text.trim() !== '');
const queries = jsonl('queries.jsonl').map((q) => ({ id: q._id, text: q.text }));

const index = await Bm25Index.build(docs, { analyzer: getAnalyzer('english') });
const server = await startPgliteServer();
try {
  const store = await PostgresCollectionStore.create(`${server.url}?schema=bm25check`, {
    fingerprint: { models: {}, analyzer: 'english@1', chunking: { size: 100_000, overlap: 0 } },
    dims: 1,
    poolMax: 1,
    statementTimeoutMs: 600_000,
  });
  let t0 = performance.now();
  await store.upsert(docs, { embed: async (texts) => texts.map(() => Float32Array.of(1)), batchSize: 1000 });
  const ingestS = (performance.now() - t0) / 1000;
  let sameIds = 0,
    maxRel = 0,
    bitIdentical = 0;
  t0 = performance.now();
  for (const q of queries) {
    const want = index.search(q.text, K);
    const got = await store.bm25Search(q.text, K);
    if (JSON.stringify(got.map((h) => h.id)) === JSON.stringify(want.map((h) => h.id))) sameIds++;
    if (got.length === want.length && got.every((h, i) => h.score === want[i].score)) bitIdentical++;
    got.forEach((h, i) => want[i] && (maxRel = Math.max(maxRel, Math.abs(h.score - want[i].score) / want[i].score)));
  }
  const queryMs = (performance.now() - t0) / queries.length;
  console.log(`${docs.length} documents (ingest ${ingestS.toFixed(1)} s), ${queries.length} queries, top ${K}:`);
  console.log(
    `  same ids: ${sameIds}/${queries.length}; bit-identical scores: ${bitIdentical}/${queries.length}; max relative score difference ${maxRel}; ${queryMs.toFixed(1)} ms/query in Postgres`,
  );
  await store.close();
} finally {
  await server.close();
}
