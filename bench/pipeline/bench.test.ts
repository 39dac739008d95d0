import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantile } from './quantile.ts';

test('quantile uses the nearest rank', () => {
  const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(quantile(xs, 0.5), 5);
  assert.equal(quantile(xs, 0.95), 10);
  assert.equal(quantile(xs, 0), 1);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
