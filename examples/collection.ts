// A collection in a directory: BM25 first stage, a cross-encoder reranks the top 20, search with a
// metadata filter, then close. Pass a model (hub id, preset or local folder) as the first argument.
// Run: node --conditions=shortlist-source --import tsx examples/collection.ts cross-encoder/ms-marco-MiniLM-L-6-v2 [dir]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from 'shortlist';

const model = process.argv[2] ?? 'cross-encoder/ms-marco-MiniLM-L-6-v2';
const dir = process.argv[3] ?? join(mkdtempSync(join(tmpdir(), 'shortlist-')), 'notes');

const notes = await Collection.create(dir, {
  retrievers: [{ type: 'bm25' }],
  depth: 20,
  rerank: [{ type: 'cross-encoder', model, activation: 'sigmoid', maxLength: 256 }],
  k: 3,
});
await notes.add([
  { id: 'n1', title: 'Rerankers', text: 'A cross-encoder reads the query and the document together.', metadata: { year: 2024 } },
  { id: 'n2', title: 'First stage', text: 'BM25 shortlists candidates from an inverted index.', metadata: { year: 2023 } },
  { id: 'n3', title: 'Dense retrieval', text: 'Bi-encoders embed queries and documents separately.', metadata: { year: 2024 } },
]);

const { hits, timings } = await notes.search('which model reads the query and the document together?', { filter: 'year >= 2024' });
for (const h of hits) console.log(h.id, h.document?.title, h.trace?.map((t) => `${t.stage}#${t.rank}`).join(' '));
console.log('stages:', timings.map((t) => t.stage).join(' → '));
console.log('documents:', (await notes.info()).documents);
await notes.close();
