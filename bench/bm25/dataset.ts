/**
 * Loading a BEIR folder for the benchmark with shortlist's own readers (src/eval/beir.ts): documents
 * and queries in memory, so every system indexes from the same objects and loading is never timed.
 */
import { join } from 'node:path';
import type { Document, Query } from '../../src/core/types.ts';
import { readBeirQrels, readCorpus, readQueries } from '../../src/eval/beir.ts';
import type { Qrels } from '../../src/eval/types.ts';

/** A document as every bench system receives it (`title` optional). */
export type BenchDoc = Document;
/** A query: id and text. */
export type BenchQuery = Query;
export type { Qrels };

/** All documents of `<dir>/corpus.jsonl`. */
export async function loadCorpus(dir: string): Promise<BenchDoc[]> {
  const docs: BenchDoc[] = [];
  for await (const d of readCorpus(join(dir, 'corpus.jsonl'))) docs.push({ id: d.id, title: d.title, text: d.text });
  return docs;
}

/** All queries of `<dir>/queries.jsonl`. */
export function loadQueries(dir: string): Promise<BenchQuery[]> {
  return readQueries(join(dir, 'queries.jsonl'));
}

/** `<dir>/qrels/<split>.tsv`. */
export function loadQrels(dir: string, split = 'test'): Promise<Qrels> {
  return readBeirQrels(join(dir, 'qrels', `${split}.tsv`));
}
