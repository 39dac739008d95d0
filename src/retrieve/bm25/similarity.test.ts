import assert from 'node:assert/strict';
import { test } from 'node:test';
import { avgFieldLength, idf, normInverseCache, resolveParams, termScore, termWeight } from './similarity.ts';
import { intToByte4 } from './smallfloat.ts';

/*
 * Hand-computed example, k1 = 0.9, b = 0.4:
 *   d1 = "apple banana"                       dl = 2
 *   d2 = "apple apple cherry cherry date"     dl = 5
 *   d3 = "banana cherry egg fig"              dl = 4
 *   N = 3, sumTotalTermFreq = 11, avgdl = 11/3 = 3.6666667
 *   idf(apple), df = 2: ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.47000363
 *   d1, tf = 1: 0.47000363 · 1 / (1 + 0.9 · (0.6 + 0.4 · 2/3.6666667))
 *             = 0.47000363 / (1 + 0.9 · 0.8181818) = 0.47000363 / 1.7363636 = 0.27068272
 *   d2, tf = 2: 0.47000363 · 2 / (2 + 0.9 · (0.6 + 0.4 · 5/3.6666667))
 *             = 0.94000726 / (2 + 0.9 · 1.1454545) = 0.94000726 / 3.0309091 = 0.31014037
 */
test('BM25 kernel equals the hand-computed example', () => {
  const avgdl = avgFieldLength(11, 3);
  assert.equal(avgdl, Math.fround(11 / 3));
  const w = termWeight(1, idf(2, 3));
  assert.ok(Math.abs(w - 0.47000363) < 1e-7);
  const cache = normInverseCache(0.9, 0.4, avgdl);
  const s1 = termScore(w, 1, cache[intToByte4(2)]);
  const s2 = termScore(w, 2, cache[intToByte4(5)]);
  assert.ok(Math.abs(s1 - 0.27068272) < 1e-7, String(s1));
  assert.ok(Math.abs(s2 - 0.31014037) < 1e-7, String(s2));
  // float32 results, exactly: computed with numpy float32 following Lucene's order of operations.
  assert.equal(s1, Math.fround(0.2706827));
  assert.equal(s2, Math.fround(0.31014037));
});

test('a query term repeated twice doubles its weight (Anserini boosts)', () => {
  const w1 = termWeight(1, idf(2, 3));
  const w2 = termWeight(2, idf(2, 3));
  assert.equal(w2, 2 * w1);
});

test('long documents are scored with their lossy length', () => {
  // A 100-term and a 96-term document have the same norm byte, hence the same score.
  const cache = normInverseCache(0.9, 0.4, 50);
  assert.equal(intToByte4(100), intToByte4(96));
  assert.equal(termScore(1, 3, cache[intToByte4(100)]), termScore(1, 3, cache[intToByte4(96)]));
  assert.notEqual(termScore(1, 3, cache[intToByte4(100)]), termScore(1, 3, cache[intToByte4(95)]));
});

test('b = 0 ignores length; k1 = 0 gives idf alone', () => {
  const c0 = normInverseCache(0.9, 0, 10);
  assert.equal(c0[0], c0[255]);
  const ck = normInverseCache(0, 0.4, 10);
  assert.equal(termScore(0.5, 1, ck[10]), 0.5);
});

test('rejects bad parameters with ShortlistError', () => {
  assert.deepEqual(resolveParams({}), { k1: 0.9, b: 0.4 });
  assert.throws(() => resolveParams({ b: 1.5 }), { name: 'ShortlistError', code: 'INVALID_ARGUMENT' } as object);
  assert.throws(() => resolveParams({ k1: -1 }), { name: 'ShortlistError' });
});
