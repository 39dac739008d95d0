/**
 * BM25 segments in Postgres: a write inserts its new segment rows in the transaction that commits
 * the version naming them (a rolled-back write leaves none); a handle that moves to a new version
 * fetches only the rows that version added (rows and bytes counted); a collection written before
 * segments is read from its documents and gets segments at its next write; on Citus the segments
 * table is a reference table. Runs on the real server of SHORTLIST_TEST_PG_URL (else PGlite) and,
 * for the Citus case, on SHORTLIST_TEST_CITUS_URL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PostgresHome } from '../../src/engine/home/index.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { pgTarget, realTarget, skipWithout, type PgTarget } from '../support/pg-servers.ts';

let server: PgTarget;
before(async () => {
  server = await pgTarget('pg_segments');
});
after(async () => {
  await server?.close();
});

const WORDS = 'alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega river stone light cloud'.split(' ');
function docs(from: number, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return {
      id: `d${k}`,
      text: `${WORDS[k % 15]} ${WORDS[(k * 7) % 15]} ${WORDS[(k * 11 + 3) % 15]} item ${k} ${'filler '.repeat(k % 5)}`,
    };
  });
}
const embed = async (texts: string[]) => texts.map(() => new Float32Array([1]));
const pipeline = resolvePipeline({ retrievers: [{ type: 'bm25' }] });
const analyzer = getAnalyzer('english');
const createOptions = {
  fingerprint: { models: {}, analyzer: analyzer.id, chunking: { ...pipeline.chunking, tokenizer: 'words' as const } },
  dims: 1,
};
const at = (t: PgTarget, schema: string) => `${t.url}?schema=${schema}&${t.connectQuery}`;
const bm25 = pipeline.retrievers.find((r) => r.type === 'bm25')! as never;

async function segmentRows(t: PgTarget, schema: string): Promise<Map<string, number>> {
  const rows = await t.sql<{ name: string; n: number }>(`SELECT name, octet_length(bytes)::int AS n FROM ${schema}.segments`);
  return new Map(rows.map((r) => [r.name, r.n]));
}

async function sameAsFresh(home: PostgresHome, live: { id: string; text: string }[]): Promise<void> {
  const fresh = await Bm25Index.build(live, { analyzer });
  try {
    for (const q of ['alpha river', 'item 7 stone', 'omega filler']) {
      const hits = (await home.bm25Retriever(bm25).search(q, 10)).map((h) => ({ id: h.id, score: h.score }));
      assert.deepEqual(hits, fresh.search(q, 10), q);
    }
  } finally {
    fresh.close();
  }
}

async function versionMove(t: PgTarget, schema: string): Promise<void> {
  const location = at(t, schema);
  const writer = await PostgresHome.create(location, pipeline, createOptions, analyzer);
  try {
    const first = docs(0, 400);
    await writer.upsert(first, { embed });
    const { home: replica } = await PostgresHome.open(location);
    try {
      const opened = replica.segmentReads;
      assert.equal(opened.gets, 2, 'opening reads the one segment: .seg and .docs');
      const rowsBefore = await segmentRows(t, schema);

      const second = docs(400, 20);
      await writer.upsert(second, { embed });
      await writer.remove(['d5']);
      const rowsAfter = await segmentRows(t, schema);
      const added = [...rowsAfter].filter(([name]) => !rowsBefore.has(name));
      // Two versions: one new segment (.seg + .docs), then a live-docs row for the first segment.
      assert.equal(added.length, 3, `segment rows the two writes added: ${added.map(([n]) => n).join(', ')}`);

      const before = replica.segmentReads;
      assert.equal(await replica.refresh(), true);
      const read = { gets: replica.segmentReads.gets - before.gets, bytes: replica.segmentReads.bytes - before.bytes };
      assert.equal(read.gets, 3, `rows fetched on the version move: ${JSON.stringify(read)}`);
      assert.equal(
        read.bytes,
        added.reduce((n, [, b]) => n + b, 0),
        'exactly the bytes of the rows the new versions added',
      );
      assert.ok(
        read.bytes < opened.bytes / 4,
        `bytes fetched on refresh (${read.bytes}) are a fraction of the collection's (${opened.bytes})`,
      );
      process.stdout.write(
        `# ${t.kind}: opening fetched ${opened.gets} segment rows (${opened.bytes} bytes); the move to a version two writes later fetched ${read.gets} rows (${read.bytes} bytes)\n`,
      );

      const live = [...first.filter((d) => d.id !== 'd5'), ...second];
      assert.deepEqual([...(await replica.store.documentIds())], live.map((d) => d.id).sort());
      assert.equal(replica.lexicalStats().documents, live.length);
      await sameAsFresh(replica, live);
      const report = await replica.check();
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
    } finally {
      await replica.close();
    }
  } finally {
    await writer.close();
    await t.sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

test('a handle that moves to a new version fetches only the segment rows it added', async () => {
  await versionMove(server, 'seg_move');
});

test("segment rows are written in the version's transaction: a write rolled back leaves none", async () => {
  const location = at(server, 'seg_rollback');
  const home = await PostgresHome.create(location, pipeline, createOptions, analyzer);
  try {
    await home.upsert(docs(0, 50), { embed });
    const rows = await segmentRows(server, 'seg_rollback');
    const head = (await home.store.info()).version;
    // A parts hook that writes its blobs and then fails, inside the commit transaction.
    await assert.rejects(
      home.store.upsert(docs(50, 10), {
        embed,
        parts: async () => {
          await home.store.segments.put('sdoomed.seg', new Uint8Array(1000));
          throw new Error('failed after writing a segment');
        },
      }),
      /failed after writing a segment/,
    );
    assert.deepEqual(await segmentRows(server, 'seg_rollback'), rows, 'no row of the failed write remains');
    assert.equal((await home.store.info()).version, head);
    assert.equal((await server.sql<{ head: number }>(`SELECT head FROM seg_rollback.collection`))[0].head, head);
    // A segment is never written outside a commit.
    await assert.rejects(home.store.segments.put('sloose.seg', new Uint8Array(1)), /only inside the transaction/);
    assert.equal((await home.check()).ok, true);
  } finally {
    await home.close();
    await server.sql('DROP SCHEMA IF EXISTS seg_rollback CASCADE');
  }
});

test('a collection written before segments (no segments table, versions without parts) is searched from its documents and gets segments at its next write', async () => {
  const location = at(server, 'seg_legacy');
  const home = await PostgresHome.create(location, pipeline, createOptions, analyzer);
  try {
    // Store-level writes (no parts hook) commit versions that name no segments; a schema made
    // before segments has no segments table either (opening creates it).
    await home.store.upsert(docs(0, 60), { embed });
    await home.close();
    await server.sql(`DROP TABLE seg_legacy.segments`);
    await server.sql(`UPDATE seg_legacy.versions SET info = info - 'parts'`);
    const { home: reopened } = await PostgresHome.open(location);
    try {
      assert.equal(reopened.lexicalStats().documents, 60);
      await sameAsFresh(reopened, docs(0, 60));
      const before = await reopened.check();
      assert.equal(before.ok, false);
      assert.match(before.problems.join('\n'), /names no BM25 segments/);
      await reopened.upsert(docs(60, 5), { embed });
      await sameAsFresh(reopened, docs(0, 65));
      const afterWrite = await reopened.check();
      assert.deepEqual(afterWrite.problems, []);
      assert.equal(afterWrite.bm25Documents, 65);
    } finally {
      await reopened.close();
    }
  } finally {
    await server.sql('DROP SCHEMA IF EXISTS seg_legacy CASCADE');
  }
});

test('on Citus the segments table is a reference table and a version move reads only new rows', {
  skip: skipWithout('citus'),
}, async () => {
  const citus = await realTarget('citus');
  try {
    await citus.sql('DROP SCHEMA IF EXISTS seg_citus CASCADE');
    const location = at(citus, 'seg_citus');
    const home = await PostgresHome.create(location, pipeline, createOptions, analyzer);
    await home.close();
    const kind = await citus.sql<{ t: string }>(
      `SELECT citus_table_type AS t FROM citus_tables WHERE table_name = 'seg_citus.segments'::regclass`,
    );
    assert.deepEqual(
      kind.map((r) => r.t),
      ['reference'],
    );
    await citus.sql('DROP SCHEMA seg_citus CASCADE');
    await versionMove(citus, 'seg_citus');
  } finally {
    await citus.close();
  }
});
