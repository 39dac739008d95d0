// Index documents with Lucene-equal BM25, search them, and score a run with trec_eval's metrics.
// Run: node --conditions=shortlist-source --import tsx examples/bm25-library.ts (in a checkout)
import { Bm25Index, Bm25Retriever, Pipeline, evaluate, getAnalyzer } from 'shortlist';

const docs = [
  { id: 'd1', title: 'Rerankers', text: 'A cross-encoder reads the query and the document together.' },
  { id: 'd2', title: 'First stage', text: 'BM25 shortlists candidates from an inverted index in milliseconds.' },
  { id: 'd3', title: 'Dense retrieval', text: 'Bi-encoders embed queries and documents separately for ANN search.' },
];
const index = await Bm25Index.build(docs, { analyzer: getAnalyzer('english') });

const pipeline = new Pipeline({ retriever: new Bm25Retriever(index), k: 2 });
const { hits, timings } = await pipeline.search('how does BM25 shortlist candidates?');
for (const h of hits) console.log(h.id, h.score.toFixed(4), h.document?.title);
console.log('stages:', timings.map((t) => t.stage).join(' → '));

const run = new Map([['q1', hits.map((h) => ({ docid: h.id, score: h.score }))]]);
const qrels = new Map([['q1', new Map([['d2', 1]])]]);
console.log('ndcg@10 =', evaluate(run, qrels, ['ndcg@10']).mean['ndcg@10']);
index.close();
