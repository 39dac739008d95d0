import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Document } from '../../core/types.ts';
import { Bm25Index } from './index.ts';
import { findMerge, resolveMergePolicy } from './merge-policy.ts';
import { SegmentCache } from './segments-io.ts';
import { MemorySegmentStore } from './segment-store.ts';
import { randomDocs, randomQuery, rng, wsAnalyzer } from './test-helpers.ts';

/** Results of a fixed set of queries at several depths, with both strategies. */
function snapshot(index: Bm25Index, seed: number): unknown[] {
  const rand = rng(seed);
  const out: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    const q = randomQuery(rand, 60, 5);
    const k = [1, 10, 100, 1000][i % 4];
    out.push(
      index.search(q, k, { strategy: 'maxscore' }),
      index.search(q, k, { strategy: 'exhaustive' }),
      index.search(q, k, { k1: 1.2, b: 0.75 }),
    );
  }
  return out;
}

const noMerge = { mergePolicy: { segmentsPerTier: 1000, maxMergeAtOnce: 10, deletesPctAllowed: 100 } };

test('several segments with deletions score exactly as one merged segment and as a fresh build', async () => {
  const docs = randomDocs(900, { vocab: 60, maxLen: 20, seed: 3, longEvery: 11 });
  const index = Bm25Index.create(wsAnalyzer, noMerge);
  const live = new Map<string, Document>();
  const rand = rng(9);
  for (let batch = 0; batch < 9; batch++) {
    const slice = docs.slice(batch * 100, batch * 100 + 100);
    // Re-send some earlier documents with new text (upserts across segments).
    const upserts =
      batch > 0
        ? docs
            .slice(0, batch * 100)
            .filter(() => rand() < 0.05)
            .map((d) => ({ ...d, text: `${d.text} u${batch}` }))
        : [];
    await index.add([...slice, ...upserts]);
    for (const d of [...slice, ...upserts]) live.set(d.id, d);
    const gone = [...live.keys()].filter(() => rand() < 0.04);
    index.delete(gone);
    for (const id of gone) live.delete(id);
    index.search('x', 1); // flush: one segment per batch
  }
  const info = index.segmentInfo;
  assert.equal(info.segments, 9);
  assert.ok(info.deleted > 20, `deleted-but-unmerged documents: ${info.deleted}`);
  const fresh = await Bm25Index.build([...live.values()], { analyzer: wsAnalyzer });
  assert.deepEqual(snapshot(index, 1), snapshot(fresh, 1));
  assert.deepEqual(index.stats, fresh.stats);
  assert.equal(index.size, live.size);
  for (const d of [...live.values()].slice(0, 50)) assert.deepEqual(index.document(d.id), d);

  index.forceMerge();
  assert.equal(index.segmentInfo.segments, 1);
  assert.deepEqual(snapshot(index, 1), snapshot(fresh, 1));
});

test('statistics count only live documents: a deleted, unmerged document changes N, df and avgdl', async () => {
  const index = Bm25Index.create(wsAnalyzer, noMerge);
  await index.add([
    { id: 'a', text: 'apple banana' },
    { id: 'b', text: 'apple' },
  ]);
  index.search('x', 1);
  await index.add([
    { id: 'c', text: 'cherry cherry cherry cherry' },
    { id: 'd', text: 'date' },
  ]);
  index.search('x', 1);
  index.delete('c');
  assert.equal(index.segmentInfo.segments, 2);
  assert.equal(index.segmentInfo.deleted, 1);
  const only = await Bm25Index.build(
    [
      { id: 'a', text: 'apple banana' },
      { id: 'b', text: 'apple' },
      { id: 'd', text: 'date' },
    ],
    { analyzer: wsAnalyzer },
  );
  // Lucene would keep N = 4 and avgdl = 8/4 until a merge; we use N = 3 and avgdl = 4/3.
  assert.deepEqual(index.search('apple banana', 5), only.search('apple banana', 5));
  assert.equal(index.stats.indexedDocCount, 3);
  assert.equal(index.stats.sumTotalTermFreq, 4);
  assert.deepEqual(index.search('cherry', 5), []);
});

test('a full merge is bit-identical to a fresh build; a write puts only the new blobs; a reader loads only them', async () => {
  const docs = randomDocs(600, { vocab: 80, maxLen: 25, seed: 5 });
  const store = new MemorySegmentStore();
  const index = await Bm25Index.build(docs.slice(0, 400), { analyzer: wsAnalyzer, ...noMerge });
  const v1 = await index.writeSegments(store);
  assert.equal(v1.written.length, 2);
  const cache = new SegmentCache();
  const reader = await Bm25Index.openSegments(store, v1.part, { analyzer: wsAnalyzer, cache });
  assert.equal(cache.fetched, 2);

  const writer = reader.fork();
  await writer.add(docs.slice(400, 450));
  writer.delete([docs[3].id, docs[7].id]);
  const v2 = await writer.writeSegments(store);
  // One new segment (.seg + .docs) and one live-docs generation of the old one.
  assert.equal(v2.written.length, 3, v2.written.join(', '));
  assert.equal(v2.part.segments.length, 2);
  // The reader of v1 still sees v1 (the fork copied its deletions).
  assert.equal(reader.size, 400);
  assert.ok(reader.has(docs[3].id));

  const before = cache.fetched;
  const next = await Bm25Index.openSegments(store, v2.part, { analyzer: wsAnalyzer, cache });
  assert.equal(cache.fetched - before, 3, 'only the new segment and the new live-docs are read');
  const liveDocs = [...docs.slice(0, 450)].filter((d) => d.id !== docs[3].id && d.id !== docs[7].id);
  const fresh = await Bm25Index.build(liveDocs, { analyzer: wsAnalyzer });
  assert.deepEqual(snapshot(next, 4), snapshot(fresh, 4));

  const merged = await next.fork().writeSegments(store, { forceMerge: true });
  assert.equal(merged.part.segments.length, 1);
  const freshStore = new MemorySegmentStore();
  const freshPart = await fresh.writeSegments(freshStore);
  const name = merged.part.segments[0].name;
  const freshName = freshPart.part.segments[0].name;
  assert.deepEqual(store.blobs.get(`${name}.seg`), freshStore.blobs.get(`${freshName}.seg`));
  assert.deepEqual(store.blobs.get(`${name}.docs`), freshStore.blobs.get(`${freshName}.docs`));
});

test('the tiered merge policy keeps segments per tier bounded and rewrites segments with many deletions', async () => {
  const policy = resolveMergePolicy({ segmentsPerTier: 4, maxMergeAtOnce: 4, floorSegmentDocs: 100 });
  assert.equal(
    findMerge(
      [
        { docCount: 50, delCount: 0 },
        { docCount: 60, delCount: 0 },
        { docCount: 10_000, delCount: 0 },
      ],
      policy,
    ),
    null,
  );
  const five = Array.from({ length: 5 }, (_, i) => ({ docCount: 50 + i, delCount: 0 }));
  assert.deepEqual(findMerge([{ docCount: 10_000, delCount: 0 }, ...five], policy), [1, 2, 3, 4]);
  assert.deepEqual(findMerge([{ docCount: 10_000, delCount: 3000 }], policy), [0]);
  assert.throws(() => resolveMergePolicy({ segmentsPerTier: 1 }), /segmentsPerTier/);

  // Writes of 100-document batches: segments stay few, results stay exact.
  const docs = randomDocs(2000, { vocab: 70, maxLen: 12, seed: 8 });
  const index = Bm25Index.create(wsAnalyzer, { mergePolicy: { segmentsPerTier: 4, maxMergeAtOnce: 4, floorSegmentDocs: 100 } });
  for (let i = 0; i < docs.length; i += 100) {
    await index.add(docs.slice(i, i + 100));
    if (i > 0) index.delete(docs.slice(i - 50, i - 40).map((d) => d.id));
    assert.ok(index.segmentInfo.segments <= 12, `${index.segmentInfo.segments} segments after ${i + 100} documents`);
  }
  const gone = new Set<string>();
  for (let i = 100; i < docs.length; i += 100) for (const d of docs.slice(i - 50, i - 40)) gone.add(d.id);
  const fresh = await Bm25Index.build(
    docs.filter((d) => !gone.has(d.id)),
    { analyzer: wsAnalyzer },
  );
  assert.deepEqual(snapshot(index, 6), snapshot(fresh, 6));
});
