/**
 * `npm run bench:passages`: `eval --pipeline bm25` with `unit: document` and `unit: passage` on
 * every collection in ../shared/datasets (or the folders given as arguments), beside Lucene 8.7's
 * numbers from lucene-bm25.tsv (k1 0.9, b 0.4). Document qrels judge a passage run by each
 * passage's document, at the rank of its best passage (docs/passages.md). Prints one row per
 * dataset as it finishes, then a markdown table.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';

const shared = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const METRICS = ['ndcg@10', 'recall@100', 'map'] as const;

const dirs =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : existsSync(shared)
      ? readdirSync(shared)
          .filter((d) => existsSync(join(shared, d, 'corpus.jsonl')) || existsSync(join(shared, d, 'corpus.jsonl.gz')))
          .map((d) => join(shared, d))
      : [];
if (dirs.length === 0) {
  process.stderr.write('no datasets: give BEIR folders as arguments, or run beside ../shared/datasets\n');
  process.exit(2);
}
const lucene = new Map<string, Record<string, number>>();
const table = join(shared, 'lucene-bm25.tsv');
if (existsSync(table)) {
  const [header, ...rows] = readFileSync(table, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  for (const r of rows) if (r[1] === '0.9' && r[2] === '0.4') lucene.set(r[0], Object.fromEntries(header.map((h, i) => [h, Number(r[i])])));
}

const lines: string[] = [];
for (const dir of dirs) {
  const name = basename(dir);
  const out: Record<string, Record<string, number>> = {};
  const ms: Record<string, number> = {};
  for (const unit of ['document', 'passage'] as const) {
    const t0 = performance.now();
    const x = await evaluatePipeline(dir, { retrievers: [{ type: 'bm25' }], unit });
    ms[unit] = performance.now() - t0;
    out[unit] = x.stages[0].metrics;
  }
  const ref = lucene.get(name);
  const f = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(4));
  const row = [
    name,
    f(ref?.['ndcg@10']),
    ...METRICS.map((m) => f(out.document[m])),
    ...METRICS.map((m) => f(out.passage[m])),
    (out.passage['ndcg@10'] - out.document['ndcg@10']).toFixed(4),
  ];
  lines.push(`| ${row.join(' | ')} |`);
  process.stdout.write(
    `${name}: document ${METRICS.map((m) => `${m} ${f(out.document[m])}`).join(' ')} (${(ms.document / 1000).toFixed(1)} s); passage ${METRICS.map((m) => `${m} ${f(out.passage[m])}`).join(' ')} (${(ms.passage / 1000).toFixed(1)} s)\n`,
  );
}
process.stdout.write(
  '\n| dataset | Lucene nDCG@10 | document nDCG@10 | document R@100 | document MAP | passage nDCG@10 | passage R@100 | passage MAP | Δ nDCG@10 |\n|---|---|---|---|---|---|---|---|---|\n',
);
process.stdout.write(lines.join('\n') + '\n');
