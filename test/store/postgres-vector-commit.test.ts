/**
 * The in-process vector index's structure is calibrated by the writer at commit and stored with the
 * version (src/store/postgres/vector-commit.ts): which commits calibrate (the doubling rule), that
 * a reader — another process on a real server — builds the stored structure without calibrating
 * and answers exactly what the writer answers, that the structure survives reopening, that a
 * stored HNSW graph is memory-loaded rather than rebuilt, and that schema migration 3 drops the
 * redundant `documents (id)` index of an existing version-2 collection. On the real server when
 * SHORTLIST_TEST_PG_URL is set, else on PGlite (the reader then runs in this process).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Document } from '../../src/core/types.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import { idsHash } from '../../src/store/lancedb/vector-index.ts';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { SCHEMA_VERSION } from '../../src/store/postgres/schema.ts';
import { VectorCache, vectorCacheCounters } from '../../src/store/postgres/vector-cache.ts';
import { acquirePool } from '../../src/store/postgres/pool.ts';
import { calibrationDue, graphFileNames, type StoredVectorIndex } from '../../src/store/postgres/vector-commit.ts';
import type { EmbedFn } from '../../src/store/types.ts';
import { hashVector } from '../contract/store.case.ts';
import { dropSchemas, pgTarget, pgTargetKind, type PgTarget } from '../support/pg-servers.ts';

const DIMS = 12;
const FP: Fingerprint = { models: {}, analyzer: 'english@1', chunking: { size: 64, overlap: 4 } };
const embed: EmbedFn = async (texts) => texts.map((t) => hashVector(t, DIMS));
const docs = (from: number, n: number): Document[] =>
  Array.from({ length: n }, (_, i) => ({ id: `d${from + i}`, text: `w${from + i} v${(from + i) % 97} u${(from + i) % 13}` }));
const queries = Array.from({ length: 8 }, (_, i) => hashVector(`query ${i}`, DIMS));
const READER = fileURLToPath(new URL('../support/pg-vector-reader.ts', import.meta.url));
const run = promisify(execFile);

type ReaderOut = {
  hits: unknown[];
  vectorIndex: unknown;
  memory: { calibration: { calibratedAt: number } } | undefined;
  counters: typeof vectorCacheCounters;
};

test('the rule: the first commit with chunks, a doubled or halved collection, or another target calibrate', () => {
  const rule = { target: 0.98 };
  const last = { calibration: { target: 0.98 }, calibratedRows: 10_000 } as StoredVectorIndex;
  assert.equal(calibrationDue(undefined, 0, rule), false, 'nothing to index');
  assert.equal(calibrationDue(undefined, 1, rule), true, 'first commit with chunks');
  assert.equal(calibrationDue(last, 19_999, rule), false);
  assert.equal(calibrationDue(last, 20_000, rule), true, 'doubled');
  assert.equal(calibrationDue(last, 5_001, rule), false);
  assert.equal(calibrationDue(last, 4_999, rule), true, 'less than half');
  assert.equal(calibrationDue({ ...last, calibratedRows: 40_000 }, 79_999, rule), false, 'crossing hnswFrom alone does not');
  assert.equal(calibrationDue(last, 10_000, { ...rule, target: 0.99 }), true, 'another target');
});

describe(`the vector structure is calibrated at commit, readers build it (${pgTargetKind()})`, () => {
  let target: PgTarget;
  let dir: string;
  before(async () => {
    target = await pgTarget();
    await dropSchemas(target, 'vcommit_');
    dir = mkdtempSync(join(tmpdir(), 'sl-vcommit-'));
  });
  after(async () => {
    await dropSchemas(target, 'vcommit_');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A writer at `url` that searches in memory and calibrates on a 40-row sample. */
  const memoryWriter = (url: string) =>
    PostgresCollectionStore.create(url, {
      fingerprint: FP,
      dims: DIMS,
      distance: 'dot',
      ...target.connect,
      vectorIndex: 'memory',
      annSample: 40,
    });

  /** Opens `url` as a fresh reader — another process on a real server, this one on PGlite (one session) — and runs the queries. */
  async function reader(url: string, qs: Float32Array[] = queries): Promise<ReaderOut> {
    if (target.kind !== 'pglite') {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', READER, url, JSON.stringify(qs.map((q) => Array.from(q)))], {
        maxBuffer: 1 << 26,
      });
      return JSON.parse(stdout) as ReaderOut;
    }
    const before = { ...vectorCacheCounters };
    const store = await PostgresCollectionStore.open(url, { ...target.connect, vectorIndex: 'memory' });
    try {
      const hits = [];
      for (const q of qs) hits.push(await store.vectorSearch(q, 10));
      const counters = {
        calibrations: vectorCacheCounters.calibrations - before.calibrations,
        graphLoads: vectorCacheCounters.graphLoads - before.graphLoads,
        graphBuilds: vectorCacheCounters.graphBuilds - before.graphBuilds,
      };
      return JSON.parse(JSON.stringify({ hits, vectorIndex: (await store.info()).vectorIndex, memory: store.memoryIndex(), counters }));
    } finally {
      await store.close();
    }
  }

  test('commits calibrate by the rule; a reader never calibrates, answers as the writer does, and sees the stored structure', async () => {
    const url = `${target.url}?schema=vcommit_main`;
    const writer = await memoryWriter(url);
    try {
      const calibrations = () => vectorCacheCounters.calibrations;
      const c0 = calibrations();
      await writer.upsert(docs(0, 2400), { embed }); // v2: the first commit with chunks (measured: ≥ 2,000 rows)
      assert.equal(calibrations(), c0 + 1, 'the first commit calibrates');
      let vi = (await writer.info()).vectorIndex!;
      assert.equal(vi.calibration.calibratedAt, 2);
      assert.equal(vi.calibration.sample, 40, 'measured on the sample');
      await writer.upsert(docs(2400, 300), { embed }); // v3: 2,700 < 2 × 2,400
      await writer.delete(['d1', 'd2']); // v4
      assert.equal(calibrations(), c0 + 1, 'a small commit carries the structure forward');
      assert.deepEqual((await writer.info()).vectorIndex, vi, 'carried forward unchanged');
      const r3 = await reader(url);
      assert.equal(r3.counters.calibrations, 0, 'a reader at a carrying version does not calibrate');
      assert.equal(r3.memory?.calibration.calibratedAt, 2, 'it builds the structure calibrated at v2');
      assert.deepEqual(r3.vectorIndex, JSON.parse(JSON.stringify(vi)), 'the stored structure survives reopening');

      await writer.upsert(docs(2700, 2200), { embed }); // v5: 4,898 ≥ 2 × 2,400
      assert.equal(calibrations(), c0 + 2, 'a doubled collection calibrates again');
      vi = (await writer.info()).vectorIndex!;
      assert.equal(vi.calibration.calibratedAt, 5);
      const mine = [];
      for (const q of queries) mine.push(await writer.vectorSearch(q, 10));
      assert.equal(calibrations(), c0 + 2, 'the writer searches the index it calibrated');
      assert.equal(writer.memoryIndex()?.calibration.calibratedAt, 5);
      const r5 = await reader(url);
      assert.equal(r5.counters.calibrations, 0, 'the reader process never calls calibrateIndex');
      assert.deepEqual(r5.hits, JSON.parse(JSON.stringify(mine)), 'the reader answers exactly what the writer answers');
      assert.deepEqual(r5.vectorIndex, JSON.parse(JSON.stringify(vi)));
      const exact = await writer.vectorSearch(queries[0], 10, { exact: true });
      assert.ok(
        mine[0].filter((h) => exact.some((e) => e.id === h.id)).length >= 8,
        'the calibrated structure finds the exact top 10 (the target is 0.98 on average)',
      );
    } finally {
      await writer.close();
    }
  });

  test('a writer that loses the head to another writer after calibrating reuses its measurement (it is not made to calibrate again)', async () => {
    const url = `${target.url}?schema=vcommit_race`;
    const a = await memoryWriter(url);
    const b = await PostgresCollectionStore.open(url, { ...target.connect, vectorIndex: 'memory', annSample: 40 });
    try {
      await a.upsert(docs(0, 2400), { embed });
      const c0 = vectorCacheCounters.calibrations;
      let raced = false;
      // While a embeds (after it read the head), b commits a small batch: a's commit finds the head moved.
      const racing: EmbedFn = async (texts) => {
        if (!raced) {
          raced = true;
          await b.upsert(docs(9000, 10), { embed });
        }
        return embed(texts);
      };
      await a.upsert(docs(2400, 2600), { embed: racing });
      assert.ok(raced);
      const info = await a.info();
      assert.deepEqual([info.version, info.chunks], [4, 5010], "a committed on top of b's version");
      assert.equal(
        vectorCacheCounters.calibrations,
        c0 + 1,
        "a calibrated once: b's batch was not due, a's second attempt reused the first",
      );
      assert.equal(info.vectorIndex?.calibration.calibratedAt, 4, 'stored with the version that committed');
      const mine = [];
      for (const q of queries) mine.push(await a.vectorSearch(q, 10));
      assert.equal(vectorCacheCounters.calibrations, c0 + 1);
      assert.deepEqual((await reader(url)).hits, JSON.parse(JSON.stringify(mine)), 'a reader answers as the writer');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a stored HNSW graph is memory-loaded by a reader (not rebuilt); without one the structure is rebuilt, never calibrated', async () => {
    const url = `${target.url}?schema=vcommit_graph`;
    const writer = await PostgresCollectionStore.create(url, { fingerprint: FP, dims: DIMS, distance: 'dot', ...target.connect });
    try {
      await writer.upsert(docs(0, 600), { embed }); // a pgvector handle: no stored structure
      const legacy = await reader(url);
      assert.equal(legacy.counters.calibrations, 1, 'a version without a stored structure is calibrated on the first search, as before');
      const v = (await writer.info()).version;
      // The graph a writer stores: over the rows in chunk-id order, saved by usearch, cut into blobs.
      const chunks = await writer.chunks(await writer.documentIds(), { vectors: true });
      chunks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const vectors = new Float32Array(chunks.length * DIMS);
      chunks.forEach((c, i) => vectors.set(c.vector!, i * DIMS));
      const structure = { kind: 'hnsw', quantization: 'none', rescore: 1, ef: 32 } as const;
      const built = VectorIndex.build(vectors, DIMS, structure);
      const file = join(dir, 'graph.usearch');
      built.saveGraph(file);
      const bytes = readFileSync(file);
      const hash = idsHash(chunks.map((c) => c.id));
      const files = graphFileNames(v, hash, bytes.length);
      const calibration = { structure, target: 0.98, recall: 1, reached: true, sample: 40, ms: 0.1, exactMs: 0.2, bytesPerVector: 176 };
      const stored: StoredVectorIndex = { calibration, calibratedAt: v, calibratedRows: chunks.length };
      const setStored = (s: StoredVectorIndex) =>
        target.sql(`UPDATE vcommit_graph.versions SET info = jsonb_set(info, '{vectorIndex}', $1::jsonb) WHERE version = $2`, [
          JSON.stringify(s),
          v,
        ]);
      await setStored(stored);
      const rebuilt = await reader(url);
      assert.deepEqual(
        [rebuilt.counters.calibrations, rebuilt.counters.graphBuilds, rebuilt.counters.graphLoads],
        [0, 1, 0],
        'no graph stored: the stored structure is rebuilt, not calibrated',
      );
      await target.sql(`INSERT INTO vcommit_graph.segments (name, bytes) VALUES ($1, $2)`, [files[0], bytes]);
      await setStored({ ...stored, graph: { files, bytes: bytes.length, rows: chunks.length, idsHash: hash } });
      const loaded = await reader(url);
      assert.deepEqual(
        [loaded.counters.calibrations, loaded.counters.graphBuilds, loaded.counters.graphLoads],
        [0, 0, 1],
        'the stored graph is memory-loaded',
      );
      const same = VectorIndex.build(vectors, DIMS, structure, { hnswFile: file });
      const want = queries.map((q) => same.search(q, 10, (rows) => rows.map((r) => dot(vectors, r, q)) as unknown as Float64Array));
      assert.deepEqual(
        loaded.hits.map((hs) => (hs as { id: string }[]).map((h) => h.id)),
        want.map((hs) => hs.map((h) => chunks[h.row].id)),
        'the reader walks the stored graph (the same hits as that graph)',
      );
      assert.ok(!(await writer.segments.list()).includes(files[0]), 'graph blobs are not BM25 segments');

      // The writer's side: a commit whose structure is an HNSW graph saves it as the blobs a reader loads.
      const pool = acquirePool(target.url, target.connect);
      try {
        const cache = new VectorCache(pool, '"vcommit_graph"', { dims: DIMS, distance: 'dot', target: 0.98, sample: 40 });
        const made = await cache.prepareCommit({ version: v, chunks: chunks.length }, [], 0, [], calibration);
        const g = made!.stored.graph!;
        assert.deepEqual(
          [g.rows, g.idsHash, g.files, g.bytes],
          [chunks.length, hash, graphFileNames(v + 1, hash, g.bytes), made!.graph!.reduce((n, b) => n + b.length, 0)],
        );
        const saved = join(dir, 'written.usearch');
        writeFileSync(saved, Buffer.concat(made!.graph!));
        const fromBlobs = VectorIndex.build(vectors, DIMS, structure, { hnswFile: saved });
        made!.install(v + 1);
        for (const q of queries)
          assert.deepEqual(
            (await cache.search(q, 10, v + 1, made!.stored)).map((h) => h.id),
            fromBlobs.search(q, 10, (rows) => rows.map((r) => dot(vectors, r, q)) as unknown as Float64Array).map((h) => chunks[h.row].id),
            "the blobs hold the writer's graph",
          );
        cache.close();
      } finally {
        await pool.release();
      }
    } finally {
      await writer.close();
    }
  });

  test(`migration ${SCHEMA_VERSION} drops the redundant documents (id) index of a version-2 collection`, async () => {
    const url = `${target.url}?schema=vcommit_v2`;
    const store = await PostgresCollectionStore.create(url, { fingerprint: FP, dims: DIMS, ...target.connect });
    await store.upsert(docs(0, 20), { embed });
    await store.close();
    // Back to version 2 as that version created it: with the partial index on documents (id).
    await target.sql(`CREATE INDEX documents_id_idx ON vcommit_v2.documents (id) WHERE removed IS NULL`);
    await target.sql(`UPDATE vcommit_v2.schema_version SET version = 2`);
    const indexes = async () =>
      (
        await target.sql<{ n: string }>(
          `SELECT indexname AS n FROM pg_indexes WHERE schemaname = 'vcommit_v2' AND tablename = 'documents' ORDER BY 1`,
        )
      ).map((r) => r.n);
    assert.ok((await indexes()).includes('documents_id_idx'));
    const reopened = await PostgresCollectionStore.open(url, target.connect);
    try {
      assert.deepEqual(
        await indexes(),
        ['documents_added_idx', 'documents_pkey', 'documents_removed_idx'],
        'the primary key (id, added) covers id',
      );
      assert.equal((await target.sql<{ version: number }>(`SELECT version FROM vcommit_v2.schema_version`))[0].version, SCHEMA_VERSION);
      assert.equal((await reopened.get(['d3']))[0]?.text, docs(3, 1)[0].text, 'the rows are untouched');
      await reopened.upsert([{ id: 'd3', text: 'replaced' }], { embed });
      assert.deepEqual(
        (await reopened.get(['d3', 'd4'])).map((d) => d.text),
        ['replaced', docs(4, 1)[0].text],
        'replacing by id works without the index',
      );
    } finally {
      await reopened.close();
    }
  });
});

function dot(vectors: Float32Array, row: number, q: Float32Array): number {
  let s = 0;
  for (let j = 0; j < q.length; j++) s += vectors[row * q.length + j] * q[j];
  return s;
}
