import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchStats, planBatches, runBatched } from './batching.ts';

describe('planBatches', () => {
  it('sorts by length and keeps padded length × size within the budget', () => {
    const lengths = [10, 300, 12, 290, 11, 305, 9];
    const batches = planBatches(lengths, { maxTokens: 620, maxBatchSize: 8, batchOverhead: 16 });
    assert.deepEqual(
      batches.map((b) => b.indices),
      [[5, 1], [3], [2, 4, 0, 6]],
    );
    for (const b of batches) {
      assert.ok(b.length * b.indices.length <= 620 || b.indices.length === 1);
      assert.equal(b.length, Math.max(...b.indices.map((i) => lengths[i])));
    }
  });

  it('never mixes a short text into the batch of a much longer one when the budget is tight', () => {
    const lengths = [8, 500, 8, 8];
    const batches = planBatches(lengths, { maxTokens: 512 });
    assert.deepEqual(batches[0].indices, [1]);
    assert.deepEqual(batches[1], { indices: [0, 2, 3], length: 8 });
  });

  it('caps the batch size and runs an over-budget input alone', () => {
    assert.deepEqual(
      planBatches([5, 5, 5, 5, 5], { maxTokens: 1000, maxBatchSize: 2 }).map((b) => b.indices),
      [[0, 1], [2, 3], [4]],
    );
    assert.deepEqual(
      planBatches([5, 5, 5, 5, 5], { maxTokens: 1000 }).map((b) => b.indices),
      [[0, 1, 2, 3, 4]],
    );
    assert.deepEqual(planBatches([9000, 3], { maxTokens: 100 }), [
      { indices: [0], length: 9000 },
      { indices: [1], length: 3 },
    ]);
  });

  it('trades padding against the per-batch overhead', () => {
    const lengths = [100, 90, 80, 70];
    assert.equal(planBatches(lengths, { maxTokens: 4096, batchOverhead: 0 }).length, 4);
    assert.deepEqual(planBatches(lengths, { maxTokens: 4096, batchOverhead: 1000 }), [{ indices: [0, 1, 2, 3], length: 100 }]);
  });

  it('rejects bad options', () => {
    assert.throws(() => planBatches([1], { maxTokens: 0 }), /maxTokens/);
    assert.throws(() => planBatches([1], { maxBatchSize: 1.5 }), /maxBatchSize/);
  });
});

describe('batchStats', () => {
  it('reports padding waste', () => {
    const lengths = [4, 2];
    const stats = batchStats(lengths, [{ indices: [0, 1], length: 4 }]);
    assert.deepEqual(stats, { batches: 1, tokens: 6, paddedTokens: 8, paddingWaste: 0.25 });
    assert.equal(batchStats([], []).paddingWaste, 0);
  });
});

describe('runBatched', () => {
  it('returns results in input order', async () => {
    const lengths = [3, 1, 4, 1, 5, 9, 2, 6];
    const seen: number[][] = [];
    const { results, stats } = await runBatched(lengths, { maxTokens: 12 }, async (batch) => {
      seen.push(batch.indices);
      return batch.indices.map((i) => `text${i}:${lengths[i]}`);
    });
    assert.deepEqual(
      results,
      lengths.map((l, i) => `text${i}:${l}`),
    );
    assert.equal(seen.flat().length, lengths.length);
    assert.equal(stats.tokens, 31);
  });

  it('fails loudly when a batch returns the wrong number of results', async () => {
    await assert.rejects(
      runBatched([1, 2], {}, async () => [1]),
      /1 results for 2 inputs/,
    );
  });
});
