/** Grid-search tuning on small synthetic dev sets where the right parameters are known by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Qrels } from '../eval/types.ts';
import { list, close, throwsShortlist } from './test-helpers.ts';
import { tuneFusion, weightGrid } from './tune.ts';
import type { RankedList } from './types.ts';

const ONE_AT_2 = 1 / Math.log2(3); // nDCG@10 with the only relevant document at rank 2: 0.6309297536
const qrels: Qrels = new Map([
  ['q1', new Map([['r', 1]])],
  ['q2', new Map([['r', 1]])],
]);

test('weightGrid enumerates the simplex in steps', () => {
  assert.deepEqual(weightGrid(2, 0.5), [
    [0, 1],
    [0.5, 0.5],
    [1, 0],
  ]);
  assert.equal(weightGrid(2, 0.1).length, 11);
  assert.equal(weightGrid(3, 0.5).length, 6); // (0,0,1) (0,.5,.5) (0,1,0) (.5,0,.5) (.5,.5,0) (1,0,0)
  assert.deepEqual(weightGrid(1, 0.25), [[1]]);
  throwsShortlist(() => weightGrid(2, 0.3), 'INVALID_ARGUMENT', /step that divides 1/);
});

test('convex weight: the optimum is the interval 4/9 < w < 3/4 computed by hand', () => {
  // w = weight of list A, 1 − w of list B; min-max, missing zero.
  // q1: A = [r 1, n 0] → r 1, n 0;  B = [n 5, r 1, y 0] → n 1, r 0.2, y 0.
  //     r = w + 0.2(1 − w), n = 1 − w  → r first iff 1.8w > 0.8, i.e. w > 4/9.
  // q2: A = [n 3, r 2, x 0] → n 1, r 2/3, x 0;  B = [r 1, n 0] → r 1, n 0.
  //     r = (2/3)w + (1 − w), n = w  → r first iff w < 3/4.
  // Outside the interval one query has r at rank 2: mean nDCG@10 = (1 + 1/log2 3)/2 = 0.8154648768.
  const lists = new Map<string, RankedList[]>([
    ['q1', [list(['r', 1], ['n', 0]), list(['n', 5], ['r', 1], ['y', 0])]],
    ['q2', [list(['n', 3], ['r', 2], ['x', 0]), list(['r', 1], ['n', 0])]],
  ]);
  const result = tuneFusion(lists, qrels, {
    method: 'convex',
    normalizer: 'minmax',
    missing: 'zero',
    grid: { weights: weightGrid(2, 0.1) },
  });
  assert.equal(result.metric, 'ndcg@10');
  assert.equal(result.table.length, 11);
  for (const row of result.table) {
    const w = row.weights[0];
    const expected = w > 4 / 9 && w < 3 / 4 ? 1 : (1 + ONE_AT_2) / 2;
    close(row.score, expected, `w = ${w}:`);
    assert.equal(row.k, undefined);
  }
  // 0.5, 0.6 and 0.7 all reach 1; the first tried wins.
  assert.deepEqual(result.best.weights, [0.5, 0.5]);
  assert.equal(result.best.score, 1);
});

test('RRF k and weights: k > 2.6 with both lists is needed, by hand', () => {
  // A = [n, x1, r];  B = [y1, y2, r, f4 … f9, n] (n at rank 10).
  // both lists: n = 1/(k+1) + 1/(k+10), r = 2/(k+3), y1 = 1/(k+1); r > n iff k > 2.6.
  //   k = 1:  n = 0.5909, r = 0.5 = y1 (tie, "r" < "y1") → r at rank 2
  //   k = 2:  n = 0.4167, r = 0.4 > y1 = 0.3333        → r at rank 2
  //   k = 60: n = 0.030679, r = 0.031746              → r at rank 1
  // one list only (weights [1,0] or [0,1]): r at rank 3 whatever k: nDCG@10 = 1/log2 4 = 0.5
  const filler = Array.from({ length: 6 }, (_, i): [string, number] => [`f${i + 4}`, 6 - i]);
  const lists = new Map<string, RankedList[]>([
    ['q1', [list(['n', 3], ['x1', 2], ['r', 1]), list(['y1', 20], ['y2', 19], ['r', 18], ...filler, ['n', 0])]],
  ]);
  const q: Qrels = new Map([['q1', new Map([['r', 2]])]]);
  const result = tuneFusion(lists, q, {
    method: 'rrf',
    grid: {
      k: [1, 2, 60],
      weights: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    },
  });
  assert.equal(result.table.length, 9);
  for (const row of result.table) {
    const both = row.weights[0] > 0 && row.weights[1] > 0;
    const expected = !both ? 0.5 : row.k === 60 ? 1 : ONE_AT_2;
    close(row.score, expected, `k = ${row.k}, w = ${row.weights}:`);
  }
  assert.deepEqual(result.best, { k: 60, weights: [1, 1], score: 1 });
  // the default grid: k = 60, equal weights
  assert.deepEqual(tuneFusion(lists, q, { method: 'rrf', grid: {} }).table, [{ k: 60, weights: [1, 1], score: 1 }]);
});

test('bad tuning input is rejected', () => {
  const two = new Map<string, RankedList[]>([
    ['q1', [list(['r', 1]), list(['r', 1])]],
    ['q2', [list(['r', 1])]],
  ]);
  throwsShortlist(() => tuneFusion(two, qrels, { method: 'rrf', grid: {} }), 'INVALID_ARGUMENT', /same number of lists, got 2, 1/);
  const one = new Map<string, RankedList[]>([['q1', [list(['r', 1])]]]);
  throwsShortlist(
    () => tuneFusion(one, qrels, { method: 'convex', normalizer: 'minmax', missing: 'zero', grid: {} }),
    'INVALID_ARGUMENT',
    /convex needs grid\.weights/,
  );
  throwsShortlist(
    () => tuneFusion(one, qrels, { method: 'convex', normalizer: 'minmax', missing: 'zero', grid: { k: [1], weights: [[1]] } }),
    'INVALID_ARGUMENT',
    /grid\.k applies to RRF only/,
  );
  throwsShortlist(() => tuneFusion(one, qrels, { method: 'rrf', grid: { k: [] } }), 'INVALID_ARGUMENT', /grid is empty/);
  throwsShortlist(() => tuneFusion(new Map(), qrels, { method: 'rrf', grid: {} }), 'INVALID_ARGUMENT', /no queries/);
});
