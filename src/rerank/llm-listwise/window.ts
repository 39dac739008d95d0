/**
 * Sliding-window arithmetic for listwise reranking, as in RankGPT (Sun et al., "Is ChatGPT Good at
 * Search? Investigating Large Language Models as Re-Ranking Agents", EMNLP 2023): windows of `size`
 * candidates, moved by `step` from the BOTTOM of the list to the top, so one pass can carry a
 * relevant candidate from the last rank to the first. Pure functions; no I/O.
 */
import { ShortlistError } from '../../core/errors.ts';

/** A half-open range `[start, end)` of list positions (0-based). */
export interface WindowRange {
  start: number;
  end: number;
}

/**
 * The windows of one pass over a list of `length` items, in the order they are ranked: the first
 * ends at the bottom of the list, each next one is `step` higher, the last starts at 0 (it is
 * clamped there, so the top of the list is always ranked). A list no longer than `size` is one window.
 */
export function slidingWindows(length: number, size: number, step: number): WindowRange[] {
  checkInt('length', length, 0);
  checkInt('window size', size, 1);
  checkInt('window step', step, 1);
  if (step > size) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `window step (${step}) must not exceed the window size (${size}): candidates between windows would never be ranked; lower the step or raise the size`,
    );
  }
  const out: WindowRange[] = [];
  if (length === 0) return out;
  for (let end = length; ; end -= step) {
    const start = Math.max(0, end - size);
    out.push({ start, end });
    if (start === 0) return out;
  }
}

/**
 * Reorders `list[range.start .. range.end)` in place by `permutation`, a 0-based order of the
 * window's positions (best first): position `start + j` receives the item that was at
 * `start + permutation[j]`. The permutation must be complete (see `parsePermutation`).
 */
export function applyPermutation<T>(list: T[], range: WindowRange, permutation: readonly number[]): void {
  const n = range.end - range.start;
  if (permutation.length !== n) {
    throw new ShortlistError('INTERNAL', `a window of ${n} items got a permutation of ${permutation.length}`);
  }
  const seen = new Uint8Array(n);
  for (const p of permutation) {
    if (!Number.isInteger(p) || p < 0 || p >= n || seen[p])
      throw new ShortlistError('INTERNAL', `not a permutation of 0..${n - 1}: [${permutation.join(', ')}]`);
    seen[p] = 1;
  }
  const window = list.slice(range.start, range.end);
  for (let j = 0; j < n; j++) list[range.start + j] = window[permutation[j]];
}

function checkInt(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ShortlistError('INVALID_ARGUMENT', `${what} must be an integer >= ${min}, got ${value}`);
  }
}
