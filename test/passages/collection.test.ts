/**
 * Passages through the library on a generated folder of long markdown notes: the best passage of
 * the top hit holds the planted answer (≥ 95% of 50 queries, BM25, both units), every passage's
 * offsets slice the document's text exactly, a passage-unit result counts passages and keeps at
 * most `perDocument` per note, and context assembly stays within its budget.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from '../../src/engine/collection.ts';
import { countWordsIn } from '../../src/pipeline/passages/index.ts';
import { writePassageCorpus, type PassageCorpus } from './corpus.ts';

let root: string;
let corpus: PassageCorpus;
let doc: Collection;
let passage: Collection;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shortlist-passages-'));
  corpus = writePassageCorpus(join(root, 'notes'));
  doc = await Collection.create(join(root, 'doc'), 'bm25');
  await doc.add(corpus.dir);
  passage = await Collection.create(join(root, 'passage'), { retrievers: [{ type: 'bm25' }], unit: 'passage' });
  await passage.add(corpus.dir);
});

after(async () => {
  await doc?.close();
  await passage?.close();
  rmSync(root, { recursive: true, force: true });
});

test('the corpus plants 50 answers, each inside one chunk of a long note', () => {
  assert.equal(corpus.queries.length, 50);
  for (const q of corpus.queries) assert.ok(q.chunk >= 0, `"${q.sentence}" straddles a chunk boundary`);
  assert.ok(
    corpus.queries.some((q) => q.chunk > 2),
    'answers sit deep inside the notes, not only in the first chunks',
  );
});

for (const unit of ['document', 'passage'] as const) {
  test(`unit ${unit}: the top hit's best passage holds the planted sentence in ≥ 95% of queries; offsets slice the text`, async () => {
    const c = unit === 'document' ? doc : passage;
    let found = 0;
    for (const q of corpus.queries) {
      const { hits } = await c.search(q.query, { k: 5 });
      assert.ok(hits.length > 0);
      for (const h of hits) {
        assert.ok(h.document && h.passages && h.passages.length > 0, `${h.id} carries its document and passages`);
        assert.ok(h.passages.length <= (unit === 'document' ? 3 : 1));
        for (const p of h.passages) assert.equal(h.document.text.slice(p.start, p.end), p.text);
        for (let i = 1; i < h.passages.length; i++) assert.ok(h.passages[i - 1].score >= h.passages[i].score, 'passages best first');
      }
      const top = hits[0];
      if (top.document!.id === q.docId && top.passages![0].text.includes(q.sentence)) found++;
    }
    assert.ok(found >= 48, `${found}/50 planted sentences in the top hit's best passage`);
  });
}

test('unit passage: k counts passages, ids name the chunk, at most perDocument (2) per note', async () => {
  const q = corpus.queries[0];
  const { hits } = await passage.search(q.query, { k: 8 });
  assert.equal(hits.length, 8);
  const perDoc = new Map<string, number>();
  for (const h of hits) {
    assert.equal(h.id, `${h.document!.id}#${h.passages![0].chunk}`);
    assert.equal(h.passages![0].score, h.score);
    perDoc.set(h.document!.id, (perDoc.get(h.document!.id) ?? 0) + 1);
  }
  assert.ok(
    [...perDoc.values()].every((n) => n <= 2),
    JSON.stringify([...perDoc]),
  );
  assert.equal(hits[0].passages![0].chunk, q.chunk);
  const one = await Collection.open(join(root, 'passage'), {
    pipeline: { retrievers: [{ type: 'bm25' }], unit: 'passage', perDocument: 1 },
  });
  try {
    const r = await one.search(q.query, { k: 8 });
    assert.equal(new Set(r.hits.map((h) => h.document!.id)).size, r.hits.length);
  } finally {
    await one.close();
  }
});

test('unit passage: chunk BM25 scores equal a Bm25Index over the chunks (Lucene scoring within the chunk index)', async () => {
  const { Bm25Index } = await import('../../src/retrieve/bm25/index.ts');
  const { chunkDocuments } = await import('../../src/engine/passages.ts');
  const { englishAnalyzer } = await import('../../src/text/index.ts');
  const docs = await doc.documents(corpus.docs.map((d) => d.id));
  const index = await Bm25Index.build(chunkDocuments(docs, {}), { analyzer: englishAnalyzer });
  const q = corpus.queries[3].query;
  const want = index.search(q, 10);
  const one = await Collection.open(join(root, 'passage'), {
    pipeline: { retrievers: [{ type: 'bm25' }], unit: 'passage', perDocument: 100 },
  });
  try {
    const got = (await one.search(q, { k: 10 })).hits;
    assert.deepEqual(
      got.map((h) => [h.id, h.score]),
      want.map((h) => [h.id, h.score]),
    );
  } finally {
    await one.close();
  }
});

test('lists of a passage-unit search judge documents: each at the rank of its best passage', async () => {
  const r = await passage.search(corpus.queries[1].query, { k: 10, record: true });
  const ids = r.lists![0].hits.map((h) => h.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => !id.includes('#')));
  assert.equal(ids[0], corpus.queries[1].docId);
});

test('context: never over budget, holds the top passage, merges adjacent chunks of a note', async () => {
  for (const budget of [60, 300, 1000]) {
    for (const q of corpus.queries.slice(0, 10)) {
      const ctx = await doc.context(q.query, { budget });
      assert.ok(ctx.used <= budget && countWordsIn(ctx.text) <= budget, `${ctx.used} words > ${budget}`);
      for (const p of ctx.passages) {
        const d = corpus.docs.find((x) => x.id === p.id)!;
        assert.equal(d.text.slice(p.start, p.end), p.text);
      }
      if (budget >= 300) assert.ok(ctx.passages[0].text.includes(q.sentence), 'the top passage comes first');
    }
  }
  // a note whose two planted chunks are neighbours: both chosen, they come out as one range
  const ctx = await passage.context('replicas service cluster', { budget: 2000, k: 20 });
  const byDoc = new Map<string, [number, number][]>();
  for (const p of ctx.passages) byDoc.set(p.id, [...(byDoc.get(p.id) ?? []), [p.start, p.end]]);
  for (const ranges of byDoc.values()) {
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i][0] > ranges[i - 1][1], 'no two ranges of a note overlap or touch');
  }
});

test('a title-only document (BEIR CACM has 1,617) is indexed by its title and comes back with no passages', async () => {
  const dir = join(root, 'titles');
  const c = await Collection.create(dir, 'bm25');
  try {
    await c.add([
      { id: 't1', title: 'Algorithm for matrix inversion', text: '' },
      { id: 't2', title: 'Other', text: 'Some text about sorting.' },
    ]);
    const { hits } = await c.search('matrix inversion');
    assert.deepEqual(
      hits.map((h) => h.id),
      ['t1'],
    );
    assert.deepEqual(hits[0].passages, []);
    // a document with neither title nor text is still a document (length 0, as in Lucene): stored, never matched
    await c.add([{ id: 'x', text: '  ' }]);
    assert.deepEqual(
      (await c.search('matrix inversion')).hits.map((h) => h.id),
      ['t1'],
    );
  } finally {
    await c.close();
  }
  const p = await Collection.open(dir, { pipeline: { retrievers: [{ type: 'bm25' }], unit: 'passage' } });
  try {
    const { hits } = await p.search('matrix inversion');
    assert.deepEqual(
      hits.map((h) => [h.id, h.document?.id, h.passages]),
      [['t1#0', 't1', [{ text: '', start: 0, end: 0, chunk: 0, score: hits[0].score }]]],
    );
  } finally {
    await p.close();
  }
});
