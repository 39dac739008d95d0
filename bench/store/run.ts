/**
 * Store benchmark: ingest documents/s and vector-query latency p50/p95 (k = 10) for
 *   - `lancedb`:  the embedded store (LanceCollectionStore in a temporary directory);
 *   - `postgres`: the Postgres store on a real server (`--postgres-url`, pgvector installed), or
 *                 without it against PGlite + pgvector served over TCP (WASM, one session);
 *   - `citus`:    the Postgres store on a Citus cluster (`--citus-url`, the coordinator): tables
 *                 distributed over the workers;
 *   - `s3`:       the same LanceDB store on `s3://` against s3rver on loopback (manifest and lock objects).
 * Postgres rows add BM25 (in process over the stored documents): the first search of a version
 * (cold: the index is built from the documents table) and p50/p95 after it. Ingest is reported
 * overall and without the commits that built an HNSW index or calibrated the in-process vector
 * index (the index column: their seconds, and how many; a Postgres memory handle calibrates at the
 * commits its rule picks, see src/store/postgres/vector-commit.ts). Progress (documents, rate,
 * ETA, each calibrating commit) goes to stderr.
 * Documents are synthetic (50–150 words from a 5,000-word vocabulary, one chunk each). Vectors
 * (`--vectors`): `words` (default) gives each word a seeded random unit vector and a text the
 * normalised sum of its words' (a random-projection bag of words: documents that share words are
 * near, as with a real encoder), queries are the vectors of 3–6 words of a document; `hash` gives
 * every text an independent random unit vector (no structure at all: the worst case for an ANN
 * index). Vectors are computed before the clock starts, so ingest measures the store. Ingest runs in upserts of `--batch` documents (one commit each).
 *
 *   node --import tsx bench/store/run.ts [--docs 10000] [--dims 384] [--queries 200] [--batch 2000] [--backends lancedb,postgres,citus,s3] [--ann-threshold 50000] [--vectors words|hash] [--corpus <beir-dir>] [--postgres-url postgres://…/db] [--citus-url postgres://…/db] [--pg-vector-index memory|pgvector] [--json]
 *
 * `--postgres-url` runs the postgres row against a real server (pgvector installed) instead of PGlite.
 * `--pg-vector-index` (@default memory): the Postgres and Citus rows search vectors in process
 * (`vectorIndex: 'memory'`: no SQL HNSW index; the writer calibrates the structure at commit and
 * stores it, and the first search of a handle loads the vectors and builds that structure —
 * quantizes, or memory-loads a stored HNSW graph — reported as "vector cold") or through pgvector's
 * HNSW index from `--ann-threshold`. The bench searches with a second, fresh handle (a reader, as
 * another server process would be), so "vector cold" is a reader's first search.
 * Recall@10 is that of the default search against the exact scan, on the first 50 queries: fresh
 * vectors of 3–6 words of a document, never stored vectors.
 *
 * `--corpus ../shared/datasets/scifact` ingests that collection's documents (up to `--docs`) instead
 * of synthetic ones.
 *
 * With `--ann-threshold` below `--docs` the stores build their ANN index and the report adds its
 * Recall@10 against exact search (50 queries).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';
import { atomicPuts } from '../../test/support/s3.ts';
import type { Document } from '../../src/core/types.ts';
import { readCorpus } from '../../src/eval/beir.ts';
import { lancedbBackend } from '../../src/store/lancedb/store.ts';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import type { CollectionStore, EmbedFn } from '../../src/store/types.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { dotScorer } from '../../src/retrieve/ann/calibrate.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { startPgliteServer } from '../../test/support/pglite-server.ts';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '10000' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '200' },
    batch: { type: 'string', default: '2000' },
    backends: { type: 'string', default: 'lancedb,postgres,s3' },
    'ann-threshold': { type: 'string', default: '50000' },
    corpus: { type: 'string' },
    'postgres-url': { type: 'string' },
    'citus-url': { type: 'string' },
    vectors: { type: 'string', default: 'words' },
    'pg-vector-index': { type: 'string', default: 'memory' },
    json: { type: 'boolean', default: false },
  },
});
const DOCS = Number(args.docs);
const DIMS = Number(args.dims);
const QUERIES = Number(args.queries);
const BATCH = Number(args.batch);
const ANN_THRESHOLD = Number(args['ann-threshold']);
const K = 10;
if (!['memory', 'pgvector'].includes(args['pg-vector-index']!))
  throw new Error(`--pg-vector-index must be memory or pgvector, got ${args['pg-vector-index']}`);
/** Postgres and Citus rows search vectors in process (`vectorIndex: 'memory'`, the SQL HNSW index deferred) or in pgvector. */
const PG_VECTOR_INDEX = args['pg-vector-index'] as 'memory' | 'pgvector';
const PG_MEMORY = PG_VECTOR_INDEX === 'memory';

/** One row of the report. */
export interface StoreRow {
  backend: string;
  docs: number;
  ingestDocsPerS: number;
  queryP50Ms: number;
  queryP95Ms: number;
  /** Seconds of the commits that built the ANN index or calibrated the vector index (0 when none did). */
  indexS: number;
  /** How many commits those were. */
  indexCommits: number;
  /** Ingest rate of the other commits (their documents over their time). */
  ingestExclIndexDocsPerS?: number;
  /** BM25 top-10 latency (Postgres rows: in process, after the first search of the version built the index). */
  bm25ColdMs?: number;
  /** The first vector search (Postgres with the index in memory: loads the vectors and builds the index). */
  vectorColdMs?: number;
  /**
   * The peer of an in-process vector index (Postgres memory rows): the same structure built
   * straight over the same vectors in this process (`src/retrieve/ann`), timed query by query
   * alternating with the store's searches (`vectorPairP50Ms`): their ratio is the store's per-query overhead.
   */
  vectorPeerP50Ms?: number;
  vectorPeerP95Ms?: number;
  vectorPairP50Ms?: number;
  bm25P50Ms?: number;
  bm25P95Ms?: number;
  /** The same BM25 queries on the embedded index in this process (the peer), alternating with the store's. */
  bm25PeerP50Ms?: number;
  bm25PeerP95Ms?: number;
  ann: boolean;
  /** Recall@10 of the indexed search against `exact: true` (when an index is used). */
  recall?: number;
  /** How the store searches its ANN index (mode, beam, calibration), from `info()`. */
  annSearch?: unknown;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unitVector(rand: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) n += (v[i] = rand() - 0.5) ** 2;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < dims; i++) v[i] *= inv;
  return v;
}

function syntheticDocs(n: number): Document[] {
  const rand = rng(42);
  const vocab = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
  return Array.from({ length: n }, (_, i) => {
    const len = 50 + Math.floor(rand() * 100);
    const words = Array.from({ length: len }, () => vocab[Math.floor(vocab.length * rand() ** 2)]);
    return { id: `d${i}`, text: words.join(' '), metadata: { group: i % 100 } };
  });
}

/** The first `n` documents of a BEIR folder's corpus (title + text), e.g. scifact. */
async function corpusDocs(dir: string, n: number): Promise<Document[]> {
  const docs: Document[] = [];
  for await (const d of readCorpus(join(dir, 'corpus.jsonl'))) {
    if (docs.length >= n) break;
    docs.push({ id: d.id, title: d.title, text: d.text });
  }
  return docs;
}

function hashOf(t: string): number {
  let h = 2166136261;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619);
  return h;
}

const wordVectors = new Map<string, Float32Array>();
/** The vector of `text` by `--vectors` (see the module comment). */
function vectorOf(text: string, dims: number): Float32Array {
  if (args.vectors === 'hash') return unitVector(rng(hashOf(text)), dims);
  const v = new Float32Array(dims);
  for (const w of text.split(/\s+/)) {
    if (!w) continue;
    let wv = wordVectors.get(w);
    if (!wv) wordVectors.set(w, (wv = unitVector(rng(hashOf(w)), dims)));
    for (let i = 0; i < dims; i++) v[i] += wv[i];
  }
  let n = 0;
  for (let i = 0; i < dims; i++) n += v[i] * v[i];
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < dims; i++) v[i] *= inv;
  return v;
}

/** Vectors computed before the clock starts; the embed callback looks them up. */
const precomputed = new Map<string, Float32Array>();
const embed =
  (dims: number): EmbedFn =>
  async (texts) =>
    texts.map((t) => precomputed.get(t) ?? vectorOf(t, dims));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

async function timeAll(n: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** A progress line on stderr: rewritten in place on a terminal, every 10% otherwise. */
function progress(name: string, total: number): (done: number) => void {
  const t0 = performance.now();
  let shown = -1;
  return (done) => {
    const s = (performance.now() - t0) / 1000;
    const rate = done / Math.max(s, 1e-9);
    const line = `${name}: ${done}/${total} documents, ${rate.toFixed(0)} docs/s, ${done < total ? `ETA ${((total - done) / Math.max(rate, 1e-9)).toFixed(0)} s` : `done in ${s.toFixed(1)} s`}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K${done === total ? '\n' : ''}`);
    else if (Math.floor((10 * done) / total) > shown) {
      shown = Math.floor((10 * done) / total);
      process.stderr.write(`${line}\n`);
    }
  };
}

async function benchStore(
  name: string,
  store: CollectionStore,
  docs: Document[],
  queries: Float32Array[],
  bm25?: (q: string) => Promise<unknown>,
  /** Opens a second handle for the searches (a fresh reader); @default the writer's. */
  openReader?: () => Promise<CollectionStore>,
): Promise<StoreRow> {
  const t0 = performance.now();
  const show = progress(name, docs.length);
  let indexS = 0;
  let calibrations = 0;
  for (let i = 0; i < docs.length; i += BATCH) {
    const had = (await store.info()).ann;
    const t1 = performance.now();
    await store.upsert(docs.slice(i, i + BATCH), { embed: embed(DIMS), batchSize: 256 });
    const info = await store.info();
    // The index column: commits that calibrated the in-process index (a Postgres memory handle at
    // the commits its rule picks, LanceDB when it builds or recalibrates), or built the SQL HNSW index.
    const calibrated = info.vectorIndex?.calibration.calibratedAt === info.version && info.vectorIndex.calibration.sample > 0;
    if (calibrated || (!had && info.ann && !(PG_MEMORY && bm25))) {
      indexS += (performance.now() - t1) / 1000;
      calibrations++;
      process.stderr.write(
        `${name}: commit at ${Math.min(docs.length, i + BATCH)} documents ${calibrated ? `calibrated the vector index (${info.vectorIndex!.path})` : 'built the ANN index'} in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`,
      );
    }
    show(Math.min(docs.length, i + BATCH));
  }
  const ingestS = (performance.now() - t0) / 1000;
  const writer = store;
  if (openReader) store = await openReader();
  const [vectorColdMs] = await timeAll(1, () => store.vectorSearch(queries[0], K)); // warm up (builds an in-memory index)
  const times = await timeAll(queries.length, (i) => store.vectorSearch(queries[i], K));
  const row: StoreRow = {
    backend: name,
    docs: docs.length,
    ingestDocsPerS: docs.length / ingestS,
    indexS,
    indexCommits: calibrations,
    // (undefined when every commit was one of them)
    ingestExclIndexDocsPerS: docs.length > calibrations * BATCH ? (docs.length - calibrations * BATCH) / (ingestS - indexS) : undefined,
    queryP50Ms: percentile(times, 0.5),
    queryP95Ms: percentile(times, 0.95),
    ann: (await store.info()).ann,
    vectorColdMs,
  };
  if (row.ann || (PG_MEMORY && bm25 !== undefined)) {
    let found = 0;
    const n = Math.min(50, queries.length);
    for (let i = 0; i < n; i++) {
      const exact = new Set((await store.vectorSearch(queries[i], K, { exact: true })).map((h) => h.id));
      found += (await store.vectorSearch(queries[i], K)).filter((h) => exact.has(h.id)).length;
    }
    row.recall = found / (n * K);
    row.annSearch =
      (store instanceof PostgresCollectionStore ? store.memoryIndex() : undefined) ??
      (await store.info()).vectorIndex ??
      (await store.info()).annSearch;
    const structure = store instanceof PostgresCollectionStore ? store.memoryIndex() : undefined;
    if (structure && structure.kind === 'exact') {
      const vectors = new Float32Array(docs.length * DIMS);
      docs.forEach((d, i) => vectors.set(precomputed.get(d.title ? `${d.title}\n\n${d.text}` : d.text)!, i * DIMS));
      const peer = VectorIndex.build(vectors, DIMS, { kind: 'exact', quantization: structure.quantization, rescore: structure.rescore });
      const st: number[] = [];
      const pt: number[] = [];
      for (const q of queries) {
        st.push(...(await timeAll(1, () => store.vectorSearch(q, K))));
        pt.push(...(await timeAll(1, async () => peer.search(q, K, dotScorer(vectors, q)))));
      }
      Object.assign(row, {
        vectorPeerP50Ms: percentile(pt, 0.5),
        vectorPeerP95Ms: percentile(pt, 0.95),
        vectorPairP50Ms: percentile(st, 0.5),
      });
    }
  }
  if (bm25) {
    const words = bm25Queries(docs, queries.length);
    const [cold] = await timeAll(1, () => bm25(words[0]));
    // The peer, the embedded index over the same documents in this process, timed query by query
    // beside the store (alternating), so both see the same machine and heap.
    const peer = await Bm25Index.build(docs, { analyzer: getAnalyzer('english@1') });
    peer.search(words[0], K);
    const bt: number[] = [];
    const pt: number[] = [];
    for (const w of words) {
      bt.push(...(await timeAll(1, () => bm25(w))));
      pt.push(...(await timeAll(1, async () => peer.search(w, K))));
    }
    peer.close();
    Object.assign(row, {
      bm25ColdMs: cold,
      bm25P50Ms: percentile(bt, 0.5),
      bm25P95Ms: percentile(bt, 0.95),
      bm25PeerP50Ms: percentile(pt, 0.5),
      bm25PeerP95Ms: percentile(pt, 0.95),
    });
  }
  if (store !== writer) await store.close();
  return row;
}

/** BM25 queries: the first 3 words of the first documents. */
function bm25Queries(docs: Document[], n: number): string[] {
  return docs.slice(0, n).map((d) => d.text.split(' ').slice(0, 3).join(' '));
}

const FP = { models: { dense: { id: 'bench/hash', dims: DIMS } }, analyzer: 'english@1', chunking: { size: 256, overlap: 32 } };

async function benchLance(docs: Document[], queries: Float32Array[]): Promise<StoreRow> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    const store = await lancedbBackend.create(join(dir, 'c'), {
      fingerprint: FP,
      dims: DIMS,
      distance: 'dot',
      annThreshold: ANN_THRESHOLD,
    });
    const row = await benchStore('lancedb (embedded dir)', store, docs, queries);
    await store.close();
    return row;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Postgres store on the real server at `root` (a fresh schema per run, dropped after). */
async function benchServer(label: string, root: string, docs: Document[], queries: Float32Array[]): Promise<StoreRow> {
  const schema = `bench_${process.pid}`;
  const url = `${root}${root.includes('?') ? '&' : '?'}schema=${schema}`;
  const store = await PostgresCollectionStore.create(url, {
    fingerprint: FP,
    dims: DIMS,
    distance: 'dot',
    annThreshold: ANN_THRESHOLD,
    statementTimeoutMs: 600_000,
    vectorIndex: PG_VECTOR_INDEX,
  });
  try {
    // Searches through a fresh handle: a reader builds the stored vector structure (it does not calibrate).
    const reader = () => PostgresCollectionStore.open(url, { statementTimeoutMs: 600_000, vectorIndex: PG_VECTOR_INDEX });
    return await benchStore(label, store, docs, queries, (q) => store.bm25Search(q, K), reader);
  } finally {
    await store.close();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: root });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

async function benchCitus(docs: Document[], queries: Float32Array[]): Promise<StoreRow> {
  if (!args['citus-url'])
    throw new Error('the citus row needs --citus-url postgres://…/db (a Citus coordinator; scripts/pg/cluster.sh start citus)');
  return benchServer('citus (coordinator + workers)', args['citus-url'], docs, queries);
}

async function benchPostgres(docs: Document[], queries: Float32Array[]): Promise<StoreRow> {
  if (args['postgres-url']) return benchServer('postgres (server)', args['postgres-url'], docs, queries);
  const server = await startPgliteServer();
  try {
    const store = await PostgresCollectionStore.create(`${server.url}?schema=bench`, {
      fingerprint: FP,
      dims: DIMS,
      distance: 'dot',
      annThreshold: ANN_THRESHOLD,
      poolMax: 1,
      statementTimeoutMs: 600_000,
      vectorIndex: PG_VECTOR_INDEX,
    });
    const row = await benchStore('postgres (PGlite+pgvector, TCP)', store, docs, queries, (q) => store.bm25Search(q, K));
    await store.close();
    return row;
  } finally {
    await server.close();
  }
}

async function benchS3(docs: Document[], queries: Float32Array[]): Promise<StoreRow> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-s3rver-'));
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'bench', configs: [] }],
  });
  atomicPuts(s3); // S3's PUT is atomic, s3rver's is not
  const { port } = await s3.run();
  try {
    const env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    };
    const store = await lancedbBackend.create('s3://bench/c', {
      fingerprint: FP,
      dims: DIMS,
      distance: 'dot',
      annThreshold: ANN_THRESHOLD,
      env,
    } as Parameters<typeof lancedbBackend.create>[1]);
    const row = await benchStore('lancedb store on s3rver (s3://)', store, docs, queries);
    await store.close();
    return row;
  } finally {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const docs = args.corpus ? await corpusDocs(args.corpus, DOCS) : syntheticDocs(DOCS);
if (!['words', 'hash'].includes(args.vectors!)) throw new Error(`--vectors must be words or hash, got ${args.vectors}`);
for (const d of docs)
  precomputed.set(d.title ? `${d.title}\n\n${d.text}` : d.text, vectorOf(d.title ? `${d.title}\n\n${d.text}` : d.text, DIMS));
const qrand = rng(7);
const queries = Array.from({ length: QUERIES }, () => {
  if (args.vectors === 'hash') return unitVector(qrand, DIMS);
  const words = docs[Math.floor(qrand() * docs.length)].text.split(' ');
  const n = 3 + Math.floor(qrand() * 4);
  const at = Math.floor(qrand() * Math.max(1, words.length - n));
  return vectorOf(words.slice(at, at + n).join(' '), DIMS);
});
const runners: Record<string, () => Promise<StoreRow>> = {
  lancedb: () => benchLance(docs, queries),
  postgres: () => benchPostgres(docs, queries),
  citus: () => benchCitus(docs, queries),
  s3: () => benchS3(docs, queries),
};
const rows: StoreRow[] = [];
for (const b of args.backends!.split(',')) {
  if (!runners[b]) throw new Error(`unknown backend "${b}"; use lancedb, postgres, citus, s3`);
  rows.push(await runners[b]());
  process.stderr.write(`row: ${JSON.stringify(rows.at(-1))}\n`); // each row as soon as it is measured
}
if (args.json) console.log(JSON.stringify(rows, null, 2));
else {
  const f = (x: number | undefined, d = 1) => (x === undefined ? '—' : x.toFixed(d));
  console.log(
    `${docs.length} ${args.corpus ? `documents of ${args.corpus}` : 'synthetic documents'}, ${DIMS}-d vectors (${args.vectors === 'hash' ? 'hash of the text' : 'bag of random word vectors'}), ${QUERIES} queries, k=${K}, upserts of ${BATCH}, node ${process.version}`,
  );
  console.log(
    `postgres/citus vector search: ${PG_MEMORY ? 'in process (vectorIndex memory; no SQL HNSW index)' : 'pgvector'}; recall@10 of the default search against the exact scan on 50 of the queries (fresh: not stored vectors)`,
  );
  console.log(
    'backend                          ingest docs/s  (excl. index)  index s (commits)  vector cold ms  vector p50 ms  vector p95 ms  ann (recall@10)  bm25 cold ms  bm25 p50 ms  bm25 p95 ms',
  );
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(32)} ${f(r.ingestDocsPerS, 0).padStart(13)}  ${f(r.ingestExclIndexDocsPerS, 0).padStart(13)}  ${`${f(r.indexS, 1)} (${r.indexCommits})`.padStart(17)}  ${f(r.vectorColdMs, 0).padStart(14)}  ${f(r.queryP50Ms, 2).padStart(13)}  ${f(r.queryP95Ms, 2).padStart(13)}  ${(r.recall !== undefined ? `${r.ann ? 'yes' : 'memory'} (${f(r.recall, 3)})` : 'no (exact)').padEnd(15)}  ${f(r.bm25ColdMs, 0).padStart(12)}  ${f(r.bm25P50Ms, 2).padStart(11)}  ${f(r.bm25P95Ms, 2).padStart(11)}`,
    );
  }
  for (const r of rows) if (r.annSearch) console.log(`${r.backend}: ann search ${JSON.stringify(r.annSearch)}`);
  for (const r of rows)
    if (r.vectorPeerP50Ms !== undefined)
      console.log(
        `${r.backend}: vector peer (the same structure over the same vectors in this process, queries alternating with the store's) p50 ${f(r.vectorPeerP50Ms, 2)} ms, p95 ${f(r.vectorPeerP95Ms, 2)} ms; the store's p50 in that loop ${f(r.vectorPairP50Ms, 2)} ms (${(r.vectorPairP50Ms! / r.vectorPeerP50Ms).toFixed(2)}×)`,
      );
  for (const r of rows)
    if (r.bm25PeerP50Ms !== undefined)
      console.log(
        `${r.backend}: bm25 peer (the embedded index over the same documents in this process, queries alternating with the store's) p50 ${f(r.bm25PeerP50Ms, 2)} ms, p95 ${f(r.bm25PeerP95Ms, 2)} ms`,
      );
  const base = rows.find((r) => r.backend.startsWith('postgres'));
  const citus = rows.find((r) => r.backend.startsWith('citus'));
  if (base && citus)
    console.log(
      `citus / postgres: ingest ${(citus.ingestDocsPerS / base.ingestDocsPerS).toFixed(2)}×, vector p50 ${(citus.queryP50Ms / base.queryP50Ms).toFixed(2)}×, bm25 p50 ${(citus.bm25P50Ms! / base.bm25P50Ms!).toFixed(2)}×`,
    );
}
