/**
 * A small generated BEIR collection for tests that must run without ../shared: documents of
 * English-like words drawn from a seeded Zipf distribution, queries whose relevant documents
 * contain the query's rare words, and qrels naming them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/random.ts';

const WORDS = (
  'retrieval ranking search index query document relevance score model vector dense sparse ' +
  'lexical token stem analyzer corpus passage rerank cross encoder embedding neural network ' +
  'learning training evaluation metric precision recall gain cumulative discount judgment ' +
  'protein cell gene expression tumor cancer therapy clinical patient disease virus immune ' +
  'aircraft wing flow pressure boundary layer supersonic heat transfer turbulent shock wave ' +
  'library catalog information system user computer program language compiler memory storage ' +
  'running runs ran connection connected connecting generalization generalizations relational'
).split(' ');

export interface GeneratedCollection {
  dir: string;
  docs: { _id: string; title: string; text: string }[];
  queries: { _id: string; text: string }[];
  qrels: [string, string, number][];
}

/** Write a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) under `dir`. */
export function writeCollection(dir: string, options: { docs?: number; queries?: number; seed?: number } = {}): GeneratedCollection {
  const nDocs = options.docs ?? 200;
  const nQueries = options.queries ?? 20;
  const rand = mulberry32(options.seed ?? 42);
  const zipf = (n: number) => Math.min(n - 1, Math.floor(rand() ** 2.5 * n));
  const docs = Array.from({ length: nDocs }, (_, i) => {
    const len = 8 + Math.floor(rand() * 30);
    const words = Array.from({ length: len }, () => WORDS[zipf(WORDS.length)]);
    return { _id: `d${i}`, title: `Document ${i} ${WORDS[zipf(WORDS.length)]}`, text: words.join(' ') + '.' };
  });
  const queries: GeneratedCollection['queries'] = [];
  const qrels: GeneratedCollection['qrels'] = [];
  for (let q = 0; q < nQueries; q++) {
    const marker = `zq${q}term`;
    const relevant = new Set<number>();
    while (relevant.size < 3) relevant.add(Math.floor(rand() * nDocs));
    for (const d of relevant) {
      docs[d].text += ` ${marker} ${marker}`;
      qrels.push([`q${q}`, docs[d]._id, 1 + Math.floor(rand() * 2)]);
    }
    queries.push({ _id: `q${q}`, text: `${marker} ${WORDS[zipf(WORDS.length)]} ${WORDS[zipf(WORDS.length)]}` });
  }
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  writeFileSync(join(dir, 'corpus.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
  writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n' + qrels.map((r) => r.join('\t')).join('\n') + '\n');
  return { dir, docs, queries, qrels };
}
