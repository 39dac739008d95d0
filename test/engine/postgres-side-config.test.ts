/**
 * What a collection keeps besides its documents — the stage calibrations (`minRelevance`) and the
 * query adapter — works at a `postgres://` URL as in a directory (the real server of SHORTLIST_TEST_PG_URL, else PGlite over TCP; generated data
 * and tiny generated models): `calibrate --save-to <url>` stores a fit that a search's
 * `minRelevance` then cuts with; `mine <url>` mines the same rows as from a directory collection;
 * `adapt <url>` stores an adapter that searches apply (and refuse when made for another model).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { mulberry32 } from '../../src/core/random.ts';
import { Collection } from '../../src/engine/collection.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import { readCollectionAdapter, storeCollectionAdapter } from '../../src/lab/adapt/index.ts';
import { fitCalibration, loadStageCalibrations, stageFingerprint, storeStageCalibration } from '../../src/lab/calibrate/index.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';
import { pgTarget, type PgTarget } from '../support/pg-servers.ts';

/** Pool settings in the URL: 4 connections on a real server; on PGlite (one session) one, released soon when idle. */
let CONNECT: string;

let server: PgTarget;
let tmp: string;
let beir: ReturnType<typeof writeCollection>;
before(async () => {
  server = await pgTarget('postgres_side_config');
  CONNECT = server.connectQuery;
  tmp = mkdtempSync(join(tmpdir(), 'shortlist-pgside-'));
  beir = writeCollection(join(tmp, 'beir'), { docs: 60, queries: 8, seed: 5 });
});
after(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A collection URL with a password (which neither PGlite nor the test server, trust auth, checks) that must never be shown. */
const at = (schema: string) => `${server.url.replace('postgres@', 'postgres:s3cret@')}?schema=${schema}&${CONNECT}`;
const docs = () => beir.docs.map((d) => ({ id: d._id, title: d.title, text: d.text }));
const write = (name: string, value: object) => (writeFileSync(join(tmp, name), JSON.stringify(value)), join(tmp, name));
const ok = async (args: string[]) => {
  const r = await runCli(args, { env: { SHORTLIST_CACHE: join(tmp, 'cache'), SHORTLIST_OFFLINE: '1' } });
  assert.equal(r.code, 0, `shortlist ${args.join(' ')}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, /s3cret/, 'the password is never shown');
  return r.stdout;
};

describe('side values of a Postgres collection', () => {
  test('calibrate --save-to <url> stores the fit in the schema; minRelevance cuts with it', async () => {
    const ce = await tinyModel('classifier');
    const stage = { type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 8, threads: 1 };
    const base = { retrievers: [{ type: 'bm25' }], depth: 30, rerank: [stage], k: 8 };
    const url = at('cal');
    const c = await Collection.create(url, base as never);
    await c.add(docs());
    const query = `${beir.queries[0].text} retrieval ranking model`;
    const plain = (await c.search(query)).hits;
    assert.ok(plain.length >= 4, `${plain.length} hits`);

    // a synthetic Platt fit over the stage's real score range; the threshold splits the hits
    const [lo, hi] = [Math.min(...plain.map((h) => h.score)), Math.max(...plain.map((h) => h.score))];
    const rand = mulberry32(9);
    const scores = Float64Array.from({ length: 2000 }, () => lo + (hi - lo) * rand());
    const labels = scores.map((s) => (rand() < 1 / (1 + Math.exp(-(4.4 * (s - (lo + hi) / 2)) / (hi - lo))) ? 1 : 0));
    const fit = fitCalibration(scores, labels, {
      method: 'platt',
      fingerprint: stageFingerprint(resolvePipeline(base as never), 'cross-encoder'),
    });
    const probs = plain.map((h) => fit.apply(h.score)).sort((x, y) => x - y);
    const min = (probs[Math.floor(probs.length / 2) - 1] + probs[Math.floor(probs.length / 2)]) / 2;
    const cutting = { ...base, rerank: [{ ...stage, minRelevance: min }] };
    await c.close();

    const none = await Collection.open(url, { pipeline: cutting as never });
    try {
      await assert.rejects(
        none.search(query),
        (e: Error & { code?: string }) =>
          e.code === 'MODEL_ERROR' &&
          /\(config "calibration"\) holds no calibration for it; fit one with `shortlist calibrate .* --save-to postgres:\/\/postgres:\*\*\*@/.test(
            e.message,
          ),
      );
      assert.equal(await storeStageCalibration(none.config, 'cross-encoder', fit), none.config.configPlace('calibration'));
      const cut = (await none.search(query)).hits;
      const expected = plain.filter((h) => fit.apply(h.score) >= min).map((h) => h.id);
      assert.ok(expected.length > 0 && expected.length < plain.length, `threshold ${min} should split ${plain.length} hits`);
      assert.deepEqual(
        cut.map((h) => h.id),
        expected,
      );
      for (const h of cut) assert.ok(Math.abs(h.trace!.at(-1)!.probability! - fit.apply(h.score)) < 1e-12);
    } finally {
      await none.close();
    }

    // the CLI fits on a BEIR folder and stores into the schema (another stage's fit is kept)
    const other = fitCalibration(scores, labels, { method: 'platt', fingerprint: 'other:x' });
    const handle = await Collection.open(url);
    await storeStageCalibration(handle.config, 'other', other);
    await handle.close();
    const r = JSON.parse(
      await ok(['calibrate', beir.dir, '--pipeline', write('cutting.json', cutting), '--save-to', url, '--held-out', '0.25', '--json']),
    );
    assert.match(r.savedTo, /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+\?schema=cal.* \(config "calibration"\)$/);
    const back = await Collection.open(url, { pipeline: cutting as never });
    try {
      const stored = await loadStageCalibrations(back.config);
      assert.deepEqual(Object.keys(stored).sort(), ['cross-encoder', 'other']);
      assert.deepEqual(stored['cross-encoder'].params, r.fit.params);
      assert.equal(stored['cross-encoder'].fingerprint, fit.fingerprint, 'the CLI fingerprints the stage as the library does');
      const hits = (await back.search(query)).hits;
      assert.deepEqual(
        hits.map((h) => h.id),
        plain.filter((h) => stored['cross-encoder'].apply(h.score) >= min).map((h) => h.id),
      );
    } finally {
      await back.close();
    }
    const missing = await runCli(['calibrate', beir.dir, '--pipeline', write('cutting.json', cutting), '--save-to', at('nothing_here')]);
    assert.equal(missing.code, 4, missing.stderr);
    assert.match(missing.stderr, /--save-to postgres:\/\/postgres:\*\*\*@.* is not a collection/);
  });

  test("mine <url> gives the directory collection's rows; adapt <url> stores an adapter that searches apply", async () => {
    const model = await tinyModel('encoder');
    const dense = { type: 'dense', model, pooling: 'mean', normalize: true, maxLength: 64, threads: 1 };
    const pipeline = { retrievers: [{ type: 'bm25' }, dense], depth: 20, k: 5 };
    const url = at('adapt');
    const dir = join(tmp, 'adapt-dir');
    for (const where of [url, dir]) {
      const c = await Collection.create(where, pipeline as never);
      await c.add(docs());
      await c.close();
    }
    const mine = async (where: string, retriever: string, out: string) =>
      JSON.parse(
        await ok([
          'mine',
          where,
          '--queries',
          join(beir.dir, 'queries.jsonl'),
          '--qrels',
          join(beir.dir, 'qrels', 'test.tsv'),
          '--retriever',
          retriever,
          '--range-max',
          '10',
          '--num-negatives',
          '3',
          '--format',
          'n-tuple',
          '--out',
          out,
          '--json',
        ]),
      );
    const fromPg = await mine(url, 'bm25', join(tmp, 'pg-bm25.jsonl'));
    await mine(dir, 'bm25', join(tmp, 'dir-bm25.jsonl'));
    assert.equal(fromPg.summary.queries, 8);
    assert.ok(fromPg.rows > 0);
    assert.equal(
      readFileSync(join(tmp, 'pg-bm25.jsonl'), 'utf8'),
      readFileSync(join(tmp, 'dir-bm25.jsonl'), 'utf8'),
      'the same rows from Postgres as from the directory',
    );

    const train = join(tmp, 'pg-dense.jsonl');
    assert.equal((await mine(url, 'dense', train)).summary.queries, 8);
    const report = JSON.parse(await ok(['adapt', url, '--train', train, '--dev-fraction', '0.25', '--epochs', '3', '--json']));
    assert.match(report.file, /^postgres:\/\/postgres:\*\*\*@.*\(config "query-adapter"\)$/);

    // make the stored adapter visibly non-identity, so the search must differ
    const denseOnly = { retrievers: [dense], depth: 10, k: 10 };
    const q = beir.queries[0].text;
    let c = await Collection.open(url);
    const stored = (await readCollectionAdapter(c.config))!;
    assert.equal(stored.adapter.dims, stored.model.dims);
    assert.deepEqual(stored.training?.trainQueries, report.trainQueries);
    stored.adapter.W.reverse();
    await storeCollectionAdapter(c.config, stored.adapter, { model: stored.model });
    await c.close();
    const ids = async (options: { adapter?: boolean }) => {
      const h = await Collection.open(url, { pipeline: denseOnly as never, ...options });
      try {
        return (await h.search(q)).hits.map((x) => x.id);
      } finally {
        await h.close();
      }
    };
    const withAdapter = await ids({});
    const without = await ids({ adapter: false });
    assert.notDeepEqual(withAdapter, without, 'the adapter changes the dense ranking');
    // the directory collection with the same adapter ranks the same
    const d = await Collection.open(dir, { pipeline: denseOnly as never });
    await storeCollectionAdapter(d.config, stored.adapter, { model: stored.model });
    assert.deepEqual(
      (await d.search(q)).hits.map((x) => x.id),
      withAdapter,
    );
    await d.close();

    c = await Collection.open(url);
    await storeCollectionAdapter(c.config, stored.adapter, { model: { ...stored.model, revision: 'sha256:other' } });
    await c.close();
    c = await Collection.open(url, { pipeline: denseOnly as never });
    try {
      await assert.rejects(
        c.search(q),
        (e: Error & { code?: string }) =>
          e.code === 'INDEX_MISMATCH' && /\(config "query-adapter"\) was trained for dense model/.test(e.message),
      );
    } finally {
      await c.close();
    }
  });
});
