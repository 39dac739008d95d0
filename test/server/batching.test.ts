/**
 * BatchQueue: concurrent submits merge into token-budget batches, every submit gets its own
 * results in order, aborted submits never run, a full queue refuses with OVERLOADED, a failing
 * merged batch fails only the request that caused it, close drains.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import { BatchQueue, resolveQueueOptions } from '../../src/server/batching/queue.ts';

/** A `run` that records each batch and answers `item * 10` after `gate` opens (or at once). */
function recorder(options: { delayMs?: number; failOn?: number } = {}) {
  const batches: number[][] = [];
  const run = async (items: number[]): Promise<number[]> => {
    batches.push([...items]);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.failOn !== undefined && items.includes(options.failOn)) throw new Error(`bad item ${options.failOn}`);
    return items.map((x) => x * 10);
  };
  return { batches, run };
}

const unit = () => 1;

describe('BatchQueue', () => {
  it('merges concurrent submits into one batch and returns each its own results in order', async () => {
    const { batches, run } = recorder();
    const q = new BatchQueue('m', run, unit, { maxWaitMs: 20 });
    const [a, b, c] = await Promise.all([q.submit([1, 2, 3]), q.submit([4, 5]), q.submit([6])]);
    assert.deepEqual(a.results, [10, 20, 30]);
    assert.deepEqual(b.results, [40, 50]);
    assert.deepEqual(c.results, [60]);
    assert.equal(batches.length, 1);
    assert.deepEqual([...batches[0]].sort(), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(q.stats(), { batches: 1, items: 6, batchSizes: [6] });
    for (const r of [a, b, c]) assert.ok(r.queueMs >= 0 && r.inferenceMs >= 0);
    await q.close();
  });

  it('sorts a batch by cost, longest first, and maps results back to input order', async () => {
    const { batches, run } = recorder();
    const q = new BatchQueue('m', run, (x: number) => x, { maxWaitMs: 20 });
    const [a, b] = await Promise.all([q.submit([3, 9, 1]), q.submit([7, 2])]);
    assert.deepEqual(batches, [[9, 7, 3, 2, 1]]);
    assert.deepEqual(a.results, [30, 90, 10]);
    assert.deepEqual(b.results, [70, 20]);
    await q.close();
  });

  it('cuts batches at the token budget, splitting a request across batches, in arrival order', async () => {
    const { batches, run } = recorder();
    const q = new BatchQueue('m', run, (x: number) => x, { maxBatchTokens: 10, maxWaitMs: 20 });
    const [a, b] = await Promise.all([q.submit([4, 4, 4]), q.submit([5, 20, 1])]);
    // 4+4 fits 10; then 4 (+5 = 9) fits; then 20 alone (over budget, first item always runs); then 1
    assert.deepEqual(batches, [[4, 4], [5, 4], [20], [1]]);
    assert.deepEqual(a.results, [40, 40, 40]);
    assert.deepEqual(b.results, [50, 200, 10]);
    await q.close();
  });

  it('with enabled: false runs each submit alone, at once, concurrently, bounded by the items running', async () => {
    const { batches, run } = recorder({ delayMs: 40 });
    const q = new BatchQueue('m', run, unit, { enabled: false, maxWaitMs: 1000, maxQueued: 4 });
    const t0 = performance.now();
    const a = q.submit([1, 2, 3]);
    const b = q.submit([4]);
    assert.equal(q.depth, 4);
    await assert.rejects(q.submit([5]), (err) => isShortlistError(err, 'OVERLOADED'));
    const [ra, rb] = await Promise.all([a, b]);
    assert.ok(performance.now() - t0 < 75, 'the two submits overlapped instead of waiting for each other');
    assert.deepEqual(batches, [[1, 2, 3], [4]]);
    assert.deepEqual([ra.results, rb.results], [[10, 20, 30], [40]]);
    assert.equal(ra.queueMs, 0);
    assert.ok(ra.inferenceMs >= 35);
    assert.equal(q.depth, 0);
    assert.deepEqual(q.stats(), { batches: 2, items: 4, batchSizes: [3, 1] });
    await q.close();
  });

  it('with maxRequestsPerBatch: 1 runs requests one at a time, unmerged, in arrival order', async () => {
    const { batches, run } = recorder({ delayMs: 5 });
    const q = new BatchQueue('m', run, unit, { maxRequestsPerBatch: 1, maxWaitMs: 20 });
    const [a, b, c] = await Promise.all([q.submit([1, 2, 3]), q.submit([4]), q.submit([5, 6])]);
    assert.deepEqual(batches, [[1, 2, 3], [4], [5, 6]]);
    assert.deepEqual([a.results, b.results, c.results], [[10, 20, 30], [40], [50, 60]]);
    assert.ok(c.queueMs >= 9, 'the third request waited for the two before it');
    await q.close();
  });

  it('drops a submit whose signal aborts while it waits: its items never run, it rejects with ABORTED', async () => {
    const { batches, run } = recorder({ delayMs: 40 });
    const q = new BatchQueue('m', run, unit, { maxWaitMs: 0 });
    const first = q.submit([1]); // occupies the worker for 40 ms
    await new Promise((r) => setTimeout(r, 5));
    const controller = new AbortController();
    const dropped = q.submit([2, 3], controller.signal);
    const kept = q.submit([4]);
    assert.equal(q.depth, 3);
    controller.abort();
    await assert.rejects(dropped, (err) => isShortlistError(err, 'ABORTED'));
    assert.equal(q.depth, 1);
    assert.deepEqual((await first).results, [10]);
    assert.deepEqual((await kept).results, [40]);
    assert.deepEqual(batches, [[1], [4]]);
    const gone = new AbortController();
    gone.abort();
    await assert.rejects(q.submit([5], gone.signal), (err) => isShortlistError(err, 'ABORTED'));
    assert.deepEqual(batches, [[1], [4]]);
    await q.close();
  });

  it('an abort while a split request is half done drops its remaining items', async () => {
    const { batches, run } = recorder({ delayMs: 30 });
    const q = new BatchQueue('m', run, unit, { maxBatchTokens: 2, maxWaitMs: 0 });
    const controller = new AbortController();
    const split = q.submit([1, 2, 3, 4], controller.signal);
    await new Promise((r) => setTimeout(r, 10)); // [1, 2] is running
    controller.abort();
    await assert.rejects(split, (err) => isShortlistError(err, 'ABORTED'));
    assert.equal(q.depth, 0);
    await q.close();
    assert.deepEqual(batches, [[1, 2]]);
  });

  it('refuses with OVERLOADED past maxQueued waiting items, but always takes a request into an empty queue', async () => {
    const { run } = recorder({ delayMs: 30 });
    const q = new BatchQueue('model-x', run, unit, { maxQueued: 4, maxWaitMs: 0 });
    const big = q.submit([1, 2, 3, 4, 5, 6]); // larger than the bound, queue empty: accepted
    await new Promise((r) => setTimeout(r, 5)); // now running, nothing waits
    const waiting = q.submit([7, 8, 9]);
    await assert.rejects(
      q.submit([10, 11]),
      (err) => isShortlistError(err, 'OVERLOADED') && /model-x: 3 items are waiting .*\(maxQueued\)/.test(err.message),
    );
    const fits = q.submit([12]);
    assert.equal(q.depth, 4);
    assert.deepEqual((await big).results, [10, 20, 30, 40, 50, 60]);
    assert.deepEqual((await waiting).results, [70, 80, 90]);
    assert.deepEqual((await fits).results, [120]);
    await q.close();
  });

  it('a failing merged batch fails only the request that caused it', async () => {
    const { batches, run } = recorder({ failOn: 13 });
    const q = new BatchQueue('m', run, unit, { maxWaitMs: 20 });
    const [good, bad, other] = await Promise.allSettled([q.submit([1, 2]), q.submit([13]), q.submit([3])]);
    assert.equal(good.status, 'fulfilled');
    assert.deepEqual(good.status === 'fulfilled' && good.value.results, [10, 20]);
    assert.equal(bad.status, 'rejected');
    assert.match(String(bad.status === 'rejected' && bad.reason), /bad item 13/);
    assert.deepEqual(other.status === 'fulfilled' && other.value.results, [30]);
    assert.equal(batches.length, 4); // the merged batch, then each request alone
    await q.close();
  });

  it('rejects a run that returns the wrong number of results with INTERNAL', async () => {
    const q = new BatchQueue('m', async (items: number[]) => items.slice(1), unit);
    await assert.rejects(q.submit([1, 2]), (err) => isShortlistError(err, 'INTERNAL') && /2 items returned 1 results/.test(err.message));
    await q.close();
  });

  it('close drains queued work, then refuses new submits', async () => {
    const { run } = recorder({ delayMs: 5 });
    const q = new BatchQueue('m', run, unit, { maxBatchTokens: 2, maxWaitMs: 50 });
    const pending = [q.submit([1, 2]), q.submit([3, 4]), q.submit([5])];
    await q.close();
    const settled = await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(() => r('not drained'), 0))]);
    assert.deepEqual(
      (settled as { results: number[] }[]).map((r) => r.results),
      [[10, 20], [30, 40], [50]],
    );
    await assert.rejects(q.submit([6]), (err) => isShortlistError(err, 'OVERLOADED') && /shutting down/.test(err.message));
    assert.deepEqual((await q.submit([])).results, []);
  });

  it('waits at most maxWaitMs for company when idle', async () => {
    const { run } = recorder();
    const q = new BatchQueue('m', run, unit, { maxWaitMs: 30 });
    const t0 = performance.now();
    const r = await q.submit([1]);
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 25 && elapsed < 500, `took ${elapsed} ms`);
    assert.ok(r.queueMs >= 25);
    await q.close();
  });

  it('validates its options', () => {
    assert.throws(
      () => resolveQueueOptions({ maxBatchTokens: 0 }),
      (err) => isShortlistError(err, 'INVALID_ARGUMENT') && /maxBatchTokens/.test(err.message),
    );
    assert.throws(() => resolveQueueOptions({ maxWaitMs: -1 }), /maxWaitMs/);
    assert.throws(() => resolveQueueOptions({ maxRequestsPerBatch: 0 }), /maxRequestsPerBatch/);
    assert.deepEqual(resolveQueueOptions({ maxWaitMs: undefined }), {
      enabled: true,
      maxBatchTokens: 16384,
      maxWaitMs: 2,
      maxQueued: 4096,
      maxRequestsPerBatch: Number.POSITIVE_INFINITY,
    });
  });
});
