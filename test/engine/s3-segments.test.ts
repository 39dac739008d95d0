/**
 * BM25 segments on `s3://` (s3rver on loopback): a write stores one new segment as objects and
 * commits it with the store's tables in one conditional manifest PUT; a replica that refreshes to
 * the new version fetches only the new segment's objects (GETs and bytes counted), sees exactly
 * that version (store ids = BM25 ids), and scores as a directory collection does.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { S3Home } from '../../src/engine/home/index.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';

const BUCKET = 'segments';
let s3: TestS3;
let env: NodeJS.ProcessEnv;

before(async () => {
  s3 = await startTestS3([BUCKET]);
  env = s3.env;
});
after(async () => {
  await s3?.close();
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
const embed = async (texts: string[]) => texts.map(() => new Float32Array(1));

test('a replica that moves to a new version reads only the new segment objects', async () => {
  const location = `s3://${BUCKET}/c1`;
  const pipeline = resolvePipeline({ retrievers: [{ type: 'bm25' }] });
  const analyzer = getAnalyzer('english');
  const writer = await S3Home.create(location, pipeline, analyzer, {
    fingerprint: { models: {}, analyzer: analyzer.id, chunking: { ...pipeline.chunking, tokenizer: 'words' } },
    dims: 1,
    env,
  });
  const first = docs(0, 400);
  await writer.upsert(first, { embed });

  const { home: replica } = await S3Home.open(location, { env });
  try {
    const opened = replica.segmentReads;
    assert.equal(opened.gets, 2, 'opening reads the one segment: .seg and .docs');

    const second = docs(400, 20);
    await writer.upsert(second, { embed });
    await writer.remove(['d5']);
    const before = replica.segmentReads;
    assert.equal(await replica.refresh(), true);
    const read = { gets: replica.segmentReads.gets - before.gets, bytes: replica.segmentReads.bytes - before.bytes };
    // The new version adds one segment (.seg + .docs) and a live-docs object for the first segment.
    assert.equal(read.gets, 3, `objects fetched on refresh: ${JSON.stringify(read)}`);
    assert.ok(
      read.bytes < opened.bytes / 4,
      `bytes fetched on refresh (${read.bytes}) are a fraction of the collection's (${opened.bytes})`,
    );

    const live = [...first.filter((d) => d.id !== 'd5'), ...second];
    const ids = (await replica.store.get(live.map((d) => d.id))).map((d) => d.id).sort();
    assert.deepEqual(ids, live.map((d) => d.id).sort());
    assert.equal(replica.lexicalStats().documents, live.length);
    const fresh = await Bm25Index.build(live, { analyzer });
    const bm25 = pipeline.retrievers.find((r) => r.type === 'bm25')!;
    for (const q of ['alpha river', 'item 7 stone', 'omega filler']) {
      const hits = (await replica.bm25Retriever(bm25 as never).search(q, 10)).map((h) => ({ id: h.id, score: h.score }));
      assert.deepEqual(hits, fresh.search(q, 10), q);
    }
  } finally {
    await replica.close();
    await writer.close();
  }
});

test('SHORTLIST_S3_LOCK_TTL_MS must be a positive integer, named in the error', async () => {
  const location = `s3://${BUCKET}/ttl`;
  const pipeline = resolvePipeline({ retrievers: [{ type: 'bm25' }] });
  const analyzer = getAnalyzer('english');
  const fingerprint = { models: {}, analyzer: analyzer.id, chunking: { ...pipeline.chunking, tokenizer: 'words' as const } };
  await assert.rejects(
    S3Home.create(location, pipeline, analyzer, { fingerprint, dims: 1, env: { ...env, SHORTLIST_S3_LOCK_TTL_MS: '2s' } }),
    /SHORTLIST_S3_LOCK_TTL_MS=2s must be a positive integer/,
  );
  const home = await S3Home.create(location, pipeline, analyzer, {
    fingerprint,
    dims: 1,
    env: { ...env, SHORTLIST_S3_LOCK_TTL_MS: '5000' },
  });
  try {
    await home.upsert(docs(0, 5), { embed });
    assert.equal((await home.check()).ok, true);
  } finally {
    await home.close();
  }
});
