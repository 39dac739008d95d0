/**
 * LanceDB's own full-text search against Lucene's BM25 (and ours) on the BEIR collections beside
 * the repo — the measurement behind keeping our BM25 index in collections (issue: use LanceDB FTS
 * only if it matches Lucene within 0.005 nDCG@10).
 *
 *   node --import tsx bench/bm25/lancedb-fts.ts [--datasets ../shared/datasets]
 *
 * LanceDB indexes `title + " " + text` with its English pipeline (simple tokenizer, lower-case,
 * stop words, stemming) and ranks by its BM25 (k1 1.2, b 0.75, fixed); the Lucene rows come from
 * `lucene-bm25.tsv` at the same k1/b and at Anserini's 0.9/0.4.
 */
import { connect, Index } from '@lancedb/lancedb';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluate } from '../../src/eval/evaluate.ts';
import type { Run } from '../../src/eval/types.ts';
import { loadCorpus, loadQrels, loadQueries } from './dataset.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const root = resolve(arg('--datasets', join(import.meta.dirname, '../../../shared/datasets')));
if (!existsSync(root)) {
  console.error(`no datasets at ${root}; pass --datasets <dir of BEIR folders>`);
  process.exit(2);
}

/** Lucene's nDCG@10 for `dataset` at k1/b from lucene-bm25.tsv. */
function lucene(dataset: string, k1: number, b: number): number | undefined {
  const [header, ...rows] = readFileSync(join(root, 'lucene-bm25.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const col = (n: string) => header.indexOf(n);
  const row = rows.find((r) => r[col('dataset')] === dataset && Number(r[col('k1')]) === k1 && Number(r[col('b')]) === b);
  return row ? Number(row[col('ndcg@10')]) : undefined;
}

/** FTS query text: LanceDB parses queries, so keep words only. */
const words = (q: string) => q.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

const tmp = mkdtempSync(join(tmpdir(), 'shortlist-lancedb-fts-'));
const lines: string[] = [];
try {
  const db = await connect(tmp);
  for (const name of readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'corpus.jsonl')))
    .sort()) {
    const dir = join(root, name);
    const [docs, queries, qrels] = await Promise.all([loadCorpus(dir), loadQueries(dir), loadQrels(dir)]);
    const table = await db.createTable(
      name,
      docs.map((d) => ({ id: d.id, text: `${d.title ?? ''} ${d.text}`.trim() })),
      { mode: 'overwrite' },
    );
    await table.createIndex('text', {
      config: Index.fts({
        withPosition: false,
        language: 'English',
        stem: true,
        removeStopWords: true,
        lowercase: true,
        asciiFolding: true,
      }),
    });
    const run: Run = new Map();
    for (const q of queries) {
      if (!qrels.has(q.id)) continue;
      const text = words(q.text);
      const hits = text
        ? ((await table.query().fullTextSearch(text).select(['id']).limit(100).toArray()) as { id: string; _score: number }[])
        : [];
      run.set(
        q.id,
        hits.map((h) => ({ docid: h.id, score: h._score })),
      );
    }
    const ndcg = evaluate(run, qrels, ['ndcg@10']).mean['ndcg@10'];
    const l12 = lucene(name, 1.2, 0.75);
    const l09 = lucene(name, 0.9, 0.4);
    const d = l12 === undefined ? '' : (ndcg - l12).toFixed(4);
    lines.push(
      `| ${name} | ${ndcg.toFixed(4)} | ${l12?.toFixed(4) ?? '—'} | ${d} | ${l09?.toFixed(4) ?? '—'} | ${l12 !== undefined && Math.abs(ndcg - l12) <= 0.005 ? 'yes' : 'no'} |`,
    );
    console.error(lines.at(-1));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log('LanceDB full-text search (BM25 k1 1.2, b 0.75) vs Lucene 8.7 BM25 — nDCG@10');
console.log('| dataset | LanceDB FTS | Lucene (1.2/0.75) | Δ | Lucene (0.9/0.4) | within 0.005 |');
console.log('|---|---:|---:|---:|---:|---|');
for (const l of lines) console.log(l);
