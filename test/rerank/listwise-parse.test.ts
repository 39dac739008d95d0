import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCleanPermutation, parsePermutation } from '../../src/rerank/llm-listwise/parse.ts';

test('bracketed answer', () => {
  const p = parsePermutation('[2] > [1] > [3]', 3);
  assert.deepEqual(p.order, [1, 0, 2]);
  assert.ok(isCleanPermutation(p));
});

test('bare numbers', () => {
  assert.deepEqual(parsePermutation('2 > 1 > 3', 3).order, [1, 0, 2]);
  assert.deepEqual(parsePermutation('3,1,2', 3).order, [2, 0, 1]);
  assert.deepEqual(parsePermutation('3\n2\n1', 3).order, [2, 1, 0]);
});

test('prose around a bracketed ranking: numbers in the prose are ignored', () => {
  const p = parsePermutation('Sure! Here is the ranking of the 3 passages for 2024:\n[3] > [1] > [2]\nHope this helps.', 3);
  assert.deepEqual(p.order, [2, 0, 1]);
  assert.ok(isCleanPermutation(p));
});

test('spaces inside brackets', () => {
  assert.deepEqual(parsePermutation('[ 2 ] > [ 3 ] > [1]', 3).order, [1, 2, 0]);
});

test('duplicates: first mention wins', () => {
  const p = parsePermutation('[2] > [1] > [2] > [3] > [1]', 3);
  assert.deepEqual(p.order, [1, 0, 2]);
  assert.deepEqual(p.duplicates, [2, 1]);
  assert.ok(!isCleanPermutation(p));
});

test('out-of-range ids (0, n+1, huge) are dropped', () => {
  const p = parsePermutation('[4] > [0] > [3] > [99999999999999999999] > [1]', 3);
  assert.deepEqual(p.order, [2, 0, 1]);
  assert.equal(p.outOfRange.length, 3);
  assert.deepEqual(p.missing, [1]);
});

test('unmentioned candidates follow in their prior order', () => {
  const p = parsePermutation('[5] > [2]', 6);
  assert.deepEqual(p.order, [4, 1, 0, 2, 3, 5]);
  assert.deepEqual(p.missing, [0, 2, 3, 5]);
  assert.deepEqual(p.mentioned, [5, 2]);
});

test('an answer that is not a permutation at all leaves the window unchanged', () => {
  for (const answer of ['I cannot help with that.', '', 'The passages are all relevant!', '[] > []']) {
    const p = parsePermutation(answer, 4);
    assert.deepEqual(p.order, [0, 1, 2, 3], answer);
    assert.deepEqual(p.missing, [0, 1, 2, 3]);
  }
});

test('numbers only in prose, no brackets: read as bare ids (and repaired)', () => {
  const p = parsePermutation('Passage 3 is best, then 1', 3);
  assert.deepEqual(p.order, [2, 0, 1]);
});

test('a reasoning block is skipped', () => {
  const p = parsePermutation('<think>maybe [1] > [2]? no: 3 first</think>\n[3] > [2] > [1]', 3);
  assert.deepEqual(p.order, [2, 1, 0]);
  assert.ok(isCleanPermutation(p));
});

test('an empty window', () => {
  assert.deepEqual(parsePermutation('[1] > [2]', 0).order, []);
});

test('every result is a permutation of 0..n-1 (randomised answers)', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let trial = 0; trial < 300; trial++) {
    const n = 1 + Math.floor(rand() * 25);
    const parts: string[] = [];
    const len = Math.floor(rand() * 40);
    for (let i = 0; i < len; i++) {
      const id = Math.floor(rand() * (n + 5)) - 2;
      parts.push(rand() < 0.5 ? `[${id}]` : `${id}`, rand() < 0.2 ? ' junk ' : ' > ');
    }
    const p = parsePermutation(parts.join(''), n);
    assert.deepEqual(
      [...p.order].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
  }
});
