/** shortlist/langchain with @langchain/core: the retriever and the reranker in a RunnableSequence. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Document } from '@langchain/core/documents';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { BaseRetriever } from '@langchain/core/retrievers';
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Bm25Index, Bm25Retriever, Pipeline, getAnalyzer, type Hit } from '../../src/index.ts';
import { CrossEncoderReranker } from '../../src/models.ts';
import { ShortlistReranker, ShortlistRetriever } from '../../src/integrations/langchain/index.ts';

const DOCS = [
  { id: 'd1', title: 'Rerankers', text: 'A cross-encoder reads the query and the document together.', metadata: { year: 2020 } },
  { id: 'd2', title: 'First stage', text: 'BM25 shortlists candidates from an inverted index in milliseconds.', metadata: { year: 2021 } },
  {
    id: 'd3',
    title: 'Dense retrieval',
    text: 'Bi-encoders embed queries and documents separately for ANN search.',
    metadata: { year: 2022 },
  },
  {
    id: 'd4',
    title: 'Fusion',
    text: 'Reciprocal rank fusion merges the candidates of BM25 and dense retrieval.',
    metadata: { year: 2023 },
  },
];

describe('shortlist/langchain', () => {
  let index: Bm25Index;
  let reranker: CrossEncoderReranker;
  before(async () => {
    index = await Bm25Index.build(DOCS, { analyzer: getAnalyzer('english') });
    reranker = await CrossEncoderReranker.create({
      model: await tinyModel('classifier'),
      preset: { activation: 'sigmoid', maxLength: 64 },
      threads: 1,
    });
  });
  after(async () => {
    index.close();
    await reranker.dispose();
  });

  it('the retriever returns documents with id, score, rank, stored metadata and the stage trace', async () => {
    const pipeline = new Pipeline({ retriever: new Bm25Retriever(index), k: 3 });
    const retriever = new ShortlistRetriever({ collection: pipeline });
    assert.ok(retriever instanceof BaseRetriever);
    const docs = await retriever.invoke('BM25 candidates');
    const direct = (await pipeline.search('BM25 candidates')).hits;
    assert.deepEqual(
      docs.map((d) => d.metadata.id),
      direct.map((h) => h.id),
    );
    assert.equal(docs[0].metadata.id, 'd2');
    assert.equal(docs[0].pageContent, DOCS[1].text);
    assert.equal(docs[0].metadata.title, 'First stage');
    assert.equal(docs[0].metadata.year, 2021);
    assert.equal(docs[0].metadata.rank, 1);
    assert.equal(docs[0].metadata.score, direct[0].score);
    assert.deepEqual(docs[0].metadata.trace, [{ stage: 'bm25', rank: 1, score: direct[0].score }]);
  });

  it('passes k and filter to the collection, and yields one document per passage with passages: true', async () => {
    const calls: unknown[] = [];
    const hit: Hit & { passages: unknown[] } = {
      id: 'd9',
      score: 2,
      document: { id: 'd9', title: 'Long', text: 'First part. Second part about rerankers.' },
      passages: [
        { text: 'Second part about rerankers.', start: 12, end: 40, chunk: 1, score: 1.5 },
        { text: 'First part.', start: 0, end: 11, chunk: 0, score: 0.2 },
      ],
    };
    const plain: Hit = { id: 'd8', score: 1, document: { id: 'd8', text: 'No passages here.' } };
    const collection = { search: async (q: string, o?: object) => (calls.push([q, o]), { hits: [hit, plain] }) };
    const docs = await new ShortlistRetriever({ collection, k: 2, filter: 'year >= 2020', passages: true }).invoke('rerankers');
    assert.deepEqual(calls, [['rerankers', { k: 2, filter: 'year >= 2020', passages: true }]]);
    assert.deepEqual(
      docs.map((d) => d.pageContent),
      ['Second part about rerankers.', 'First part.', 'No passages here.'],
    );
    assert.deepEqual(docs[0].metadata.passage, { start: 12, end: 40, chunk: 1, score: 1.5 });
    assert.equal(docs[0].id, 'd9#1');
    assert.equal(docs[2].metadata.passage, undefined);
    const whole = await new ShortlistRetriever({ collection }).invoke('rerankers');
    assert.deepEqual(
      whole.map((d) => d.pageContent),
      ['First part. Second part about rerankers.', 'No passages here.'],
    );
  });

  it("the reranker reorders documents by the shortlist reranker's scores and appends its trace entry", async () => {
    const compressor = new ShortlistReranker({ reranker, k: 2 });
    assert.ok(compressor instanceof BaseDocumentCompressor);
    const docs = DOCS.map(
      (d) =>
        new Document({
          id: d.id,
          pageContent: d.text,
          metadata: { id: d.id, title: d.title, trace: [{ stage: 'bm25', rank: 1, score: 1 }] },
        }),
    );
    const out = await compressor.compressDocuments(docs, 'what reads query and document together?');
    const expected = (
      await reranker.rerank(
        'what reads query and document together?',
        DOCS.map((d) => ({ id: d.id, text: d.text, title: d.title })),
        2,
      )
    ).map((h) => [h.id, h.score]);
    assert.deepEqual(
      out.map((d) => [d.metadata.id, d.metadata.relevanceScore]),
      expected,
    );
    assert.deepEqual(
      out.map((d) => d.metadata.rank),
      [1, 2],
    );
    assert.deepEqual(
      out[0].metadata.trace.map((t: { stage: string }) => t.stage),
      ['bm25', 'cross-encoder'],
    );
  });

  it('retriever → reranker → answer context in a RunnableSequence', async () => {
    const retriever = new ShortlistRetriever({ collection: new Pipeline({ retriever: new Bm25Retriever(index), k: 4 }) });
    const compressor = new ShortlistReranker({ reranker, k: 2 });
    const chain = RunnableSequence.from([
      { docs: retriever, question: new RunnablePassthrough() },
      async ({ docs, question }: { docs: Document[]; question: string }) => compressor.compressDocuments(docs, question),
      (docs: Document[]) => docs.map((d) => `[${d.metadata.id}] ${d.pageContent}`).join('\n'),
    ]);
    const context = await chain.invoke('BM25 and dense retrieval candidates');
    const lines = context.split('\n');
    assert.equal(lines.length, 2);
    const firstStage = (await retriever.invoke('BM25 and dense retrieval candidates')).map((d) => d.metadata.id);
    for (const line of lines) assert.ok(firstStage.includes(/^\[(\w+)\]/.exec(line)![1]), line);
  });
});
