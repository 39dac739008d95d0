/**
 * Cross-request batching through a real (tiny, generated) cross-encoder: `scorePairs` equals
 * `score` exactly, and requests scored through a merging queue get exactly the scores they get
 * alone — batching changes throughput, never results.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { CrossEncoder, type CrossScore } from '../../src/models/encoders/cross-encoder.ts';
import { crossEncoderQueue, estimatePairTokens } from '../../src/server/batching/models.ts';

const WORDS = 'ranking retrieval passage protein gene aircraft wing pressure index vector token learning'.split(' ');
/** Document `i`: a deterministic mix of words, 3 to 80 long (the longest need two windows of 64). */
const doc = (i: number) => Array.from({ length: 3 + ((i * 37) % 78) }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(' ');
const REQUESTS = [
  { query: 'protein gene', docs: Array.from({ length: 12 }, (_, i) => doc(i)) },
  { query: 'aircraft wing pressure', docs: Array.from({ length: 7 }, (_, i) => doc(i + 20)) },
  { query: 'vector index', docs: Array.from({ length: 20 }, (_, i) => doc(i + 40)) },
  { query: 'token', docs: [doc(3), doc(77)] },
];

describe('cross-encoder batching', () => {
  let ce: CrossEncoder;
  let alone: CrossScore[][];
  before(async () => {
    const folder = await tinyModel('classifier');
    ce = await CrossEncoder.create({ model: folder, preset: { activation: 'sigmoid', maxLength: 64 }, threads: 1 });
    alone = [];
    for (const r of REQUESTS) alone.push(await ce.score(r.query, r.docs));
  });
  after(() => ce.dispose());

  it('scorePairs over pairs of different queries equals score per query, exactly', async () => {
    const pairs = REQUESTS.flatMap((r) => r.docs.map((d) => ({ query: r.query, doc: d })));
    const got = await ce.scorePairs(pairs);
    assert.deepEqual(got, alone.flat());
    assert.ok(new Set(got.map((s) => s.logit)).size > pairs.length / 2, 'scores differ between pairs');
    assert.ok(ce.lastStats && ce.lastStats.batches >= 1);
    const one = REQUESTS[0];
    assert.deepEqual(await ce.scorePairs(one.docs.map((d) => ({ query: one.query, doc: d }))), alone[0]);
    await assert.rejects(
      ce.scorePairs([
        { query: 'q', doc: 'x' },
        { query: 'q', doc: ' ' },
      ]),
      (err) => isShortlistError(err, 'INVALID_INPUT') && /document 1 is empty/.test(err.message),
    );
  });

  for (const enabled of [true, false]) {
    it(`a queue with batching ${enabled ? 'on' : 'off'} gives every concurrent request exactly its scores alone`, async () => {
      const queue = crossEncoderQueue(ce, { enabled, maxWaitMs: 20 });
      const replies = await Promise.all(REQUESTS.map((r) => queue.submit(r.docs.map((d) => ({ query: r.query, doc: d })))));
      replies.forEach((reply, i) => assert.deepEqual(reply.results, alone[i], `request ${i}`));
      const { batches, items, batchSizes } = queue.stats();
      assert.equal(
        items,
        REQUESTS.reduce((n, r) => n + r.docs.length, 0),
      );
      if (enabled) {
        assert.deepEqual(batchSizes, [items], `merged into ${batches} batches`);
      } else {
        assert.deepEqual(
          [...batchSizes].sort((a, b) => a - b),
          REQUESTS.map((r) => r.docs.length).sort((a, b) => a - b),
        );
      }
      await queue.close();
    });
  }

  it('estimates a pair at characters / 4 plus special tokens, whole windows past maxLength', () => {
    assert.equal(estimatePairTokens({ query: 'abcd', doc: 'abcdefgh' }, 64), 1 + 2 + 3);
    assert.equal(estimatePairTokens({ query: 'q', doc: 'x'.repeat(400) }, 64), 128);
  });
});
