/** Runs the retriever contract against the BM25 stage (the library's and a collection's) and the dense stage (tiny generated bi-encoder). */
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { bm25Retriever } from '../../src/engine/retrievers.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25/retriever.ts';
import { DenseRetriever } from '../../src/retrieve/dense/retriever.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { CORPUS, retrieverContract } from './retriever.case.ts';

retrieverContract('BM25 (Lucene-equal, english analyzer)', async () => {
  const index = await Bm25Index.build(CORPUS, { analyzer: getAnalyzer('english') });
  return { retriever: new Bm25Retriever(index), judges: true, matchesAll: false, dispose: async () => index.close() };
});

retrieverContract("a collection's BM25 stage", async () => {
  const index = await Bm25Index.build(CORPUS, { analyzer: getAnalyzer('english') });
  return {
    retriever: bm25Retriever(index, { type: 'bm25', name: 'bm25' }),
    judges: true,
    matchesAll: false,
    dispose: async () => index.close(),
  };
});

retrieverContract('dense (tiny generated bi-encoder, exact scan)', async () => {
  const retriever = await DenseRetriever.create({
    model: await tinyModel('encoder'),
    preset: { pooling: 'mean', normalize: true, maxLength: 64 },
    threads: 1,
  });
  await retriever.add(CORPUS);
  return { retriever, judges: false, matchesAll: true, dispose: () => retriever.dispose() };
});
