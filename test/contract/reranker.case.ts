/**
 * The contract every Reranker meets, local (cross-encoder over an ONNX model) or remote (an HTTP
 * rerank API): call `rerankerContract(name, setup)` from a runner test file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import { compareHits, type Candidate, type Hit, type Reranker } from '../../src/core/types.ts';

/** What a runner hands the contract. */
export interface RerankerSetup {
  reranker: Reranker;
  /**
   * The reranker judges relevance (a fake that scores word overlap, a trained model): the obviously
   * relevant candidate must come first. False for random-weight test models.
   */
  judges: boolean;
  /** Release everything. */
  dispose(): Promise<void>;
}

const QUERY = 'how do solar panels make electricity';
const CANDIDATES: Candidate[] = [
  { id: 'd1', text: 'Bread is baked in an oven at high heat.' },
  { id: 'd2', text: 'The football season starts in August.' },
  { id: 'd3', text: 'Solar panels make electricity from sunlight using photovoltaic cells.', title: 'Solar power' },
  { id: 'd4', text: 'Whales are the largest mammals.' },
  { id: 'd5', text: 'Panels of judges score the divers.' },
  { id: 'd6', text: 'Electricity prices rose in winter.' },
];

function assertRanked(hits: Hit[], k: number, from: Candidate[]): void {
  assert.ok(hits.length <= k);
  const ids = new Set(from.map((c) => c.id));
  const seen = new Set<string>();
  hits.forEach((h, i) => {
    assert.ok(ids.has(h.id), `unknown id ${h.id}`);
    assert.ok(!seen.has(h.id), `duplicate id ${h.id}`);
    seen.add(h.id);
    assert.ok(Number.isFinite(h.score));
    if (i > 0) assert.ok(compareHits(hits[i - 1], h) <= 0, 'not sorted by compareHits');
  });
}

/** Run the reranker contract against the reranker `setup` builds. */
export function rerankerContract(name: string, setup: () => Promise<RerankerSetup>): void {
  describe(`reranker contract: ${name}`, () => {
    let s: RerankerSetup;
    before(async () => {
      s = await setup();
    });
    after(() => s?.dispose());

    test('k ≥ n keeps every candidate exactly once, sorted by compareHits', async () => {
      const hits = await s.reranker.rerank(QUERY, CANDIDATES, 100);
      assert.equal(hits.length, CANDIDATES.length);
      assertRanked(hits, 100, CANDIDATES);
    });

    test('top k is the head of the full ranking', async () => {
      const all = await s.reranker.rerank(QUERY, CANDIDATES, CANDIDATES.length);
      const top = await s.reranker.rerank(QUERY, CANDIDATES, 3);
      assertRanked(top, 3, CANDIDATES);
      assert.deepEqual(
        top.map((h) => h.id),
        all.slice(0, 3).map((h) => h.id),
      );
    });

    test('scores do not depend on the candidates’ input order', async () => {
      const a = await s.reranker.rerank(QUERY, CANDIDATES, 10);
      const b = await s.reranker.rerank(QUERY, [...CANDIDATES].reverse(), 10);
      const byId = new Map(b.map((h) => [h.id, h.score]));
      for (const h of a) assert.ok(Math.abs(h.score - byId.get(h.id)!) < 1e-5, `${h.id}: ${h.score} vs ${byId.get(h.id)}`);
      assert.deepEqual(
        a.map((h) => h.id),
        b.map((h) => h.id),
      );
    });

    test('the obviously relevant candidate comes first (when the reranker judges)', async (t) => {
      const hits = await s.reranker.rerank(QUERY, CANDIDATES, 2);
      if (!s.judges) {
        assert.equal(hits.length, 2); // random-weight model: only the shape is checked
        return;
      }
      t.diagnostic(`top: ${hits.map((h) => h.id).join(', ')}`);
      assert.equal(hits[0].id, 'd3');
    });

    test('no candidates or k = 0 → no hits; a negative k is INVALID_ARGUMENT; an aborted signal is ABORTED', async () => {
      assert.deepEqual(await s.reranker.rerank(QUERY, [], 5), []);
      assert.deepEqual(await s.reranker.rerank(QUERY, CANDIDATES, 0), []);
      await assert.rejects(s.reranker.rerank(QUERY, CANDIDATES, -1), (e) => isShortlistError(e, 'INVALID_ARGUMENT'));
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(s.reranker.rerank(QUERY, CANDIDATES, 3, { signal: ac.signal }), (e) => isShortlistError(e, 'ABORTED'));
    });
  });
}
