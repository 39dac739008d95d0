/** The neural stages on tiny generated models: rerankers follow their scores with the compareHits tie-break; dense retrieval is exact. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generatedModel, tinyModel } from '../../scripts/models/fixtures.ts';
import { builtinVocab } from '../../scripts/models/vocab.ts';
import { compareHits, type Candidate } from '../../src/core/types.ts';
import type { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';
import type { MultiVectorEncoder } from '../../src/models/encoders/multi-vector.ts';
import { ColbertReranker } from '../../src/rerank/colbert/reranker.ts';
import { maxSim } from '../../src/rerank/colbert/maxsim.ts';
import { CrossEncoderReranker } from '../../src/rerank/cross-encoder/reranker.ts';
import { FlatIndex } from '../../src/retrieve/dense/flat-index.ts';
import { DenseRetriever } from '../../src/retrieve/dense/retriever.ts';

const QUERY = 'which treatment lowered blood pressure';
const CANDIDATES: Candidate[] = [
  { id: 'd3', text: 'Patients who received the treatment had lower blood pressure.' },
  { id: 'd1', text: 'Cells were grown in a medium containing glucose.' },
  { id: 'b-dup', text: 'The system processes one thousand documents per second.' },
  { id: 'a-dup', text: 'The system processes one thousand documents per second.' },
  { id: 'd2', text: 'Genes associated with cancer', title: 'Population studies' },
];

describe('CrossEncoderReranker', () => {
  let reranker: CrossEncoderReranker;
  before(async () => {
    reranker = await CrossEncoderReranker.create({
      model: await tinyModel('classifier'),
      preset: { activation: 'sigmoid', maxLength: 128 },
      threads: 1,
    });
  });
  after(() => reranker.dispose());

  it('orders candidates by the encoder score, equal scores by id, and cuts to k', async () => {
    const hits = await reranker.rerank(QUERY, CANDIDATES, 10);
    const texts = CANDIDATES.map((c) => (c.title ? `${c.title}\n${c.text}` : c.text));
    const scores = await reranker.encoder.score(QUERY, texts);
    const expected = CANDIDATES.map((c, i) => ({ id: c.id, score: scores[i].score })).sort(compareHits);
    assert.deepEqual(hits, expected);
    const dupA = hits.findIndex((h) => h.id === 'a-dup');
    assert.equal(hits[dupA + 1].id, 'b-dup', 'equal scores: id ascending');
    assert.deepEqual(await reranker.rerank(QUERY, CANDIDATES, 2), expected.slice(0, 2));
    assert.deepEqual(await reranker.rerank(QUERY, [...CANDIDATES].reverse(), 10), expected, 'input order does not matter');
    assert.deepEqual(await reranker.rerank(QUERY, [], 5), []);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(reranker.rerank(QUERY, CANDIDATES, 3, { signal: ac.signal }), (e) => (e as { code?: string }).code === 'ABORTED');
  });

  it('accepts an encoder the caller built', () => {
    assert.ok(new CrossEncoderReranker(reranker.encoder).encoder instanceof CrossEncoder);
  });
});

describe('ColbertReranker', () => {
  let dir: string;
  let reranker: ColbertReranker;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shortlist-colbert-'));
    writeFileSync(join(dir, 'vocab.txt'), [...builtinVocab(), '[unused0]', '[unused1]'].join('\n') + '\n');
    const folder = await generatedModel({ shape: 'tiny', head: 'colbert', vocab: join(dir, 'vocab.txt') });
    reranker = await ColbertReranker.create({
      model: folder,
      preset: {
        colbert: {
          queryLength: 32,
          documentLength: 128,
          queryMarker: '[unused0]',
          documentMarker: '[unused1]',
          maskAugment: true,
          skipPunctuation: true,
        },
      },
      threads: 1,
    });
  });
  after(async () => {
    await reranker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('orders candidates by MaxSim, equal scores by id', async () => {
    const hits = await reranker.rerank(QUERY, CANDIDATES, 10);
    const encoder: MultiVectorEncoder = reranker.encoder;
    const [q] = await encoder.encodeQueries([QUERY]);
    const docs = await encoder.encodeDocuments(CANDIDATES.map((c) => (c.title ? `${c.title}\n${c.text}` : c.text)));
    const expected = CANDIDATES.map((c, i) => ({ id: c.id, score: maxSim(q.data, docs[i].data, q.dims) })).sort(compareHits);
    assert.deepEqual(hits, expected);
    assert.equal(q.dims, 128);
    const dupA = hits.findIndex((h) => h.id === 'a-dup');
    assert.equal(hits[dupA + 1].id, 'b-dup');
  });
});

describe('DenseRetriever', () => {
  let retriever: DenseRetriever;
  before(async () => {
    retriever = await DenseRetriever.create({
      model: await tinyModel('encoder'),
      preset: { pooling: 'mean', normalize: true, maxLength: 128 },
      threads: 1,
    });
  });
  after(() => retriever.dispose());

  it('returns the exact top k by dot product, ties by id, with the stored document', async () => {
    await retriever.add(CANDIDATES.map((c) => ({ id: c.id, text: c.text, title: c.title })));
    assert.equal(retriever.size, 5);
    const hits = await retriever.search(QUERY, 4);
    const encoder: BiEncoder = retriever.encoder;
    const [q] = await encoder.embed([QUERY], 'query');
    const vectors = await encoder.embed(
      CANDIDATES.map((c) => (c.title ? `${c.title}\n${c.text}` : c.text)),
      'document',
    );
    const expected = CANDIDATES.map((c, i) => ({ id: c.id, score: vectors[i].reduce((s, x, j) => s + x * q[j], 0) }))
      .sort(compareHits)
      .slice(0, 4);
    assert.deepEqual(
      hits.map((h) => h.id),
      expected.map((h) => h.id),
    );
    hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i].score) < 1e-5));
    for (const h of hits) assert.equal(h.document?.text, CANDIDATES.find((c) => c.id === h.id)!.text, 'hits carry their stored document');
    await assert.rejects(retriever.add([{ id: 'd1', text: 'again' }]), /already in the index/);
  });
});

describe('FlatIndex', () => {
  it('keeps the top k with the id tie-break', () => {
    const index = new FlatIndex(2);
    index.add(
      ['c', 'a', 'b', 'd'],
      [new Float32Array([1, 0]), new Float32Array([0, 1]), new Float32Array([1, 0]), new Float32Array([0.5, 0.5])],
    );
    assert.deepEqual(index.search(new Float32Array([1, 0]), 3), [
      { id: 'b', score: 1 },
      { id: 'c', score: 1 },
      { id: 'd', score: 0.5 },
    ]);
    assert.deepEqual(index.search(new Float32Array([1, 0]), 0), []);
    assert.throws(() => index.add(['x'], [new Float32Array(3)]), /3 components/);
  });
});
