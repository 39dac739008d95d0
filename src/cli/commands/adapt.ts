/**
 * `shortlist adapt <collection> --train mined.jsonl [--dev dev.jsonl]`: trains a linear query
 * adapter (W·q + b from the identity) for the collection's dense model on mined rows, on the CPU,
 * reports Recall@10 / nDCG@10 on the dev queries before and after, and stores it in the collection
 * (searches then apply it; `Collection.open(dir, { adapter: false })` turns it off).
 */
import type { Command } from 'commander';
import { adaptCollection, TRAIN_DEFAULTS } from '../../lab/adapt/index.ts';
import { formatTable, printJson } from '../output.ts';
import { parseNumber, parsePositiveInt } from '../parse.ts';
import { createProgress } from '../progress.ts';

interface AdaptFlags {
  train: string;
  dev?: string;
  devFraction: number;
  temperature?: number;
  lr?: number;
  batchSize?: number;
  epochs?: number;
  patience?: number;
  regularization?: number;
  seed?: number;
  dryRun?: boolean;
  json?: boolean;
}

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('adapt')
    .description(
      "train a linear query adapter for a collection's dense model on mined rows (CPU), report dev Recall@10/nDCG@10 before/after, store it",
    )
    .argument('<collection>', 'collection (directory or postgres://…?schema= URL) with a dense retriever')
    .requiredOption('--train <file>', 'mined JSONL (triplet, n-tuple, flag or margin-mse rows from `shortlist mine`)')
    .option('--dev <file>', 'dev JSONL for early stopping and the report (default: hold out --dev-fraction of the training queries)')
    .option('--dev-fraction <x>', 'share of training queries held out when no --dev is given', parseNumber('--dev-fraction'), 0.2)
    .option('--temperature <x>', `InfoNCE temperature (default ${TRAIN_DEFAULTS.temperature})`, parseNumber('--temperature'))
    .option('--lr <x>', `Adam learning rate (default ${TRAIN_DEFAULTS.learningRate})`, parseNumber('--lr'))
    .option('--batch-size <n>', `examples per step (default ${TRAIN_DEFAULTS.batchSize})`, parsePositiveInt('--batch-size'))
    .option('--epochs <n>', `most epochs (default ${TRAIN_DEFAULTS.epochs})`, parsePositiveInt('--epochs'))
    .option(
      '--patience <n>',
      `stop after n epochs without a lower dev loss (default ${TRAIN_DEFAULTS.patience})`,
      parsePositiveInt('--patience'),
    )
    .option(
      '--regularization <x>',
      `L2 pull towards the identity (default ${TRAIN_DEFAULTS.regularization})`,
      parseNumber('--regularization'),
    )
    .option('--seed <n>', 'seed of the dev split and batch order (default 1)', parseNumber('--seed'))
    .option('--dry-run', 'train and report, but do not store the adapter')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, opts: AdaptFlags) => {
      const progress = createProgress('embedding', { unit: 'texts', quiet: opts.json });
      const r = await adaptCollection(dir, {
        train: opts.train,
        dev: opts.dev,
        devFraction: opts.devFraction,
        temperature: opts.temperature,
        learningRate: opts.lr,
        batchSize: opts.batchSize,
        epochs: opts.epochs,
        patience: opts.patience,
        regularization: opts.regularization,
        seed: opts.seed,
        dryRun: opts.dryRun,
        onProgress: (_p, d, t) => progress.update(d, t),
      });
      progress.stop();
      if (opts.json) return printJson(r);
      const f = (x: number | undefined) => (x ?? 0).toFixed(4);
      process.stdout.write(
        [
          `${r.trainQueries} training queries, ${r.devQueries} dev queries, ${r.passages} passages, ${r.dims} dims`,
          `best epoch ${r.training.bestEpoch} of ${r.training.history.length}; dev loss ${r.training.devLoss.before.toFixed(4)} → ${r.training.devLoss.after.toFixed(4)}`,
          '',
          formatTable(
            ['dev', 'recall@10', 'ndcg@10'],
            [
              ['before', f(r.before['recall@10']), f(r.before['ndcg@10'])],
              ['after', f(r.after['recall@10']), f(r.after['ndcg@10'])],
            ],
          ),
          r.file ? `\nadapter written to ${r.file}` : '\n(dry run: nothing written)',
        ].join('\n') + '\n',
      );
    });
}
