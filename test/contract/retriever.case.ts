/**
 * The contract every first stage (Retriever) meets, lexical or dense: call
 * `retrieverContract(name, setup)` from a runner test file with a retriever over {@link CORPUS}.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import { compareHits, type Document, type Retriever } from '../../src/core/types.ts';

/** The documents a runner indexes before handing its retriever over. */
export const CORPUS: readonly Document[] = Object.freeze([
  { id: 'd1', text: 'Bread is baked in an oven at high heat.' },
  { id: 'd2', text: 'The football season starts in August.' },
  { id: 'd3', text: 'Solar panels make electricity from sunlight using photovoltaic cells.', title: 'Solar power' },
  { id: 'd4', text: 'Whales are the largest mammals.' },
  { id: 'd5', text: 'Panels of judges score the divers.' },
  { id: 'd6', text: 'Electricity prices rose in winter.' },
]);

/** What a runner hands the contract. */
export interface RetrieverSetup {
  retriever: Retriever;
  /** The retriever judges relevance (BM25's word overlap): the solar document must come first. False for random-weight test models. */
  judges: boolean;
  /** Every indexed document matches any query (dense), so a large k returns the whole corpus. */
  matchesAll: boolean;
  /** Release everything. */
  dispose(): Promise<void>;
}

const QUERY = 'how do solar panels make electricity';

export function retrieverContract(name: string, setup: () => Promise<RetrieverSetup>): void {
  describe(`retriever contract: ${name}`, () => {
    let s: RetrieverSetup;
    before(async () => {
      s = await setup();
    });
    after(() => s.dispose());

    test('has a name', () => {
      assert.equal(typeof s.retriever.name, 'string');
      assert.ok(s.retriever.name.length > 0);
    });

    test('returns at most k hits from the corpus, unique, sorted by score desc then id', async () => {
      const ids = new Set(CORPUS.map((d) => d.id));
      for (const k of [1, 3, 6, 50]) {
        const hits = await s.retriever.search(QUERY, k);
        assert.ok(hits.length <= Math.min(k, CORPUS.length), `k=${k}: ${hits.length} hits`);
        assert.equal(new Set(hits.map((h) => h.id)).size, hits.length, 'no id twice');
        for (const h of hits) {
          assert.ok(ids.has(h.id), `unknown id ${h.id}`);
          assert.ok(Number.isFinite(h.score), `score of ${h.id} is ${h.score}`);
        }
        assert.deepEqual([...hits].sort(compareHits), hits, 'sorted by compareHits');
        if (s.matchesAll) assert.equal(hits.length, Math.min(k, CORPUS.length));
      }
    });

    test('a smaller k is a prefix of a larger one, and the same query gives the same hits', async () => {
      const six = await s.retriever.search(QUERY, 6);
      assert.deepEqual(await s.retriever.search(QUERY, 3), six.slice(0, 3));
      assert.deepEqual(await s.retriever.search(QUERY, 6), six);
    });

    test('k = 0 returns nothing', async () => {
      assert.deepEqual(await s.retriever.search(QUERY, 0), []);
    });

    test('hits carry their stored document', async () => {
      const [top] = await s.retriever.search(QUERY, 1);
      assert.ok(top, 'the query matches something');
      const doc = CORPUS.find((d) => d.id === top.id)!;
      assert.equal(top.document?.text, doc.text);
    });

    test('an aborted signal fails with ABORTED', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(s.retriever.search(QUERY, 3, { signal: ac.signal }), (e) => isShortlistError(e, 'ABORTED'));
    });

    test('judges relevance when it claims to', async (t) => {
      if (!s.judges) return t.diagnostic('random-weight model: ranking quality is not claimed');
      const [top] = await s.retriever.search(QUERY, 1);
      assert.equal(top.id, 'd3');
    });
  });
}
