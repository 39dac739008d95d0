import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Document } from '../../core/types.ts';
import { getAnalyzer } from '../../text/index.ts';
import { idRanges } from './hit-lists.ts';
import { Bm25Index } from './index.ts';
import { MemorySegmentStore } from './segment-store.ts';
import { randomDocs, randomQuery, rng, wsAnalyzer } from './test-helpers.ts';

const noMerge = { mergePolicy: { segmentsPerTier: 1000, maxMergeAtOnce: 10, deletesPctAllowed: 100 } };
const strategies = ['maxscore', 'exhaustive', 'auto'] as const;

/** Results of `count` random queries at several depths with every strategy. */
function runs(index: Bm25Index, seed: number, vocab: number, count = 30): unknown[] {
  const rand = rng(seed);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const q = randomQuery(rand, vocab, 4);
    for (const k of [1, 3, 10, 100, 1000]) for (const strategy of strategies) out.push(index.search(q, k, { strategy }));
  }
  return out;
}

/** Documents added as `batches` segments (one per batch), ids interleaved across segments when `shuffle`. */
async function segmented(docs: Document[], batches: number, shuffle: boolean): Promise<Bm25Index> {
  const index = Bm25Index.create(wsAnalyzer, noMerge);
  const order = shuffle ? [...docs].sort((a, b) => (a.text.length % 7) - (b.text.length % 7) || (a.id < b.id ? -1 : 1)) : docs;
  const size = Math.ceil(order.length / batches);
  for (let i = 0; i < order.length; i += size) {
    await index.add(order.slice(i, i + size));
    index.search('x', 1); // flush: one segment per batch
  }
  return index;
}

test('segments of very unequal sizes, with many tied scores, rank exactly as one fresh segment (disjoint and interleaved ids)', async () => {
  // A tiny vocabulary and short documents: most scores tie, so ties across segments (broken by id) decide most ranks.
  const docs = randomDocs(3000, { vocab: 12, maxLen: 5, seed: 21 });
  const fresh = await Bm25Index.build(docs, { analyzer: wsAnalyzer });
  for (const shuffle of [false, true]) {
    // One large segment and nine small ones, as the tiered policy leaves them after a few writes.
    const index = Bm25Index.create(wsAnalyzer, noMerge);
    const order = shuffle ? [...docs].reverse() : docs;
    await index.add(order.slice(0, 2100));
    index.search('x', 1);
    for (let i = 2100; i < order.length; i += 100) {
      await index.add(order.slice(i, i + 100));
      index.search('x', 1);
    }
    assert.equal(index.segmentInfo.segments, 10);
    assert.deepEqual(runs(index, 5, 12), runs(fresh, 5, 12), shuffle ? 'interleaved ids' : 'disjoint ids');
  }
  const interleaved = await segmented(docs, 6, true);
  assert.deepEqual(runs(interleaved, 6, 12), runs(fresh, 6, 12));
});

test('idRanges: disjoint id ranges are ordered without comparing ids, overlapping ones are not', async () => {
  const a = await Bm25Index.build(
    [
      { id: 'a1', text: 'x' },
      { id: 'a5', text: 'x' },
    ],
    { analyzer: wsAnalyzer },
  );
  const b = await Bm25Index.build(
    [
      { id: 'b1', text: 'x' },
      { id: 'b2', text: 'x' },
    ],
    { analyzer: wsAnalyzer },
  );
  const c = await Bm25Index.build(
    [
      { id: 'a3', text: 'x' },
      { id: 'c', text: 'x' },
    ],
    { analyzer: wsAnalyzer },
  );
  const seg = (i: Bm25Index) => (i as unknown as { segs: { segment: import('./segment.ts').Segment }[] }).segs[0].segment;
  const r = idRanges([seg(a), seg(b), seg(c)]);
  assert.deepEqual([...r], [0, -1, 0, 1, 0, 0, 0, 0, 0]);
});

test('deletions after searches: a document deleted in place, or only in a fork, never comes back from either kernel', async () => {
  const docs = randomDocs(1200, { vocab: 20, maxLen: 8, seed: 31 });
  const index = Bm25Index.create(wsAnalyzer, noMerge);
  await index.add(docs.slice(0, 1000));
  index.search('x', 1);
  await index.add(docs.slice(1000));
  const live = new Map(docs.map((d) => [d.id, d]));
  const rand = rng(4);
  const check = async (ix: Bm25Index, alive: Map<string, Document>, seed: number) => {
    const fresh = await Bm25Index.build([...alive.values()], { analyzer: wsAnalyzer });
    assert.deepEqual(runs(ix, seed, 20, 10), runs(fresh, seed, 20, 10));
  };
  for (let round = 0; round < 4; round++) {
    // Search (the exhaustive scorers mark the current deletions), then delete more in place.
    runs(index, round, 20, 3);
    const gone = [...live.keys()].filter(() => rand() < 0.05);
    index.delete(gone);
    for (const id of gone) live.delete(id);
    await check(index, live, round);
  }
  // A fork shares the segments (and their scorers) but not the deletions: searches alternate.
  const fork = index.fork();
  const forkLive = new Map(live);
  const gone = [...forkLive.keys()].filter(() => rand() < 0.1);
  fork.delete(gone);
  for (const id of gone) forkLive.delete(id);
  for (let i = 0; i < 2; i++) {
    await check(fork, forkLive, 10 + i);
    await check(index, live, 20 + i);
  }
});

const scifact = join(import.meta.dirname, '../../../../shared/datasets/scifact/corpus.jsonl');

test('scifact: a full merge of segments with deletions is bit-identical to a fresh build', {
  skip: existsSync(scifact) ? false : 'needs ../shared/datasets/scifact',
}, async () => {
  const analyzer = getAnalyzer('english');
  const docs: Document[] = readFileSync(scifact, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line) as { _id: string; title?: string; text: string };
      return { id: r._id, title: r.title ?? '', text: r.text };
    });
  const store = new MemorySegmentStore();
  let index = await Bm25Index.build(docs.slice(0, 4000), { analyzer, ...noMerge });
  const gone = new Set<string>();
  for (let i = 4000; i < docs.length; i += 300) {
    const writer = index.fork();
    await writer.add(docs.slice(i, i + 300));
    const drop = docs.slice(i - 3000, i - 2990).map((d) => d.id);
    writer.delete(drop);
    for (const id of drop) gone.add(id);
    const v = await writer.writeSegments(store);
    index = await Bm25Index.openSegments(store, v.part, { analyzer });
  }
  assert.ok(index.segmentInfo.segments >= 4, `${index.segmentInfo.segments} segments`);
  const liveDocs = docs.filter((d) => !gone.has(d.id));
  const fresh = await Bm25Index.build(liveDocs, { analyzer });
  // Searches over the segments already equal the fresh build…
  for (const d of liveDocs.slice(0, 40))
    assert.deepEqual(index.search(d.title ?? d.text.slice(0, 80), 100), fresh.search(d.title ?? d.text.slice(0, 80), 100));
  // …and the merged blobs are the fresh build's, byte for byte.
  const merged = await index.fork().writeSegments(store, { forceMerge: true });
  const freshStore = new MemorySegmentStore();
  const freshPart = await fresh.writeSegments(freshStore);
  const [m, f] = [merged.part.segments[0].name, freshPart.part.segments[0].name];
  assert.ok(Buffer.from(store.blobs.get(`${m}.seg`)!).equals(Buffer.from(freshStore.blobs.get(`${f}.seg`)!)), '.seg differs');
  assert.ok(Buffer.from(store.blobs.get(`${m}.docs`)!).equals(Buffer.from(freshStore.blobs.get(`${f}.docs`)!)), '.docs differs');
});
