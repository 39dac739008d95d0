/**
 * ColBERT MaxSim from token vectors stored at ingest (`"store": true` on the colbert stage) against
 * the query-time path, on tiny generated models: equal scores, no document encoded at query time,
 * nothing re-encoded for unchanged documents, the colbert model in the fingerprint, and chunk
 * scores aggregated to documents. Prints the colbert stage's latency both ways on 200 documents.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedModel } from '../../scripts/models/fixtures.ts';
import { builtinVocab } from '../../scripts/models/vocab.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { Collection } from '../../src/engine/collection.ts';
import { resolvePipeline, type PipelineInput } from '../../src/pipeline/config.ts';
import { aggregateChunkScores, ColbertReranker } from '../../src/rerank/colbert/reranker.ts';
import { maxSim } from '../../src/rerank/colbert/maxsim.ts';
import { writeCollection, type GeneratedCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-colbert-stored-'));
after(() => rmSync(root, { recursive: true, force: true }));

const COLBERT = {
  queryLength: 32,
  documentLength: 128,
  queryMarker: '[unused0]',
  documentMarker: '[unused1]',
  maskAugment: true,
  skipPunctuation: true,
};
let data: GeneratedCollection;
let model: string;
let other: string;

function pipeline(store: boolean, m = model, extra: Partial<PipelineInput> = {}): PipelineInput {
  return {
    depth: 100,
    k: 10,
    rerank: [{ type: 'colbert', model: m, keep: 10, threads: 1, colbert: COLBERT, ...(store ? { store: true } : {}) }],
    ...extra,
  };
}

before(async () => {
  data = writeCollection(join(root, 'beir'), { docs: 200, queries: 12, seed: 4 });
  writeFileSync(join(root, 'vocab.txt'), [...builtinVocab(), '[unused0]', '[unused1]'].join('\n') + '\n');
  [model, other] = await Promise.all(
    [1, 2].map((seed) => generatedModel({ shape: 'tiny', head: 'colbert', seed, vocab: join(root, 'vocab.txt') })),
  );
});

test('stored matrices score as the query-time path, encode no document at query time, and only new chunks at ingest', async () => {
  const stored = await Collection.create(join(root, 'stored'), pipeline(true));
  const live = await Collection.create(join(root, 'live'), pipeline(false));
  try {
    assert.equal((await stored.info()).tokenDims, 128);
    assert.equal((await live.info()).tokenDims, undefined);
    const added = await stored.add(join(root, 'beir'));
    await live.add(join(root, 'beir'));
    const ingest = await stored.colbertCounters();
    assert.equal(ingest.documentTexts, added.embedded, 'one matrix per embedded chunk');
    assert.equal(added.embedded, 200, 'these documents are one chunk each');

    // Re-adding unchanged documents encodes nothing; changing one encodes only its chunk.
    const again = await stored.add(join(root, 'beir'));
    assert.equal(again.unchanged, 200);
    assert.deepEqual(await stored.colbertCounters(), ingest);
    const d0 = data.docs[0];
    await stored.add([
      { id: d0._id, title: d0.title, text: d0.text },
      { id: 'new', text: 'a fresh document about nothing' },
    ]);
    assert.equal((await stored.colbertCounters()).documentTexts, ingest.documentTexts + 1);
    await live.add([{ id: 'new', text: 'a fresh document about nothing' }]);

    const ms = { stored: 0, live: 0 };
    for (const q of data.queries) {
      const before = await stored.colbertCounters();
      const a = await stored.search(q.text, { record: true });
      const after = await stored.colbertCounters();
      assert.equal(after.documentCalls, before.documentCalls, 'no document is encoded at query time');
      assert.equal(after.queryCalls, before.queryCalls + 1);
      const b = await live.search(q.text, { record: true });
      const [sa, sb] = [a.lists![1], b.lists![1]];
      assert.equal(sa.stage, 'colbert');
      assert.deepEqual(
        sa.hits.map((h) => h.id),
        sb.hits.map((h) => h.id),
      );
      sa.hits.forEach((h, i) =>
        assert.ok(Math.abs(h.score - sb.hits[i].score) <= 1e-5, `${h.id}: stored ${h.score}, query time ${sb.hits[i].score}`),
      );
      ms.stored += a.timings.find((t) => t.stage === 'colbert')!.ms;
      ms.live += b.timings.find((t) => t.stage === 'colbert')!.ms;
    }
    const n = data.queries.length;
    console.log(
      `# colbert stage, 100 candidates of 200 docs, mean of ${n} queries: stored ${(ms.stored / n).toFixed(2)} ms, query time ${(ms.live / n).toFixed(2)} ms`,
    );
  } finally {
    await stored.close();
    await live.close();
  }
});

test('a document of several chunks scores by the pipeline aggregate over its stored chunk matrices', async () => {
  const c = await Collection.create(
    join(root, 'chunked'),
    pipeline(true, model, { chunking: { size: 12, overlap: 2 }, aggregate: { by: 'sum', n: 2 } }),
  );
  const enc = await ColbertReranker.create({ model, threads: 1, preset: { colbert: COLBERT } } as Parameters<
    typeof ColbertReranker.create
  >[0]);
  try {
    const docs = data.docs.slice(0, 20).map((d) => ({ id: d._id, title: d.title, text: d.text }));
    const added = await c.add(docs);
    assert.ok(added.embedded > docs.length, 'documents span several chunks');
    const q = data.queries[0].text;
    const res = await c.search(q, { record: true });
    const [qm] = await enc.encoder.encodeQueries([q]);
    const stored = await (await import('../../src/store/lancedb/store.ts')).LanceCollectionStore.open(join(root, 'chunked'));
    try {
      for (const h of res.lists![1].hits) {
        const chunks = await stored.chunks([h.id], { vectors: true });
        const expect = aggregateChunkScores(
          chunks.map((ch) => maxSim(qm.data, ch.tokenVectors!, qm.dims)),
          { by: 'sum', n: 2 },
        );
        assert.ok(Math.abs(h.score - expect) <= 1e-5, `${h.id}: ${h.score} vs ${expect}`);
      }
    } finally {
      await stored.close();
    }
  } finally {
    await enc.dispose();
    await c.close();
  }
});

test('a storing pipeline with another colbert model is refused (INDEX_MISMATCH)', async () => {
  const dir = join(root, 'fp');
  const c = await Collection.create(dir, pipeline(true));
  await c.close();
  await assert.rejects(
    Collection.open(dir, { pipeline: pipeline(true, other) }),
    (e) => isShortlistError(e, 'INDEX_MISMATCH') && /models\.colbert/.test(e.message),
  );
  const same = await Collection.open(dir, { pipeline: pipeline(true) });
  await same.close();
  // Scoring at query time reads no stored matrices, so any colbert model may search.
  const live = await Collection.open(dir, { pipeline: pipeline(false, other) });
  await live.close();
  // A collection without stored matrices cannot serve a storing stage.
  const plain = join(root, 'plain');
  await (await Collection.create(plain, pipeline(false))).close();
  await assert.rejects(Collection.open(plain, { pipeline: pipeline(true) }), (e) => isShortlistError(e, 'INDEX_MISMATCH'));
});

test('store is refused on a cross-encoder, with includeTitle false, and on two stages', () => {
  const ce = { type: 'cross-encoder' as const, model: 'x', store: true };
  assert.throws(() => resolvePipeline({ rerank: [ce] }), /rerank\[0\]\.store/);
  assert.throws(() => resolvePipeline({ rerank: [{ type: 'colbert', model: 'x', store: true, includeTitle: false }] }), /includeTitle/);
  assert.throws(
    () =>
      resolvePipeline({
        rerank: [
          { type: 'colbert', model: 'x', store: true, keep: 20 },
          { type: 'colbert', model: 'y', store: true },
        ],
      }),
    /rerank\[1\]\.store/,
  );
});
