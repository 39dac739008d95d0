import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPermutation, slidingWindows } from '../../src/rerank/llm-listwise/window.ts';
import { isShortlistError } from '../../src/core/errors.ts';

const ranges = (n: number, w: number, s: number) => slidingWindows(n, w, s).map((r) => [r.start, r.end]);

test('100 candidates, w=20 s=10: nine windows from the bottom up', () => {
  assert.deepEqual(ranges(100, 20, 10), [
    [80, 100],
    [70, 90],
    [60, 80],
    [50, 70],
    [40, 60],
    [30, 50],
    [20, 40],
    [10, 30],
    [0, 20],
  ]);
});

test('a list shorter than the window is one window', () => {
  assert.deepEqual(ranges(7, 20, 10), [[0, 7]]);
  assert.deepEqual(ranges(20, 20, 10), [[0, 20]]);
  assert.deepEqual(ranges(1, 20, 10), [[0, 1]]);
});

test('an empty list has no window', () => {
  assert.deepEqual(ranges(0, 20, 10), []);
});

test('the last window is clamped to the top, so the top is always ranked', () => {
  assert.deepEqual(ranges(25, 20, 10), [
    [5, 25],
    [0, 15],
  ]);
  assert.deepEqual(ranges(21, 20, 10), [
    [1, 21],
    [0, 11],
  ]);
  assert.deepEqual(ranges(10, 4, 3), [
    [6, 10],
    [3, 7],
    [0, 4],
  ]);
});

test('step equal to size tiles the list without overlap', () => {
  assert.deepEqual(ranges(10, 5, 5), [
    [5, 10],
    [0, 5],
  ]);
});

test('bad parameters are INVALID_ARGUMENT', () => {
  for (const [n, w, s] of [
    [-1, 20, 10],
    [10, 0, 1],
    [10, 5, 0],
    [10, 5, 6],
    [10, 2.5, 1],
  ]) {
    assert.throws(
      () => slidingWindows(n, w, s),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
    );
  }
});

test('applyPermutation reorders only the window', () => {
  const list = ['a', 'b', 'c', 'd', 'e', 'f'];
  applyPermutation(list, { start: 2, end: 5 }, [2, 0, 1]);
  assert.deepEqual(list, ['a', 'b', 'e', 'c', 'd', 'f']);
});

test('applyPermutation rejects a non-permutation', () => {
  assert.throws(
    () => applyPermutation([1, 2, 3], { start: 0, end: 3 }, [0, 0, 1]),
    (e) => isShortlistError(e, 'INTERNAL'),
  );
  assert.throws(
    () => applyPermutation([1, 2, 3], { start: 0, end: 3 }, [0, 1]),
    (e) => isShortlistError(e, 'INTERNAL'),
  );
});

test('one pass of w=20 s=10 carries the item at rank 100 to rank 1 when each window ranks it first', () => {
  const list = Array.from({ length: 100 }, (_, i) => i);
  for (const r of slidingWindows(100, 20, 10)) {
    const window = list.slice(r.start, r.end);
    const at = window.indexOf(99);
    assert.notEqual(at, -1, `window [${r.start}, ${r.end}) holds the carried item`);
    const perm = [at, ...window.map((_, j) => j).filter((j) => j !== at)];
    applyPermutation(list, r, perm);
  }
  assert.equal(list[0], 99);
  // everything else keeps its relative order
  assert.deepEqual(
    list.slice(1),
    Array.from({ length: 99 }, (_, i) => i),
  );
});

test('with w=20 s=10 one pass carries at most w-s=10 items from the bottom to the top (the ceiling)', () => {
  // 15 "relevant" items at the bottom (85..99); each window ranks relevant first.
  const list = Array.from({ length: 100 }, (_, i) => i);
  const relevant = (x: number) => x >= 85;
  for (const r of slidingWindows(100, 20, 10)) {
    const window = list.slice(r.start, r.end);
    const idx = window.map((_, j) => j);
    const perm = [...idx.filter((j) => relevant(window[j])), ...idx.filter((j) => !relevant(window[j]))];
    applyPermutation(list, r, perm);
  }
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  // the first window sorts 85..99 to its top; only the 10 best fit into the overlap with the next window
  assert.deepEqual(list, [...range(85, 95), ...range(0, 80), ...range(95, 100), ...range(80, 85)]);
});
