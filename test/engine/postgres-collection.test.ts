/**
 * A collection at a `postgres://` URL (the real server of SHORTLIST_TEST_PG_URL with a pool of 4, else PGlite over TCP; see test/support/pg-servers.ts) searches,
 * looks up, updates, removes and evaluates exactly as a collection directory does: the same BM25
 * hits and float32 scores, the same evaluation numbers — through the library and the CLI.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from '../../src/engine/collection.ts';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import { PostgresHome } from '../../src/engine/home/index.ts';
import type { Document } from '../../src/core/types.ts';
import { writeCollection } from '../support/collection.ts';
import { runCli } from '../support/cli.ts';
import { pgTarget, type PgTarget } from '../support/pg-servers.ts';

/** Pool settings in the URL: 4 connections on a real server; on PGlite (one session) one, released soon when idle. */
let CONNECT: string;

let server: PgTarget;
let tmp: string;
let beir: ReturnType<typeof writeCollection>;
/** The directory collection's evaluation numbers (per stage), which every Postgres evaluation must equal. */
let embeddedMetrics: Record<string, number>[];
before(async () => {
  server = await pgTarget('postgres_collection');
  CONNECT = server.connectQuery;
  tmp = mkdtempSync(join(tmpdir(), 'shortlist-pgcol-'));
  beir = writeCollection(join(tmp, 'beir'), { docs: 150, queries: 10, seed: 11 });
});
after(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A collection URL; the password (which neither PGlite nor the test server, trust auth, checks) must never be shown. */
const at = (schema: string) => `${server.url.replace('postgres@', 'postgres:s3cret@')}?schema=${schema}&${CONNECT}`;
const docs = (): Document[] =>
  beir.docs.map((d, i) => ({
    id: d._id,
    title: d.title,
    text: d.text,
    metadata: { year: 2000 + (i % 20), lang: i % 3 === 0 ? 'de' : 'en' },
  }));

function sameHits(got: { id: string; score: number }[], want: { id: string; score: number }[], what: string): void {
  assert.deepEqual(
    got.map((h) => [h.id, h.score]),
    want.map((h) => [h.id, h.score]),
    what,
  );
}

describe('a collection in Postgres', () => {
  test('searches, filters, looks up, updates and removes exactly as a directory collection', async () => {
    const pg = await Collection.create(at('lib'), 'bm25');
    const dir = await Collection.create(join(tmp, 'dir'), 'bm25');
    try {
      assert.equal(await Collection.exists(at('lib')), true);
      assert.equal(await Collection.exists(at('nothing_here')), false);
      const [a, b] = [await pg.add(docs()), await dir.add(docs())];
      assert.deepEqual({ ...a, version: 0 }, { ...b, version: 0 });
      const queries = [...beir.queries.map((q) => q.text), 'protein cancer therapy', 'zzz unknown'];
      const check = async (label: string, filter?: string) => {
        for (const q of queries) {
          const [x, y] = [await pg.search(q, { k: 20, filter }), await dir.search(q, { k: 20, filter })];
          sameHits(x.hits, y.hits, `${label}: ${q}`);
          assert.deepEqual(
            x.hits.map((h) => h.document),
            y.hits.map((h) => h.document),
            'hits carry the stored documents',
          );
        }
      };
      await check('fresh');
      await check('filtered', "year >= 2010 AND lang = 'en'");
      assert.deepEqual(await pg.documents(['d3', 'missing', 'd1']), [dir.document('d3'), dir.document('d1')]);
      assert.deepEqual(
        pg.document('d3'),
        dir.document('d3'),
        "the version's BM25 segments hold the stored documents, so a lookup needs no round trip",
      );

      const changed = [
        { id: 'd5', title: 'Replaced', text: 'supersonic shock wave boundary layer' },
        { id: 'new1', text: 'aircraft wing flow pressure' },
      ];
      await pg.add(changed);
      await dir.add(changed);
      await pg.remove(['d7', 'd8', 'absent']);
      await dir.remove(['d7', 'd8', 'absent']);
      await check('after update and remove');
      const [pi, di] = [await pg.info(), await dir.info()];
      assert.equal(pi.documents, di.documents);
      assert.equal(pi.bm25.documents, di.bm25.documents);
      assert.ok(pi.bm25.tokens! > 0);
      assert.match(pi.dir, /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+\?schema=lib/, 'info shows the URL without its password');
      assert.equal(pi.pipeline.retrievers[0].type, 'bm25');
    } finally {
      await pg.close();
      await dir.close();
    }
    const reopened = await Collection.open(at('lib'));
    try {
      assert.equal(reopened.pipeline.retrievers[0].type, 'bm25', 'the pipeline is read back from the schema');
      assert.equal((await reopened.search('supersonic shock', { k: 1 })).hits[0].id, 'd5');
    } finally {
      await reopened.close();
    }
    await assert.rejects(Collection.create(at('lib'), 'bm25'), /already exists/);
    await assert.rejects(
      Collection.open(at('never_made')),
      (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && !e.message.includes('s3cret'),
    );
  });

  test('refresh moves a handle to the version another handle committed', async () => {
    const writer = await Collection.create(at('refresh'), 'bm25');
    await writer.add(docs().slice(0, 50));
    const reader = await Collection.open(at('refresh'));
    try {
      await writer.add([{ id: 'late', text: 'zqlateterm appears only here' }]);
      assert.equal((await reader.search('zqlateterm')).hits.length, 0, 'the reader stays on its version');
      assert.equal(await reader.refresh(), true);
      assert.equal((await reader.search('zqlateterm')).hits[0]?.id, 'late');
      assert.equal(await reader.refresh(), false);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  test('evaluatePipeline with store: a Postgres database gives the directory numbers exactly and drops its schema', async () => {
    const before = await PostgresHome.list(`${server.url}?${CONNECT}`);
    const inPg = await evaluatePipeline(beir.dir, 'bm25', { store: `${server.url}?${CONNECT}` });
    const inDir = await evaluatePipeline(beir.dir, 'bm25');
    embeddedMetrics = inDir.stages.map((s) => s.metrics);
    assert.deepEqual(
      inPg.stages.map((s) => s.metrics),
      embeddedMetrics,
    );
    assert.deepEqual([...inPg.runs.get('bm25')!], [...inDir.runs.get('bm25')!], 'the same runs, scores included');
    assert.deepEqual(await PostgresHome.list(`${server.url}?${CONNECT}`), before, 'the temporary schema is gone');
  });

  test('CLI: init, add, search, info, rm and eval --store take the URL', async () => {
    const url = at('cli');
    const ok = async (args: string[]) => {
      const r = await runCli(args);
      assert.equal(r.code, 0, `shortlist ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    assert.match(await ok(['init', url, '--pipeline', 'bm25']), /created collection postgres:\/\//);
    assert.match(await ok(['add', url, beir.dir]), /150 documents read \(beir\): 150 added/);
    const q = beir.queries[0];
    const hits = JSON.parse(await ok(['search', url, q.text, '--json', '-k', '5'])).hits as { id: string; score: number }[];
    const dir = await Collection.create(join(tmp, 'cli-dir'), 'bm25');
    try {
      await dir.add(beir.dir);
      sameHits(hits, (await dir.search(q.text, { k: 5 })).hits, 'CLI search equals the directory collection');
    } finally {
      await dir.close();
    }
    await ok(['rm', url, hits[0].id]);
    const info = JSON.parse(await ok(['info', url, '--json']));
    assert.equal(info.documents, 149);
    const stored = JSON.parse(await ok(['eval', beir.dir, '--pipeline', 'bm25', '--store', `${server.url}?${CONNECT}`, '--json']));
    assert.ok(embeddedMetrics[0]['ndcg@10'] > 0);
    assert.deepEqual(
      stored.stages.map((s: { metrics: unknown }) => s.metrics),
      embeddedMetrics,
      'eval --store gives the directory collection numbers exactly',
    );
    const bad = await runCli(['eval', beir.dir, '--pipeline', 'bm25', '--store', url]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--collection postgres/);
  });
});
