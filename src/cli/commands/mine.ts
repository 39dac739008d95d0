/**
 * `shortlist mine <collection|beir-dir> --queries q.jsonl --qrels qrels.tsv` (or `--pairs pairs.jsonl`):
 * hard negatives from the collection's first stage, filtered by rank window, score and margins
 * against the positive (scored by `--cross-encoder` when given), written in a training layout, with
 * a table of how many candidates each filter removed. Knobs are sentence-transformers' names.
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import type { Reranker } from '../../core/types.ts';
import { readBeirQrels, readQueries, judgedQueries } from '../../eval/beir.ts';
import { CrossEncoderReranker } from '../../rerank/cross-encoder/reranker.ts';
import { EXPORT_FORMATS, toJsonl, type ExportFormat } from '../../lab/export/index.ts';
import {
  DROP_REASONS,
  MINE_DEFAULTS,
  MINE_RETRIEVERS,
  SAMPLING_STRATEGIES,
  itemsFromQrels,
  mineHardNegatives,
  readPairs,
  withMiningSource,
  type MineItem,
  type MineRetriever,
  type MineSummary,
  type SamplingStrategy,
} from '../../lab/mine/index.ts';
import { formatTable, printJson } from '../output.ts';
import { parseNumber, parsePositiveInt } from '../parse.ts';
import { createProgress } from '../progress.ts';

interface MineFlags {
  queries?: string;
  qrels?: string;
  pairs?: string;
  out?: string;
  format: ExportFormat;
  retriever: MineRetriever;
  pipeline?: string;
  split: string;
  rangeMin?: number;
  rangeMax?: number;
  maxScore?: number;
  minScore?: number;
  absoluteMargin?: number;
  relativeMargin?: number;
  numNegatives?: number;
  samplingStrategy?: SamplingStrategy;
  seed?: number;
  crossEncoder?: string;
  crossEncoderMaxLength?: number;
  crossEncoderActivation?: 'sigmoid' | 'none';
  adapter: boolean;
  json?: boolean;
}

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('mine')
    .description(
      'mine hard negatives from the first stage (rank window, score and margin filters, cross-encoder false-negative filter) into training files',
    )
    .argument(
      '<dir>',
      'collection (directory, postgres://…?schema= URL or s3://bucket/prefix), or a BEIR folder (built into a temporary collection with --pipeline)',
    )
    .option('--queries <file>', 'BEIR queries.jsonl (default for a BEIR folder: its queries)')
    .option('--qrels <file>', 'qrels TSV; judged documents (grade >= 1) are the positives (default for a BEIR folder: qrels/<split>.tsv)')
    .option('--pairs <file>', 'instead of queries + qrels: JSONL of {"query", "positive"} texts')
    .option('--out <file>', 'write the training rows here (JSONL); default: no file, only the summary')
    .addOption(new Option('--format <name>', 'training layout').choices([...EXPORT_FORMATS]).default('triplet'))
    .addOption(
      new Option('--retriever <which>', "first stage: the collection's whole pipeline, or only its bm25 / dense retriever, or both fused")
        .choices([...MINE_RETRIEVERS])
        .default('pipeline'),
    )
    .option('--pipeline <file|preset>', 'BEIR folder only: pipeline of the temporary collection (default bm25)')
    .option('--split <name>', 'BEIR folder only: qrels split', 'test')
    .option('--range-min <n>', `skip the first n candidates (default ${MINE_DEFAULTS.rangeMin})`, parseNumber('--range-min'))
    .option('--range-max <n>', `consider the first n candidates (default ${MINE_DEFAULTS.rangeMax})`, parsePositiveInt('--range-max'))
    .option('--max-score <x>', 'drop candidates scoring above x', parseNumber('--max-score'))
    .option('--min-score <x>', 'drop candidates scoring below x', parseNumber('--min-score'))
    .option('--absolute-margin <x>', 'keep a candidate only if score <= positive - x', parseNumber('--absolute-margin'))
    .option(
      '--relative-margin <x>',
      'keep a candidate only if score <= positive - x*|positive| (= positive*(1-x) for positive scores)',
      parseNumber('--relative-margin'),
    )
    .option('--num-negatives <n>', `negatives per query (default ${MINE_DEFAULTS.numNegatives})`, parsePositiveInt('--num-negatives'))
    .addOption(
      new Option('--sampling-strategy <s>', 'top: best-ranked passing candidates; random: a seeded sample').choices([
        ...SAMPLING_STRATEGIES,
      ]),
    )
    .option('--seed <n>', 'seed of random sampling (default 1)', parseNumber('--seed'))
    .option(
      '--cross-encoder <id|folder>',
      'score positives and candidates with this cross-encoder: the false-negative filter, and the teacher of margin-mse',
    )
    .option(
      '--cross-encoder-max-length <n>',
      "the cross-encoder's window in tokens (needed for a model without a preset)",
      parsePositiveInt('--cross-encoder-max-length'),
    )
    .addOption(
      new Option('--cross-encoder-activation <fn>', "sigmoid: scores in (0, 1); none: raw logits (default: the model's preset)").choices([
        'sigmoid',
        'none',
      ]),
    )
    .option('--no-adapter', 'mine with the raw dense model even if the collection has a query adapter')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string, opts: MineFlags) => {
      if (opts.pairs && (opts.queries || opts.qrels))
        throw new ShortlistError('INVALID_ARGUMENT', 'give --pairs, or --queries with --qrels, not both');
      if (opts.format === 'margin-mse' && !opts.crossEncoder)
        throw new ShortlistError(
          'INVALID_ARGUMENT',
          '--format margin-mse needs teacher scores; give --cross-encoder <model> (the teacher)',
        );
      const knobs = {
        rangeMin: opts.rangeMin,
        rangeMax: opts.rangeMax,
        maxScore: opts.maxScore,
        minScore: opts.minScore,
        absoluteMargin: opts.absoluteMargin,
        relativeMargin: opts.relativeMargin,
        numNegatives: opts.numNegatives,
        samplingStrategy: opts.samplingStrategy,
        seed: opts.seed,
      };
      const pairs = opts.pairs ? await readPairs(opts.pairs) : undefined;
      const qrels = opts.qrels ? await readBeirQrels(opts.qrels) : undefined;
      const maxPositives = pairs
        ? Math.max(...pairs.map((p) => p.positives.length))
        : Math.max(1, ...[...(qrels?.values() ?? [])].map((m) => m.size));
      const depth = (opts.rangeMax ?? MINE_DEFAULTS.rangeMax) + maxPositives;
      let scorer: (Reranker & { dispose(): Promise<void> }) | undefined;
      try {
        if (opts.crossEncoder) {
          const preset = Object.fromEntries(
            Object.entries({ maxLength: opts.crossEncoderMaxLength, activation: opts.crossEncoderActivation }).filter(
              ([, v]) => v !== undefined,
            ),
          );
          scorer = await CrossEncoderReranker.create({ model: opts.crossEncoder, preset });
        }
        await withMiningSource(
          dir,
          { retriever: opts.retriever, depth, pipeline: opts.pipeline, split: opts.split, noAdapter: !opts.adapter },
          async ({ collection, retrieve, beir }) => {
            let items: MineItem[];
            if (pairs) items = pairs;
            else {
              const judged = qrels ?? beir?.qrels;
              const queries = opts.queries ? await readQueries(opts.queries) : beir?.queries;
              if (!judged || !queries)
                throw new ShortlistError('INVALID_ARGUMENT', `${dir} is a collection: give --queries and --qrels (or --pairs)`);
              const asked = judgedQueries(queries, judged);
              const positiveIds = [
                ...new Set(asked.flatMap((q) => [...(judged.get(q.id) ?? [])].filter(([, grade]) => grade >= 1).map(([id]) => id))),
              ];
              const found = new Map((await collection.documents(positiveIds)).map((d) => [d.id, d]));
              items = itemsFromQrels(asked, judged, (id) => found.get(id));
            }
            const progress = createProgress('mining', { unit: 'queries', quiet: opts.json });
            const { queries, summary, options } = await mineHardNegatives(items, retrieve, {
              ...knobs,
              scorer,
              onProgress: (d, t) => progress.update(d, t),
            });
            progress.stop();
            let rows = 0;
            if (opts.out) {
              const jsonl = toJsonl(opts.format, queries, options.numNegatives);
              writeFileSync(opts.out, jsonl.text);
              rows = jsonl.rows;
            }
            if (opts.json) return printJson({ summary, options, format: opts.format, out: opts.out ?? null, rows });
            process.stdout.write(summaryTable(summary) + '\n' + (opts.out ? `\n${rows} ${opts.format} rows written to ${opts.out}\n` : ''));
          },
        );
      } finally {
        await scorer?.dispose();
      }
    });
}

/** The filter summary as a table: candidates removed per step and what was kept. */
export function summaryTable(s: MineSummary): string {
  const label: Record<string, string> = {
    positive: 'labelled positive',
    range: 'outside rank window',
    maxScore: 'above maxScore',
    minScore: 'below minScore',
    absoluteMargin: 'absolute margin (false-negative filter)',
    relativeMargin: 'relative margin (false-negative filter)',
    notSampled: 'passed, not sampled',
  };
  const rows: (string | number)[][] = DROP_REASONS.map((r) => [label[r], s.removed[r]]);
  rows.push(['kept as negatives', s.negatives]);
  const head = `${s.queries} queries, ${s.candidates} candidates; scores from ${s.scorer ?? 'the first stage'}; ${s.queriesFull} queries got every negative, ${s.queries - s.queriesWithNegatives} got none${s.noPositiveScore ? `; ${s.noPositiveScore} without a positive score (margins skipped)` : ''}`;
  return head + '\n\n' + formatTable(['step', 'candidates'], rows);
}
