/** Small helpers shared by the fusion tests. */
import assert from 'node:assert/strict';
import type { FusedHit, Scored } from './types.ts';
import { mulberry32 } from '../core/random.ts';

/** `[id, score]` pairs → a ranked list. */
export const list = (...pairs: [string, number][]): Scored[] => pairs.map(([id, score]) => ({ id, score }));

/** Asserts `actual` is within 1e-9 of `expected`. */
export function close(actual: number, expected: number, msg = ''): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${msg} expected ${expected}, got ${actual}`);
}

/** Asserts the fused ids come out in `ids` order with `scores` (within 1e-9). */
export function expectFused(fused: FusedHit[], expected: [string, number][]): void {
  assert.deepEqual(
    fused.map((h) => h.id),
    expected.map(([id]) => id),
  );
  fused.forEach((h, i) => close(h.score, expected[i][1], `score of ${h.id}:`));
}

/** Asserts `fn` throws a ShortlistError with `code` whose message matches `pattern`. */
export function throwsShortlist(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    const err = e as { name?: string; code?: string; message?: string };
    return err.name === 'ShortlistError' && err.code === code && pattern.test(err.message ?? '');
  });
}

export { mulberry32 as prng };
