/**
 * pgvector's HNSW against exact search on scifact's embeddings (generated bge-small shape, the
 * vectors bench/ann caches): Recall@10 of `vectorSearch` with the Postgres store's default HNSW
 * settings (m 16, ef_construction 64, ef_search 600), the index forced on with a low
 * `annThreshold` (the default, 50,000 chunks, would search scifact exactly).
 *
 *   node --import tsx bench/store/pgvector-scifact.ts [--max-length 128]
 */
import { parseArgs } from 'node:util';
import { PostgresCollectionStore, POSTGRES_DEFAULTS } from '../../src/store/postgres/store.ts';
import { startPgliteServer } from '../../test/support/pglite-server.ts';
import { scifactVectors } from '../ann/scifact.ts';

const { values: args } = parseArgs({ options: { 'max-length': { type: 'string', default: '128' } } });
const set = await scifactVectors(5183, Number(args['max-length']), (l) => console.error(l));
const { dims } = set;
const n = set.base.length / dims;
const row = (m: Float32Array, i: number) => m.subarray(i * dims, (i + 1) * dims);

const pg = await startPgliteServer();
try {
  const url = `${pg.url}?schema=scifact_pgvector`;
  const store = await PostgresCollectionStore.create(url, {
    fingerprint: { models: {}, analyzer: 'plain@1', chunking: { size: 512, overlap: 0, lookback: 0.25, tokenizer: 'words' } },
    dims,
    distance: 'cosine',
    annThreshold: 1000,
    poolMax: 1,
    idleTimeoutMs: 20,
  });
  try {
    const t0 = performance.now();
    // one short chunk per document, whose text names the row of its vector
    await store.upsert(
      Array.from({ length: n }, (_, i) => ({ id: String(i), text: `d${i}` })),
      {
        embed: async (texts) => texts.map((t) => row(set.base, Number(t.slice(1)))),
        batchSize: 512,
      },
    );
    console.error(`ingested ${n} vectors and built HNSW in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const queries = set.queries.length / dims;
    /** Recall@10 of `ann` against the exact scan over every query, and the mean ms of each. */
    const measure = async (ann: PostgresCollectionStore) => {
      let found = 0;
      let annMs = 0;
      let exactMs = 0;
      for (let q = 0; q < queries; q++) {
        const v = row(set.queries, q);
        let t = performance.now();
        const hits = await ann.vectorSearch(v, 10);
        annMs += performance.now() - t;
        t = performance.now();
        const exact = await ann.vectorSearch(v, 10, { exact: true });
        exactMs += performance.now() - t;
        const truth = new Set(exact.map((h) => h.id));
        found += hits.filter((h) => truth.has(h.id)).length;
      }
      return { recall: found / (queries * 10), annMs: annMs / queries, exactMs: exactMs / queries };
    };
    const d = await measure(store);
    console.log(
      `pgvector HNSW (m ${POSTGRES_DEFAULTS.hnswM}, ef_construction ${POSTGRES_DEFAULTS.hnswEfConstruction}, ef_search ${POSTGRES_DEFAULTS.annEf}) on scifact embeddings (${n} × ${dims}, ${queries} queries): Recall@10 ${d.recall.toFixed(4)} against exact; ${d.annMs.toFixed(1)} ms/query HNSW, ${d.exactMs.toFixed(1)} ms exact (PGlite, WASM)`,
    );
    // the same index searched at pgvector's own default ef_search (40): lower recall shows the index is what answers
    const low = await PostgresCollectionStore.open(url, { annThreshold: 1000, annEf: 40, poolMax: 1, idleTimeoutMs: 20 });
    const l = await measure(low).finally(() => low.close());
    console.log(`the same index at ef_search 40 (pgvector's default): Recall@10 ${l.recall.toFixed(4)}, ${l.annMs.toFixed(1)} ms/query`);
    console.log(`acceptance (Recall@10 ≥ 0.98 with shortlist's defaults): ${d.recall >= 0.98 ? 'PASS' : 'FAIL'}`);
  } finally {
    await store.close();
  }
} finally {
  await pg.close();
}
