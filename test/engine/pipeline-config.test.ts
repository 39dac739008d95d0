/** Pipeline JSON: defaults, presets, errors naming the JSON path; caches; explain; aggregation; fused pipeline. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import type { Candidate, Hit, Reranker, Retriever } from '../../src/core/types.ts';
import { aggregateChunks } from '../../src/engine/retrievers.ts';
import { CachedReranker, LruCache } from '../../src/pipeline/cache.ts';
import { resolvePipeline, PIPELINE_DEFAULTS } from '../../src/pipeline/config.ts';
import { explainTable, movement } from '../../src/pipeline/explain.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { getPipelinePreset, loadPipeline, PIPELINE_PRESETS } from '../../src/pipeline/presets.ts';
import { resolveFusion } from '../../src/fuse/index.ts';

const invalid = (re: RegExp) => (e: unknown) => isShortlistError(e, 'INVALID_ARGUMENT') && re.test((e as Error).message);

test('resolvePipeline fills defaults, freezes, and names the JSON path of a bad field', () => {
  const p = resolvePipeline({});
  assert.equal(p.depth, 100);
  assert.equal(p.k, 10);
  assert.deepEqual(p.retrievers, [{ type: 'bm25', name: 'bm25' }]);
  assert.deepEqual(p.aggregate, PIPELINE_DEFAULTS.aggregate);
  assert.equal(p.chunking.size, 256);
  assert.equal(p.fusion.method, 'rrf');
  assert.ok(Object.isFrozen(p) && Object.isFrozen(p.retrievers) && Object.isFrozen(p.retrievers[0]));
  assert.throws(
    () => resolvePipeline({ rerank: [{ type: 'cross-encoder', model: 'm', keep: 0 }] }),
    invalid(/^pipeline\.rerank\[0\]\.keep: /),
  );
  assert.throws(() => resolvePipeline({ retrievers: [{ type: 'dense' }] }), invalid(/pipeline\.retrievers\[0\]\.model/));
  assert.throws(() => resolvePipeline({ retrievers: [{ type: 'bm25', b: 2 }] }), invalid(/retrievers\[0\]\.b/));
  assert.throws(() => resolvePipeline({ depht: 5 }), invalid(/depht/));
  assert.throws(() => resolvePipeline({ fusion: { method: 'convex' } }), invalid(/fusion\.missing/));
  assert.throws(() => resolvePipeline({ retrievers: [{ type: 'bm25' }, { type: 'bm25' }] }), invalid(/named "bm25"/));
  assert.throws(() => resolvePipeline({ fusion: { method: 'rrf', weights: { dense: 1 } } }), invalid(/fusion\.weights\.dense/));
  assert.throws(
    () => resolvePipeline({ depth: 20, rerank: [{ type: 'colbert', model: 'm', keep: 30 }] }),
    invalid(/rerank\[0\]\.keep is 30/),
  );
  const cascade = resolvePipeline({
    rerank: [
      { type: 'cross-encoder', model: 'a', keep: 30 },
      { type: 'cross-encoder', model: 'b', keep: 10 },
      { type: 'colbert', model: 'c', keep: 5 },
    ],
  });
  assert.deepEqual(
    cascade.rerank.map((s) => s.name),
    ['cross-encoder.0', 'cross-encoder.1', 'colbert'],
  );
  assert.throws(() => resolvePipeline({ rerank: [{ type: 'colbert', model: 'c', name: 'bm25' }] }), invalid(/"bm25" is used twice/));
  assert.throws(() => resolvePipeline({ chunking: { size: 10, overlap: 10 } }), invalid(/chunking\.overlap/));
});

test('presets: two-stage is the default, hybrid → cross-encoder, retrieve 100 keep 10', () => {
  const p = loadPipeline(undefined);
  assert.deepEqual(
    p.retrievers.map((r) => r.type),
    ['bm25', 'dense'],
  );
  assert.equal(p.depth, 100);
  assert.deepEqual(
    p.rerank.map((s) => [s.model, s.keep]),
    [['cross-encoder/ms-marco-MiniLM-L-6-v2', 10]],
  );
  assert.equal(getPipelinePreset('dense').retrievers[0].type, 'dense');
  assert.equal((getPipelinePreset('dense').retrievers[0] as { model: string }).model, 'BAAI/bge-small-en-v1.5');
  for (const name of Object.keys(PIPELINE_PRESETS)) assert.doesNotThrow(() => getPipelinePreset(name));
  assert.throws(() => getPipelinePreset('fast'), invalid(/bm25, dense, hybrid, two-stage/));
});

test('LruCache evicts the least recently used entry and reports its hit rate', () => {
  const c = new LruCache<number>(2);
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1); // a is now more recent than b
  c.set('c', 3);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('c'), 3);
  assert.deepEqual(c.stats, { hits: 2, misses: 1, size: 2, capacity: 2, hitRate: 2 / 3 });
});

test('CachedReranker scores each (query, candidate, model) once', async () => {
  let scored = 0;
  const inner: Reranker = {
    name: 'fake',
    async rerank(_q: string, cands: Candidate[], k: number) {
      scored += cands.length;
      return cands
        .map((c) => ({ id: c.id, score: c.text.length }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    },
  };
  const r = new CachedReranker(inner, 'm1');
  const cands = [
    { id: 'a', text: 'xx' },
    { id: 'b', text: 'xxxx' },
  ];
  assert.deepEqual(
    (await r.rerank('q', cands, 2)).map((h) => h.id),
    ['b', 'a'],
  );
  assert.deepEqual(
    (await r.rerank('q', [...cands, { id: 'c', text: 'xxx' }], 2)).map((h) => h.id),
    ['b', 'c'],
  );
  assert.equal(scored, 3);
  await r.rerank('q', [{ id: 'a', text: 'changed text' }], 1); // new content: scored again
  assert.equal(scored, 4);
  assert.equal(r.cache.stats.hits, 2);
});

test('movement and the explain table', () => {
  assert.equal(movement(5, 2), '↑3');
  assert.equal(movement(1, 6), '↓5');
  assert.equal(movement(3, 3), '=');
  assert.equal(movement(undefined, 1), 'new');
  const hits: Hit[] = [
    {
      id: 'x',
      score: 0.9,
      trace: [
        { stage: 'dense', rank: 1, score: 0.5 },
        { stage: 'fusion', rank: 2, score: 0.02 },
        { stage: 'cross-encoder', rank: 1, score: 0.9 },
      ],
    },
    {
      id: 'y',
      score: 0.8,
      trace: [
        { stage: 'bm25', rank: 1, score: 7 },
        { stage: 'fusion', rank: 1, score: 0.03 },
        { stage: 'cross-encoder', rank: 2, score: 0.8 },
      ],
    },
  ];
  const t = explainTable(hits, ['bm25', 'dense', 'fusion', 'cross-encoder'], 2);
  assert.deepEqual(t.header, ['rank', 'id', 'bm25', 'dense', 'fusion', 'cross-encoder', 'title']);
  assert.deepEqual(t.rows[0].slice(2, 6), ['—', '1 (0.5000)', '2 (0.0200) new', '1 (0.9000) ↑1']);
  assert.deepEqual(t.rows[1].slice(2, 6), ['1 (7.0000)', '—', '1 (0.0300) =', '2 (0.8000) ↓1']);
});

test('aggregateChunks: max, first and sum of the top n', () => {
  const chunks = [
    { id: 'a#2', docId: 'a', index: 2, score: 0.9 },
    { id: 'b#0', docId: 'b', index: 0, score: 0.8 },
    { id: 'a#0', docId: 'a', index: 0, score: 0.5 },
    { id: 'b#1', docId: 'b', index: 1, score: 0.45 },
    { id: 'a#1', docId: 'a', index: 1, score: 0.1 },
  ];
  const idScore = (hits: { id: string; score: number }[]) => hits.map(({ id, score }) => ({ id, score }));
  assert.deepEqual(idScore(aggregateChunks(chunks, { by: 'max', n: 3 })), [
    { id: 'a', score: 0.9 },
    { id: 'b', score: 0.8 },
  ]);
  assert.deepEqual(idScore(aggregateChunks(chunks, { by: 'first', n: 3 })), [
    { id: 'b', score: 0.8 },
    { id: 'a', score: 0.5 },
  ]);
  assert.deepEqual(aggregateChunks(chunks, { by: 'max', n: 3 })[0].chunkScores, [
    { chunk: 2, score: 0.9 },
    { chunk: 0, score: 0.5 },
    { chunk: 1, score: 0.1 },
  ]);
  const sum = aggregateChunks(chunks, { by: 'sum', n: 2 });
  assert.deepEqual(
    sum.map((h) => h.id),
    ['a', 'b'],
  );
  assert.ok(Math.abs(sum[0].score - 1.4) < 1e-12 && Math.abs(sum[1].score - 1.25) < 1e-12);
});

test('Pipeline runs retrievers concurrently, fuses with RRF, traces and records every stage', async () => {
  let running = 0;
  let overlap = false;
  const fake = (name: string, ids: string[]): Retriever => ({
    name,
    async search(_q, k) {
      running++;
      await new Promise((r) => setTimeout(r, 20));
      overlap ||= running === 2;
      running--;
      return ids.slice(0, k).map((id, i) => ({ id, score: 10 - i }));
    },
  });
  const p = new Pipeline({
    retrievers: [fake('bm25', ['a', 'b', 'c']), fake('dense', ['c', 'd'])],
    fusion: resolveFusion({ method: 'rrf' }),
    depth: 10,
    k: 3,
  });
  const res = await p.search('q', { record: true });
  assert.ok(overlap, 'the two retrievers must run at the same time');
  assert.deepEqual(
    res.hits.map((h) => h.id),
    ['c', 'a', 'b'],
  ); // c: 1/63 + 1/61 beats a: 1/61
  assert.deepEqual(
    res.hits[0].trace!.map((t) => [t.stage, t.rank]),
    [
      ['bm25', 3],
      ['dense', 1],
      ['fusion', 1],
    ],
  );
  assert.deepEqual(
    res.timings.map((t) => t.stage),
    ['bm25', 'dense', 'fusion'],
  );
  assert.deepEqual(
    res.lists!.map((l) => [l.stage, l.hits.length]),
    [
      ['bm25', 3],
      ['dense', 2],
      ['fusion', 4],
    ],
  );
  // single retriever behaviour is unchanged: no fusion stage, depth cut to k without rerankers
  const single = await new Pipeline({ retriever: fake('bm25', ['a', 'b', 'c']), k: 2 }).search('q');
  assert.deepEqual(
    single.timings.map((t) => t.stage),
    ['bm25'],
  );
  assert.deepEqual(
    single.hits.map((h) => h.id),
    ['a', 'b'],
  );
});
