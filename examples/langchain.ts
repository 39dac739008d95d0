// LangChain.js: a shortlist retriever and a shortlist reranker in one RunnableSequence.
// Needs @langchain/core. Pass a cross-encoder (hub id, preset or local folder) as the first argument.
// Run: node --conditions=shortlist-source --import tsx examples/langchain.ts cross-encoder/ms-marco-MiniLM-L-6-v2
import type { Document } from '@langchain/core/documents';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { Bm25Index, Bm25Retriever, Pipeline, getAnalyzer } from 'shortlist';
import { CrossEncoderReranker } from 'shortlist/models';
import { ShortlistReranker, ShortlistRetriever } from 'shortlist/langchain';

const model = process.argv[2] ?? 'cross-encoder/ms-marco-MiniLM-L-6-v2';
const index = await Bm25Index.build(
  [
    { id: 'd1', text: 'A cross-encoder reads the query and the document together.' },
    { id: 'd2', text: 'BM25 shortlists candidates from an inverted index.' },
    { id: 'd3', text: 'Reciprocal rank fusion merges BM25 and dense candidates.' },
  ],
  { analyzer: getAnalyzer('english') },
);
// A collection (Collection.open) works the same way; here a BM25 pipeline in memory.
const retriever = new ShortlistRetriever({ collection: new Pipeline({ retriever: new Bm25Retriever(index), k: 3 }) });
const reranker = await CrossEncoderReranker.create({ model, preset: { activation: 'sigmoid', maxLength: 256 } });
const compressor = new ShortlistReranker({ reranker, k: 2 });

const chain = RunnableSequence.from([
  { docs: retriever, question: new RunnablePassthrough() },
  ({ docs, question }: { docs: Document[]; question: string }) => compressor.compressDocuments(docs, question),
  (docs: Document[]) => docs.map((d) => `${d.metadata.id} ${d.metadata.trace.map((t: { stage: string }) => t.stage).join('>')}`).join('\n'),
]);
console.log(await chain.invoke('BM25 candidates'));
await reranker.dispose();
index.close();
