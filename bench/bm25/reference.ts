/** The reference Lucene figures beside the datasets (`lucene-bm25.tsv`: dataset, k1, b, metrics). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** nDCG@10 and Recall@100 of Lucene 8.7 (k1 0.9, b 0.4) for one dataset. */
export interface Reference {
  'ndcg@10': number;
  'recall@100': number;
}

/** The k1 = 0.9, b = 0.4 row of `path` for `dataset`, or undefined when absent. */
export async function readReference(path: string, dataset: string): Promise<Reference | undefined> {
  if (!existsSync(path)) return undefined;
  const [header, ...lines] = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const col = (n: string) => header.indexOf(n);
  for (const f of lines) {
    if (f[col('dataset')] === dataset && Number(f[col('k1')]) === 0.9 && Number(f[col('b')]) === 0.4) {
      return { 'ndcg@10': Number(f[col('ndcg@10')]), 'recall@100': Number(f[col('recall@100')]) };
    }
  }
  return undefined;
}
