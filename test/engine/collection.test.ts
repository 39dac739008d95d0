/**
 * Collections through the library: BM25-only collections rank exactly as a Bm25Index built on the
 * same documents; a dense collection with a generated tiny model never re-embeds unchanged content;
 * filters apply inside both retrievers; a pipeline whose model differs is refused.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import type { PipelineInput } from '../../src/pipeline/config.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { readCorpus } from '../../src/eval/beir.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-engine-'));
after(() => rmSync(root, { recursive: true, force: true }));
const data = writeCollection(join(root, 'beir'), { docs: 150, queries: 6, seed: 3 });

test('a bm25 collection returns the same top 10 as a Bm25Index built directly, and loads no model', async () => {
  const c = await Collection.create(join(root, 'c-bm25'), 'bm25');
  try {
    const added = await c.add(join(root, 'beir'));
    assert.equal(added.source, 'beir');
    assert.equal(added.added, 150);
    const docs = [];
    for await (const d of readCorpus(join(root, 'beir', 'corpus.jsonl'))) docs.push(d);
    const direct = await Bm25Index.build(docs, { analyzer: getAnalyzer('english') });
    for (const q of data.queries) {
      const got = await c.search(q.text);
      assert.deepEqual(
        got.hits.map((h) => [h.id, h.score]),
        direct.search(q.text, 10).map((h) => [h.id, h.score]),
      );
      assert.equal(got.hits[0].document?.id, got.hits[0].id);
    }
    assert.deepEqual(await c.encoderCounters(), { calls: 0, texts: 0, loaded: false });
    direct.close();
  } finally {
    await c.close();
  }
});

test('dense collection: unchanged content is not re-embedded, filters apply, mismatched model refused', async () => {
  const model = await tinyModel('encoder');
  const other = await tinyModel('encoder', 7);
  const dense = { type: 'dense' as const, model, pooling: 'mean' as const, normalize: true, maxLength: 128, threads: 1 };
  const pipeline: PipelineInput = {
    retrievers: [{ type: 'bm25' }, dense],
    fusion: { method: 'rrf' },
    depth: 20,
    k: 5,
    chunking: { size: 16, overlap: 4 },
  };
  const dir = join(root, 'c-dense');
  const docs = data.docs
    .slice(0, 40)
    .map((d, i) => ({ id: d._id, title: d.title, text: d.text, metadata: { group: i % 2 === 0 ? 'even' : 'odd', n: i } }));
  const c = await Collection.create(dir, pipeline);
  try {
    const first = await c.add(docs);
    assert.equal(first.added, 40);
    const afterFirst = await c.encoderCounters();
    assert.ok(afterFirst.texts >= 40, `embedded ${afterFirst.texts} chunks`);
    const again = await c.add(docs);
    assert.equal(again.unchanged, 40);
    assert.equal(again.embedded, 0);
    assert.deepEqual(await c.encoderCounters(), afterFirst, 're-adding unchanged documents must not call the encoder');
    const changed = await c.add([{ ...docs[0], text: docs[0].text + ' extra words here' }]);
    assert.equal(changed.updated, 1);
    assert.ok(changed.embedded >= 1);
    assert.equal((await c.encoderCounters()).calls, afterFirst.calls + 1);

    const q = data.queries[0].text;
    const res = await c.search(q, { record: true });
    assert.equal(res.hits.length, 5);
    const stages = res.timings.map((t) => t.stage);
    assert.deepEqual(stages, ['bm25', 'dense', 'fusion']);
    for (const h of res.hits) assert.ok(h.trace!.some((t) => t.stage === 'fusion'));
    assert.deepEqual(
      res.lists!.map((l) => l.stage),
      ['bm25', 'dense', 'fusion'],
    );

    const filtered = await c.search(q, { filter: "group = 'odd'", record: true });
    for (const l of filtered.lists!) for (const h of l.hits) assert.equal(Number(h.id.slice(1)) % 2, 1, `${l.stage} returned ${h.id}`);
    await assert.rejects(c.search(q, { filter: 'colour = 1' }), (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /colour/.test(e.message));

    await c.search(q);
    const stats = await c.cacheStats();
    assert.ok(stats.queryEmbeddings.hits >= 1);

    const removed = await c.remove([docs[1].id, 'nope']);
    assert.equal(removed.deleted, 1);
    assert.equal((await c.info()).documents, 39);
    assert.equal((await c.info()).bm25.documents, 39);
  } finally {
    await c.close();
  }
  await assert.rejects(
    Collection.open(dir, { pipeline: { ...pipeline, retrievers: [{ type: 'bm25' }, { ...dense, model: other }] } }),
    (e) => isShortlistError(e, 'INDEX_MISMATCH') && /models\.dense/.test(e.message),
  );
  await assert.rejects(
    Collection.open(dir, { pipeline: { retrievers: [{ type: 'bm25', analyzer: 'plain' }] } }),
    (e) => isShortlistError(e, 'INDEX_MISMATCH') && /analyzer/.test(e.message),
  );
  const bm25Only = await Collection.open(dir, { pipeline: 'bm25' }); // the stored vectors are simply not used
  try {
    assert.equal((await bm25Only.search(data.queries[1].text)).timings[0].stage, 'bm25');
    assert.equal((await bm25Only.encoderCounters()).loaded, false);
  } finally {
    await bm25Only.close();
  }
  const reopened = await Collection.open(dir, { pipeline: { ...pipeline, k: 3 } });
  try {
    assert.equal((await reopened.search(data.queries[1].text)).hits.length, 3);
  } finally {
    await reopened.close();
  }
});
