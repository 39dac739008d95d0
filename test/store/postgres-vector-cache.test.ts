/**
 * The in-process vector index of a Postgres collection (`vectorIndex: 'memory'`,
 * src/store/postgres/vector-cache.ts): unfiltered searches answer from memory with the hits and
 * float32 scores of a directory (LanceDB) collection holding the same rows, bit for bit; they follow
 * the handle's version through upserts, replacements and deletes (the delta and the rebuild after
 * a tenth of the rows changed); its commits build no SQL HNSW index; filtered and exact searches
 * still run in SQL. On the real server when SHORTLIST_TEST_PG_URL is set, else on PGlite.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from '../../src/core/types.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import { splitPostgresLocation } from '../../src/engine/home/postgres.ts';
import { lancedbBackend } from '../../src/store/lancedb/store.ts';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import { parseVectorSend } from '../../src/store/postgres/vector-cache.ts';
import type { CollectionStore, EmbedFn } from '../../src/store/types.ts';
import { hashVector } from '../contract/store.case.ts';
import { dropSchemas, pgTarget, pgTargetKind, type PgTarget } from '../support/pg-servers.ts';

const DIMS = 12;
const FP: Fingerprint = { models: {}, analyzer: 'english@1', chunking: { size: 16, overlap: 2 } };
const embed: EmbedFn = async (texts) => texts.map((t) => hashVector(t, DIMS));
const docs = (n: number, tag = ''): Document[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `d${i}`,
    text: Array.from({ length: 5 + (i % 40) }, (_, j) => `w${i}x${j % 11}${tag}`).join(' '),
    metadata: { g: i % 3 },
  }));

test("parseVectorSend reads pgvector's binary output (int16 dims, int16 unused, big-endian float4s)", () => {
  const b = Buffer.alloc(4 + 3 * 4);
  b.writeInt16BE(3, 0);
  [0.5, -1.25, 3e-8].forEach((x, i) => b.writeFloatBE(x, 4 + 4 * i));
  const out = new Float32Array(4);
  parseVectorSend(b, 3, out, 1);
  assert.deepEqual(Array.from(out), [0, 0.5, -1.25, Math.fround(3e-8)]);
  assert.throws(() => parseVectorSend(b, 4, out, 0), /3 components, the collection 4/);
});

test('?vectorIndex=memory on a collection URL (set by the operator) reaches the store; another value is refused', () => {
  const { location, connect } = splitPostgresLocation('postgres://u@h:5432/db?schema=s&vectorIndex=memory&poolMax=2');
  assert.deepEqual([location, connect], ['postgres://u@h:5432/db?schema=s', { vectorIndex: 'memory', poolMax: 2 }]);
  assert.throws(
    () => splitPostgresLocation('postgres://u@h:5432/db?schema=s&vectorIndex=gpu'),
    /vectorIndex=gpu in .* must be pgvector or memory/,
  );
});

describe(`vector searches in memory on a Postgres collection (${pgTargetKind()})`, () => {
  let target: PgTarget;
  let dir: string;
  const open: { close(): Promise<void> }[] = [];
  before(async () => {
    target = await pgTarget();
    await dropSchemas(target, 'vcache_');
    dir = mkdtempSync(join(tmpdir(), 'sl-vcache-'));
  });
  after(async () => {
    for (const h of open) await h.close();
    await dropSchemas(target, 'vcache_');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const distance of ['dot', 'cosine'] as const) {
    test(`${distance}: hits and scores equal a directory collection's at every version; no SQL index is built`, async () => {
      const pgs = await PostgresCollectionStore.create(`${target.url}?schema=vcache_${distance}`, {
        fingerprint: FP,
        dims: DIMS,
        distance,
        ...target.connect,
        vectorIndex: 'memory',
        annThreshold: 10,
      });
      const dirStore = await lancedbBackend.create(join(dir, distance), { fingerprint: FP, dims: DIMS, distance });
      open.push(pgs, dirStore);
      const both = async (step: (s: CollectionStore) => Promise<unknown>) => {
        await step(pgs);
        await step(dirStore);
      };
      const queries = Array.from({ length: 12 }, (_, i) => hashVector(`query ${i}`, DIMS));
      const same = async (label: string) => {
        for (const [i, q] of queries.entries()) {
          assert.deepEqual(await pgs.vectorSearch(q, 15), await dirStore.vectorSearch(q, 15), `${label}: query ${i}`);
        }
        const exact = await pgs.vectorSearch(queries[0], 15, { exact: true });
        assert.deepEqual(
          (await pgs.vectorSearch(queries[0], 15)).map((h) => h.id),
          exact.map((h) => h.id),
          `${label}: the same ids as the exact SQL scan`,
        );
      };
      await both((s) => s.upsert(docs(200), { embed }));
      await same('first load');
      assert.deepEqual(
        [pgs.memoryIndex()?.path, pgs.memoryIndex()?.calibration.calibratedAt],
        ['exact float32', 2],
        'the in-memory structure and the version it was built at',
      );
      await both((s) => s.upsert(docs(5, 'changed'), { embed })); // replaces d0..d4: removed rows and a delta
      await same('after replacing 5 documents');
      await both((s) => s.delete(['d10', 'd11', 'd12']));
      await same('after deleting 3');
      await both((s) => s.upsert([...docs(230).slice(200), ...docs(40, 'again')], { embed })); // past a tenth: rebuilt
      await same('after the rebuild');
      assert.equal((await pgs.info()).ann, true, 'past annThreshold the in-memory index answers');
      const indexes = await target.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE '%hnsw%'`,
        [`vcache_${distance}`],
      );
      assert.equal(indexes[0].n, 0, 'a handle that searches in memory builds no SQL HNSW index');
      const filtered = await pgs.vectorSearch(queries[1], 10, { filter: 'g = 1' });
      assert.ok(filtered.length === 10 && filtered.every((h) => Number(h.docId.slice(1)) % 3 === 1), 'a filtered search runs in SQL');
    });
  }

  test('a second handle reads its own version: a reader opened before a write sees the old rows until it refreshes', async () => {
    const url = `${target.url}?schema=vcache_reader`;
    const writer = await PostgresCollectionStore.create(url, {
      fingerprint: FP,
      dims: DIMS,
      distance: 'dot',
      ...target.connect,
      vectorIndex: 'memory',
    });
    open.push(writer);
    await writer.upsert(docs(50), { embed });
    const reader = await PostgresCollectionStore.open(url, { ...target.connect, vectorIndex: 'memory' });
    open.push(reader);
    const q = hashVector('query 3', DIMS);
    const before = await reader.vectorSearch(q, 1000);
    assert.equal(before.length, (await reader.info()).chunks);
    const gone = new Set(before.slice(0, 5).map((h) => h.docId));
    await writer.delete([...gone]);
    assert.deepEqual(await reader.vectorSearch(q, 1000), before, 'not refreshed: the version it opened');
    assert.ok(await reader.refresh());
    assert.deepEqual(
      await reader.vectorSearch(q, 1000),
      before.filter((h) => !gone.has(h.docId)),
      'refreshed: the deleted documents are gone',
    );
  });

  test('vectorIndex must be pgvector or memory', async () => {
    await assert.rejects(
      PostgresCollectionStore.open(`${target.url}?schema=vcache_reader`, { ...target.connect, vectorIndex: 'ram' as never }),
      /vectorIndex must be pgvector or memory, got ram/,
    );
  });
});
