/**
 * A rerank cascade through a collection with tiny generated models: BM25 20 → ColBERT MaxSim
 * (computed at query time) keeps 8 → cross-encoder keeps 4; every hit is traced through every
 * stage, each stage narrows the list, and repeated queries hit the rerank score caches.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedModel, tinyModel } from '../../scripts/models/fixtures.ts';
import { builtinVocab } from '../../scripts/models/vocab.ts';
import { Collection } from '../../src/engine/collection.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-engine-cascade-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('bm25 → colbert keep 8 → cross-encoder keep 4, traced and cached', async () => {
  const data = writeCollection(join(root, 'beir'), { docs: 60, queries: 3, seed: 9 });
  writeFileSync(join(root, 'vocab.txt'), [...builtinVocab(), '[unused0]', '[unused1]'].join('\n') + '\n');
  const [colbert, ce] = await Promise.all([
    generatedModel({ shape: 'tiny', head: 'colbert', vocab: join(root, 'vocab.txt') }),
    tinyModel('classifier'),
  ]);
  const c = await Collection.create(join(root, 'c'), {
    depth: 20,
    k: 4,
    rerank: [
      {
        type: 'colbert',
        model: colbert,
        keep: 8,
        threads: 1,
        colbert: {
          queryLength: 32,
          documentLength: 64,
          queryMarker: '[unused0]',
          documentMarker: '[unused1]',
          maskAugment: true,
          skipPunctuation: true,
        },
      },
      { type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 4, threads: 1 },
    ],
  });
  try {
    await c.add(join(root, 'beir'));
    const q = data.queries[0].text;
    const res = await c.search(q, { record: true });
    assert.deepEqual(
      res.lists!.map((l) => [l.stage, l.hits.length]),
      [
        ['bm25', 20],
        ['colbert', 8],
        ['cross-encoder', 4],
      ],
    );
    assert.equal(res.hits.length, 4);
    for (const h of res.hits) {
      assert.deepEqual(
        h.trace!.map((t) => t.stage),
        ['bm25', 'colbert', 'cross-encoder'],
      );
      assert.ok(h.trace![1].rank <= 8 && h.trace![2].rank <= 4);
    }
    const colbertIds = new Set(res.lists![1].hits.map((h) => h.id));
    for (const h of res.hits) assert.ok(colbertIds.has(h.id), 'the cross-encoder only sees what ColBERT kept');
    const again = await c.search(q);
    assert.deepEqual(
      again.hits.map((h) => [h.id, h.score]),
      res.hits.map((h) => [h.id, h.score]),
    );
    const stats = await c.cacheStats();
    assert.deepEqual(
      stats.rerank.map((s) => [s.hits, s.misses]),
      [
        [20, 20],
        [8, 8],
      ],
    );
  } finally {
    await c.close();
  }
});
