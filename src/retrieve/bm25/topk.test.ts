import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bm25Index } from './index.ts';
import { bruteForce, randomDocs, randomQuery, rng, wsAnalyzer } from './test-helpers.ts';

test('hand-computed example through the index', async () => {
  const index = await Bm25Index.build(
    [
      { id: 'd1', text: 'apple banana' },
      { id: 'd2', title: 'apple apple', text: 'cherry cherry date' },
      { id: 'd3', text: 'banana cherry egg fig' },
    ],
    { analyzer: wsAnalyzer },
  );
  // See similarity.test.ts for the arithmetic: d2 0.31014037, d1 0.27068272.
  assert.deepEqual(index.search('apple', 10), [
    { id: 'd2', score: Math.fround(0.31014037) },
    { id: 'd1', score: Math.fround(0.2706827) },
  ]);
  assert.deepEqual(index.search('nothing here', 10), []);
  assert.deepEqual(index.search('apple', 0), []);
});

test('MaxScore top-k equals brute force on random corpora, ties included', async () => {
  const cases = [
    { n: 300, vocab: 6, maxLen: 4, seed: 1 }, // tiny vocabulary: many identical documents, many ties
    { n: 1500, vocab: 200, maxLen: 12, seed: 2, longEvery: 17 },
    { n: 800, vocab: 40, maxLen: 30, seed: 3, longEvery: 5 },
    { n: 6000, vocab: 120, maxLen: 10, seed: 4, longEvery: 50 }, // many 128-posting blocks: block-max skips
  ];
  for (const c of cases) {
    const docs = randomDocs(c.n, c);
    const index = await Bm25Index.build(docs, { analyzer: wsAnalyzer });
    const rand = rng(c.seed + 100);
    for (let q = 0; q < 40; q++) {
      const query = randomQuery(rand, c.vocab + 2, 6);
      const k = [1, 3, 10, 50, 2000, 5][q % 6];
      const params = q % 3 === 0 ? { k1: 1.2, b: 0.75 } : q % 3 === 1 ? { k1: 0.9, b: 0.4 } : { k1: 2, b: 1 };
      const expected = bruteForce(docs, query, k, params.k1, params.b);
      assert.deepEqual(index.search(query, k, params), expected, `seed ${c.seed} query "${query}" k ${k}`);
      assert.deepEqual(index.search(query, k, { ...params, strategy: 'maxscore' }), expected);
      assert.deepEqual(index.search(query, k, { ...params, strategy: 'exhaustive' }), expected);
    }
  }
});

test('searchMany equals search per query; k beyond the corpus is capped', async () => {
  const docs = randomDocs(200, { vocab: 30, maxLen: 8, seed: 11 });
  const index = await Bm25Index.build(docs, { analyzer: wsAnalyzer });
  const rand = rng(5);
  const queries = Array.from({ length: 20 }, (_, i) => ({ id: `q${i}`, text: randomQuery(rand, 30, 4) }));
  const runs = index.searchMany(queries, 1000);
  for (const q of queries) assert.deepEqual(runs.get(q.id), index.search(q.text, 1000, { strategy: 'maxscore' }));
  assert.ok(index.search('w0 w1 w2', 1e9).length <= 200);
});
