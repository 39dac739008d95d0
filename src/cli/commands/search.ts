/** `shortlist search <index> "<query>"`: the top k of a BM25 index, with titles and the time taken. */
import { Command } from 'commander';
import { Bm25Index } from '../../retrieve/bm25/index.ts';
import { formatMs, formatTable, printJson } from '../output.ts';
import { parseNumber, parsePositiveInt } from '../parse.ts';

export function register(program: Command): void {
  program
    .command('search')
    .description('search an index and print rank, id, score and title')
    .argument('<index>', 'index directory written by `shortlist index`')
    .argument('<query>', 'the query text')
    .option('-k, --k <n>', 'how many results to print', parsePositiveInt('--k'), 10)
    .option('--k1 <x>', 'BM25 term-frequency saturation (Anserini default 0.9)', parseNumber('--k1'))
    .option('--b <x>', 'BM25 length normalisation, 0..1 (Anserini default 0.4)', parseNumber('--b'))
    .option('--json', 'print {query, ms, hits:[{rank,id,score,title}]} as JSON')
    .action(async (dir: string, query: string, opts: { k: number; k1?: number; b?: number; json?: boolean }) => {
      const index = await Bm25Index.open(dir);
      try {
        const t0 = performance.now();
        const top = index.search(query, opts.k, { k1: opts.k1, b: opts.b });
        const ms = performance.now() - t0;
        const hits = top.map((h, i) => ({ rank: i + 1, id: h.id, score: h.score, title: index.document(h.id)?.title ?? '' }));
        if (opts.json) return printJson({ query, ms: Number(ms.toFixed(3)), hits });
        if (hits.length === 0) {
          process.stdout.write(`no results for "${query}" (${formatMs(ms)})\n`);
          return;
        }
        const rows = hits.map((h) => [h.rank, h.id, h.score.toFixed(4), truncate(h.title, 70)]);
        process.stdout.write(formatTable(['rank', 'id', 'score', 'title'], rows) + '\n');
        process.stdout.write(`${hits.length} results in ${formatMs(ms)}\n`);
      } finally {
        index.close();
      }
    });
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
