/**
 * Collections on object storage (`s3://bucket/prefix`, served by s3rver on loopback): the S3 home
 * against a directory collection of the same generated BEIR corpus — the same BM25 hits and
 * scores, the same `shortlist eval --pipeline bm25 --collection` numbers — two stateless
 * `shortlist serve --collections s3://…` processes answering identically and seeing an upsert
 * through the other within about a second, and one writer at a time. The endpoint and keys reach
 * the CLI children through their environment and this process's handles through the `env`
 * option; process.env is never set.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isShortlistError } from '../../src/core/errors.ts';
import { Collection } from '../../src/engine/collection.ts';
import { S3Home } from '../../src/engine/home/index.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import { parseLocation, s3Settings } from '../../src/store/lancedb/location.ts';
import { S3ManifestStorage } from '../../src/store/lancedb/manifest-s3.ts';
import { runCli, startServe, type ServeProcess } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { post } from './support.ts';

const BUCKET = 'shortlist';
const ROOT = `s3://${BUCKET}/team/collections`;
const LOCATION = `${ROOT}/docs`;
let tmp: string;
let s3: TestS3;
let env: NodeJS.ProcessEnv;
let beir: ReturnType<typeof writeCollection>;
let local: Collection;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'shortlist-s3home-'));
  s3 = await startTestS3([BUCKET]);
  env = s3.env;
  beir = writeCollection(join(tmp, 'beir'), { docs: 150, queries: 8, seed: 11 });
  local = await Collection.create(join(tmp, 'local'), 'bm25');
  await local.add(beir.dir);
});
after(async () => {
  await local?.close();
  await s3?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** `shortlist eval --pipeline bm25 --collection <location> --json`: its stages' metrics. */
async function evalNumbers(location: string) {
  const r = await runCli(['eval', beir.dir, '--pipeline', 'bm25', '--collection', location, '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { documents: number; queries: number; stages: { stage: string; metrics: Record<string, number> }[] };
  return { documents: out.documents, queries: out.queries, stages: out.stages.map((s) => ({ stage: s.stage, metrics: s.metrics })) };
}

async function serverSearch(r: ServeProcess, query: string) {
  const res = await post(`${r.url}/v1/search`, { collection: 'docs', query, k: 10 });
  assert.equal(res.status, 200, res.text);
  return (res.json.hits as { id: string; score: number }[]).map((h) => ({ id: h.id, score: h.score }));
}

async function localSearch(query: string) {
  return (await local.search(query, { k: 10 })).hits.map((h) => ({ id: h.id, score: h.score }));
}

test('an S3 collection made by `shortlist eval --collection s3://…` gives the directory numbers and BM25 scores', async (t) => {
  // eval creates the collection (pipeline bm25) and adds the corpus, then evaluates
  const [onS3, inDir] = await Promise.all([evalNumbers(LOCATION), evalNumbers(join(tmp, 'local-eval'))]);
  assert.equal(onS3.documents, 150);
  assert.ok(onS3.stages[0].metrics['ndcg@10'] > 0.3, JSON.stringify(onS3.stages));
  assert.deepEqual(onS3, inDir, 'eval on s3:// equals eval on a directory');
  t.diagnostic(`eval bm25 on s3:// and on a directory: ${JSON.stringify(onS3.stages[0].metrics)}`);

  // the same documents read back through this process's own handle (settings from `env`)
  const { home, pipeline } = await S3Home.open(LOCATION, { env });
  try {
    assert.deepEqual(pipeline, resolvePipeline(pipeline));
    assert.equal(home.lexicalStats().documents, 150);
    const bm25 = pipeline.retrievers.find((r) => r.type === 'bm25')!;
    for (const q of [...beir.queries.map((x) => x.text), 'protein cancer therapy']) {
      const fromS3 = (await home.bm25Retriever(bm25 as Parameters<typeof home.bm25Retriever>[0]).search(q, 10)).map((h) => ({
        id: h.id,
        score: h.score,
      }));
      assert.ok(fromS3.length > 0, q);
      assert.deepEqual(fromS3, await localSearch(q), `same BM25 hits and scores for "${q}"`);
    }
    assert.equal((await home.documents(['d3'])).get('d3')?.text, beir.docs[3].text);
    assert.equal(await home.writeConfig('calibration', { ok: 1 }), `${LOCATION}/calibration.json`);
    assert.deepEqual(await home.readConfig('calibration'), { ok: 1 });
    assert.equal(await home.readConfig('query-adapter'), undefined);
  } finally {
    await home.close();
  }

  const search = await runCli(['search', LOCATION, 'protein cancer therapy', '--json'], { env });
  assert.equal(search.code, 0, search.stderr);
  const hits = (JSON.parse(search.stdout) as { hits: { id: string; score: number }[] }).hits.map((h) => ({ id: h.id, score: h.score }));
  assert.deepEqual(hits, await localSearch('protein cancer therapy'), '`shortlist search s3://…` prints the directory hits');
  assert.equal(await S3Home.exists(LOCATION, { env }), true);
  assert.equal(await S3Home.exists(`${ROOT}/nothing`, { env }), false);
});

test('two `shortlist serve --collections s3://…` answer identically; an upsert through one is seen through the other; one writer at a time', async (t) => {
  const [a, b] = await Promise.all([
    startServe(['--port', '0', '--collections', ROOT, '--quiet'], { env }),
    startServe(['--port', '0', '--collections', ROOT, '--quiet'], { env }),
  ]);
  try {
    for (const r of [a, b])
      assert.deepEqual(((await (await fetch(`${r.url}/v1/collections`)).json()) as { collections: string[] }).collections, ['docs']);
    for (const q of beir.queries.slice(0, 4).map((x) => x.text)) {
      const x = await serverSearch(a, q);
      assert.deepEqual(x, await serverSearch(b, q), `identical answers for "${q}"`);
      assert.deepEqual(x, await localSearch(q), `the directory's answer for "${q}"`);
    }
    assert.deepEqual(await serverSearch(b, 'zqfreshterm'), []);

    const up = await post(`${a.url}/v1/collections/docs/documents`, {
      documents: [{ id: 'fresh', title: 'Fresh', text: 'zqfreshterm arrives through replica A' }],
    });
    assert.equal(up.status, 200, up.text);
    assert.equal((await serverSearch(a, 'zqfreshterm'))[0]?.id, 'fresh', 'the writer sees its write at once');
    const t0 = Date.now();
    let seen: { id: string }[] = [];
    while (Date.now() - t0 < 5000 && seen.length === 0) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await serverSearch(b, 'zqfreshterm');
    }
    const lag = Date.now() - t0;
    assert.equal(seen[0]?.id, 'fresh', 'replica B finds the upsert without a restart');
    assert.ok(lag < 2500, `seen after ${lag} ms`);
    t.diagnostic(`replica B saw the upsert through A after ${lag} ms`);
    await local.add([{ id: 'fresh', title: 'Fresh', text: 'zqfreshterm arrives through replica A' }]);
    for (const q of ['zqfreshterm', beir.queries[0].text]) {
      assert.deepEqual(await serverSearch(b, q), await serverSearch(a, q));
      assert.deepEqual(await serverSearch(b, q), await localSearch(q), `B after the upsert, "${q}"`);
    }

    // a writer holding the collection's S3 lock: writes through a server and through a handle are refused
    const loc = parseLocation(LOCATION) as Extract<ReturnType<typeof parseLocation>, { kind: 's3' }>;
    const storage = new S3ManifestStorage(loc, s3Settings(env));
    const { home } = await S3Home.open(LOCATION, { env });
    const lock = await storage.lock();
    try {
      const refused = await post(`${b.url}/v1/collections/docs/documents`, { documents: [{ id: 'late', text: 'zqlateterm' }] });
      assert.equal(refused.status, 409, refused.text);
      assert.match(refused.text, /another writer .* is changing the collection/);
      await assert.rejects(
        home.remove(['d1']),
        (err) => isShortlistError(err) && err.code === 'CONFLICT' && /another writer/.test(err.message),
      );
      assert.equal(home.lexicalStats().documents, 151, 'the refused write changed nothing');
    } finally {
      await lock.release();
      storage.close();
    }
    try {
      const removed = await home.remove(['d1']);
      assert.equal(removed.deleted, 1);
      assert.equal(home.lexicalStats().documents, 150, 'the handle applies its own write in place');
      assert.equal(home.documentNow?.('d1'), undefined);
    } finally {
      await home.close();
    }
  } finally {
    assert.equal(await a.stop(), 0);
    assert.equal(await b.stop(), 0);
  }
});
