/**
 * Passages with model stages (the generated tiny BERT encoder and cross-encoder, so CI runs the real
 * inference path): a dense document hit's passages follow its chunk scores; a dense passage-unit
 * pipeline ranks the chunks themselves; a cross-encoder reads title + chunk text, and the
 * passages it picks for a document hit carry the same scores it gives those chunks as passage hits.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import type { Hit } from '../../src/core/types.ts';
import { Collection } from '../../src/engine/collection.ts';
import type { PipelineInput } from '../../src/pipeline/config.ts';
import { writePassageCorpus, type PassageCorpus } from './corpus.ts';

let root: string;
let corpus: PassageCorpus;
let dense: PipelineInput['retrievers'];
let ce: NonNullable<PipelineInput['rerank']>[number];
const chunking = { size: 64, overlap: 8 };

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shortlist-passages-models-'));
  corpus = writePassageCorpus(join(root, 'notes'), { notes: 4, queries: 4, words: 400 });
  const [enc, cls] = await Promise.all([tinyModel('encoder'), tinyModel('classifier')]);
  dense = [{ type: 'dense', model: enc, pooling: 'mean', normalize: true, maxLength: 128, threads: 1 }];
  ce = { type: 'cross-encoder', model: cls, activation: 'sigmoid', maxLength: 128, threads: 1 };
});

after(() => rmSync(root, { recursive: true, force: true }));

function checkOffsets(hits: Hit[]): void {
  for (const h of hits) for (const p of h.passages!) assert.equal(h.document!.text.slice(p.start, p.end), p.text);
}

test('dense: document hits carry their best chunks by similarity; the passage unit ranks chunks, perDocument applies', async () => {
  const c = await Collection.create(join(root, 'dense'), { retrievers: dense, chunking, k: 4 });
  try {
    await c.add(corpus.dir);
    const q = corpus.queries[0].query;
    const { hits } = await c.search(q);
    assert.equal(hits.length, 4);
    checkOffsets(hits);
    for (const h of hits) {
      assert.ok(h.passages!.length >= 1 && h.passages!.length <= 3);
      assert.ok(Math.abs(h.passages![0].score - h.score) < 1e-6, 'aggregate max: the best chunk scores the document');
      for (let i = 1; i < h.passages!.length; i++) assert.ok(h.passages![i - 1].score >= h.passages![i].score);
      assert.equal(h.chunkScores, undefined, 'internal chunk scores are not returned');
    }
    const p = await Collection.open(join(root, 'dense'), {
      pipeline: { retrievers: dense, chunking, unit: 'passage', perDocument: 2, k: 6 },
    });
    try {
      const r = await p.search(q);
      assert.equal(r.hits.length, 6);
      checkOffsets(r.hits);
      const perDoc = new Map<string, number>();
      for (const h of r.hits) perDoc.set(h.document!.id, (perDoc.get(h.document!.id) ?? 0) + 1);
      assert.ok([...perDoc.values()].every((n) => n <= 2));
      // the best passage hit is the best chunk of the best document
      assert.equal(r.hits[0].document!.id, hits[0].id);
      assert.equal(r.hits[0].passages![0].chunk, hits[0].passages![0].chunk);
      assert.ok(Math.abs(r.hits[0].score - hits[0].score) < 1e-6);
    } finally {
      await p.close();
    }
  } finally {
    await c.close();
  }
});

test('cross-encoder: reads title + chunk text; the passages it picks for a document carry its chunk scores', async () => {
  const doc = await Collection.create(join(root, 'ce-doc'), {
    retrievers: [{ type: 'bm25' }],
    rerank: [{ ...ce, keep: 3 }],
    depth: 4,
    k: 3,
    chunking,
  });
  try {
    await doc.add(corpus.dir);
    const q = corpus.queries[1].query;
    const { hits } = await doc.search(q);
    checkOffsets(hits);
    const top = hits[0];
    assert.ok(top.passages!.length >= 1);
    for (let i = 1; i < top.passages!.length; i++) assert.ok(top.passages![i - 1].score >= top.passages![i].score);
    const pass = await Collection.open(join(root, 'ce-doc'), {
      pipeline: {
        retrievers: [{ type: 'bm25' }],
        rerank: [{ ...ce, keep: 200 }],
        depth: 200,
        k: 200,
        perDocument: 100,
        unit: 'passage',
        chunking,
      },
    });
    try {
      const r = await pass.search(q);
      assert.deepEqual(
        r.timings.map((t) => t.stage),
        ['bm25', 'hydrate', 'cross-encoder'],
      );
      checkOffsets(r.hits);
      for (const p of top.passages!) {
        const same = r.hits.find((h) => h.id === `${top.id}#${p.chunk}`);
        assert.ok(same, `chunk ${p.chunk} of ${top.id} is a passage hit`);
        assert.ok(Math.abs(same.score - p.score) < 1e-6, `cross-encoder score of ${same.id}: ${same.score} vs ${p.score}`);
      }
    } finally {
      await pass.close();
    }
  } finally {
    await doc.close();
  }
});
