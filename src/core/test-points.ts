/**
 * Named moments on the write path where crash tests kill a process. With
 * `SHORTLIST_TEST_PAUSE=<point>[,<point>…]` and `SHORTLIST_TEST_PAUSE_DIR=<dir>` set, a process
 * reaching one of those points creates `<dir>/<pid>.<point>` and blocks until it is killed (at
 * most a minute), so a test kills it at exactly that moment instead of after a guessed delay.
 * `SHORTLIST_TEST_PAUSE_SKIP=<n>` lets the first n arrivals pass (a server acknowledges earlier
 * writes before one blocks). Without the variables a point costs one property read.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The points on a collection's write path, in order. */
export const TEST_POINTS = Object.freeze([
  'write:locked',
  'write:tables',
  'write:segment-put',
  'write:parts-ready',
  'write:manifest-staged',
  'write:committed',
] as const);
export type TestPoint = (typeof TEST_POINTS)[number];

let passed = 0;

/** Blocks at `point` when a crash test asked for it (see the module comment). */
export function testPoint(point: TestPoint): void {
  const wanted = process.env.SHORTLIST_TEST_PAUSE;
  const dir = process.env.SHORTLIST_TEST_PAUSE_DIR;
  if (!wanted || !dir || !wanted.split(',').includes(point)) return;
  if (passed++ < Number(process.env.SHORTLIST_TEST_PAUSE_SKIP ?? 0)) return;
  writeFileSync(join(dir, `${process.pid}.${point}`), '');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
