/**
 * `shortlist search <dir> "<query>"`: on a collection (from `shortlist init`), the full pipeline
 * with `--explain` (the trace as a table with rank movement) and `--filter`; on a bare BM25 index
 * (from `shortlist index`), the top k with titles and the time taken.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { explainTable, statsLines, traceStages } from '../../pipeline/explain.ts';
import { Bm25Index } from '../../retrieve/bm25/index.ts';
import { CURRENT_FILE } from '../../retrieve/bm25/storage.ts';
import { isS3Location } from '../../store/lancedb/location.ts';
import { isPostgresUrl } from '../../store/postgres/pool.ts';
import { formatMs, formatTable, printJson } from '../output.ts';
import { passageLine, useColor } from '../highlight.ts';
import { getAnalyzer } from '../../text/index.ts';
import { parseNumber, parsePositiveInt } from '../parse.ts';

interface SearchFlags {
  k?: number;
  k1?: number;
  b?: number;
  json?: boolean;
  explain?: boolean;
  filter?: string;
  pipeline?: string;
  /** false with --no-adapter. */
  adapter: boolean;
}

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('search')
    .description('search a collection (or a bare BM25 index) and print rank, id, score and title')
    .argument(
      '<dir>',
      'collection (a directory, postgres://…?schema= URL or s3://bucket/prefix from `shortlist init`), or an index directory (`shortlist index`)',
    )
    .argument('<query>', 'the query text')
    .option('-k, --k <n>', "how many results to print (default: the pipeline's k, 10)", parsePositiveInt('--k'))
    .option('--k1 <x>', 'BM25 term-frequency saturation (Anserini default 0.9; bare index only)', parseNumber('--k1'))
    .option('--b <x>', 'BM25 length normalisation, 0..1 (Anserini default 0.4; bare index only)', parseNumber('--b'))
    .option('--filter <where>', 'collection only: metadata where clause, e.g. "year >= 2020 AND lang = \'en\'"')
    .option('--explain', "collection only: print each result's rank and score at every stage, with rank movement")
    .option('--pipeline <file|preset>', 'collection only: search with this pipeline (its models must match the collection)')
    .option('--no-adapter', 'collection only: search without the query adapter stored by `shortlist adapt`')
    .option(
      '--json',
      'print {query, ms, hits:[{rank,id,document?,score,title,passages,trace?}], timings?} as JSON (passages: [{text,start,end,chunk,score}], offsets into the document text)',
    )
    .action(async (dir: string, query: string, opts: SearchFlags) => {
      const remote = isPostgresUrl(dir) || isS3Location(dir);
      // A bare BM25 index loads only the index code; a collection's modules load when one is searched.
      const index = !remote && existsSync(join(dir, CURRENT_FILE));
      const { Collection, PIPELINE_FILE } = index
        ? { Collection: undefined, PIPELINE_FILE: undefined }
        : await import('../../engine/collection.ts');
      if (Collection && (remote || existsSync(join(dir, PIPELINE_FILE)))) return searchCollection(Collection, dir, query, opts);
      if (existsSync(join(dir, 'corpus.jsonl')) || existsSync(join(dir, 'corpus.jsonl.gz'))) {
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          `${dir} is a BEIR dataset, not a collection or an index; build one first: \`shortlist init c --pipeline bm25 && shortlist add c ${dir}\` (or \`shortlist index ${dir} --out idx\`)`,
        );
      }
      for (const flag of ['filter', 'explain', 'pipeline'] as const) {
        if (opts[flag] !== undefined)
          throw new ShortlistError(
            'INVALID_ARGUMENT',
            `--${flag} needs a collection (\`shortlist init\` + \`shortlist add\`); ${dir} is a bare BM25 index`,
          );
      }
      return searchIndex(dir, query, { ...opts, k: opts.k ?? 10 });
    });
}

async function searchCollection(
  Collection: typeof import('../../engine/collection.ts').Collection,
  dir: string,
  query: string,
  opts: SearchFlags,
): Promise<void> {
  const c = await Collection.open(dir, { pipeline: opts.pipeline, adapter: opts.adapter });
  try {
    const t0 = performance.now();
    const res = await c.search(query, { k: opts.k, filter: opts.filter });
    const ms = performance.now() - t0;
    const hits = res.hits.map((h, i) => ({
      rank: i + 1,
      id: h.id,
      ...(h.document && h.document.id !== h.id ? { document: h.document.id } : {}),
      score: h.score,
      title: h.document?.title ?? '',
      ...(h.passages ? { passages: h.passages } : {}),
      ...(opts.explain ? { trace: h.trace } : {}),
    }));
    if (opts.json)
      return printJson({
        query,
        ms: Number(ms.toFixed(3)),
        hits,
        timings: res.timings.map((t) => ({ stage: t.stage, ms: Number(t.ms.toFixed(3)) })),
        ...(res.stats ? { stats: res.stats } : {}),
      });
    if (hits.length === 0) {
      process.stdout.write(`no results for "${query}" (${formatMs(ms)})\n`);
      return;
    }
    if (opts.explain) {
      const t = explainTable(res.hits, traceStages(res.timings), c.pipeline.retrievers.length);
      process.stdout.write(formatTable(t.header, t.rows) + '\n');
      for (const line of statsLines(res.stats)) process.stdout.write(line + '\n');
      const info = await c.info();
      if (info.vectorIndex && c.pipeline.retrievers.some((r) => r.type === 'dense'))
        process.stdout.write(`dense path: ${info.vectorIndex.path}${opts.filter ? ' (filtered)' : ''}\n`);
    } else {
      const lines = formatTable(
        ['rank', 'id', 'score', 'title'],
        hits.map((h) => [h.rank, h.id, h.score.toFixed(4), truncate(h.title, 70)]),
      ).split('\n');
      const { analyzerOf } = await import('../../pipeline/config.ts'); // loaded with the collection; a bare index needs no pipeline schema
      const analyzer = getAnalyzer(analyzerOf(c.pipeline));
      const terms = new Set(analyzer.analyze(query));
      const color = useColor();
      const out = lines.slice(0, 2);
      res.hits.forEach((h, i) => {
        out.push(lines[i + 2]);
        const line = passageLine(h, terms, analyzer, color);
        if (line) out.push(line);
      });
      process.stdout.write(out.join('\n') + '\n');
    }
    const stages = res.timings.map((t) => `${t.stage} ${formatMs(t.ms)}`).join(', ');
    process.stdout.write(`${hits.length} results in ${formatMs(ms)} (${stages})\n`);
  } finally {
    await c.close();
  }
}

async function searchIndex(dir: string, query: string, opts: SearchFlags & { k: number }): Promise<void> {
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
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
