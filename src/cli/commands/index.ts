/**
 * Every CLI command, in the order `--help` lists them. A command is one entry: its usage and
 * one-line summary (what `shortlist --help` prints, without loading the command) and the module
 * that registers it, imported only when that command runs — so `shortlist search` on a BM25
 * index never loads ONNX Runtime, LanceDB, pg, the AWS SDK, echarts or hono.
 *
 * Adding a command is one entry here (test/cli/command-table.test.ts checks that the usage and
 * summary equal what the module registers):
 *
 *     verb: { usage: '[options] <dir>', summary: 'what it does', load: () => import('./verb.ts') },
 */
import type { Command } from 'commander';

/** A command module: registers one verb (with its flags and one-line docs) on the program. */
export type RegisterCommand = (program: Command) => void;

/** One command of the table. */
export interface CommandEntry {
  /** What `--help` prints after the name: `[options]` and the arguments, as commander writes them. */
  readonly usage: string;
  /** The one-line description, equal to the module's `.description(…)`. */
  readonly summary: string;
  /** Imports the module that registers the command. */
  readonly load: () => Promise<{ register: RegisterCommand }>;
}

export const COMMANDS = Object.freeze({
  init: {
    usage: '[options] <dir>',
    summary: 'create an empty collection in a directory or a Postgres schema, with a pipeline (models are fetched on first use)',
    load: () => import('./init.ts'),
  },
  add: {
    usage: '[options] <dir> <source>',
    summary: 'add documents to a collection from a folder of .md/.txt files, a JSONL file or a BEIR folder',
    load: () => import('./add.ts'),
  },
  search: {
    usage: '[options] <dir> <query>',
    summary: 'search a collection (or a bare BM25 index) and print rank, id, score and title',
    load: () => import('./search.ts'),
  },
  context: {
    usage: '[options] <dir> <query>',
    summary: 'print the best passages for a query that fit in a budget (words, or tokens of --tokenizer), ready for an LLM prompt',
    load: () => import('./context.ts'),
  },
  rm: {
    usage: '[options] <dir> <ids...>',
    summary: 'remove documents from a collection by id (unknown ids are ignored)',
    load: () => import('./rm.ts'),
  },
  info: {
    usage: '[options] <dir>',
    summary: "print a collection's counts, fingerprint, filterable fields and pipeline",
    load: () => import('./info.ts'),
  },
  check: {
    usage: '[options] <collection>',
    summary:
      'verify a collection: every part its manifest names exists, store and BM25 hold the same ids and counts, fingerprints agree; lists garbage (exit 1 on a problem)',
    load: () => import('./check.ts'),
  },
  optimize: {
    usage: '[options] <collection>',
    summary: "merge a collection's BM25 segments into one (commits a new version) and remove part files no version names",
    load: () => import('./optimize.ts'),
  },
  index: {
    usage: '[options] <source>',
    summary: 'build a BM25 index from a BEIR folder or a corpus.jsonl (written atomically)',
    load: () => import('./index-cmd.ts'),
  },
  analyze: {
    usage: '[options] [file]',
    summary: 'print the BM25 terms of each input line (stdin when no file): one output line per input line',
    load: () => import('./analyze.ts'),
  },
  eval: {
    usage: '[options] [beir-dir]',
    summary:
      'index a BEIR dataset with BM25 (cached), run its queries and print trec_eval metrics; with --pipeline, every stage of a whole pipeline; with --run <file> --qrels <file> and no dataset, score any TREC run like trec_eval',
    load: () => import('./eval.ts'),
  },
  sweep: {
    usage: '[options] <beir-dir>',
    summary: 'for each first-stage depth K: Recall@K, nDCG@10 / MRR@10 after reranking and latency per stage; recommends a depth',
    load: () => import('./sweep.ts'),
  },
  calibrate: {
    usage: '[options] <beir-dir>',
    summary:
      "fit a stage's scores to P(relevant) (Platt or isotonic) on one split, reporting Brier score and ECE before/after on held-out queries",
    load: () => import('./calibrate.ts'),
  },
  mine: {
    usage: '[options] <dir>',
    summary:
      'mine hard negatives from the first stage (rank window, score and margin filters, cross-encoder false-negative filter) into training files',
    load: () => import('./mine.ts'),
  },
  adapt: {
    usage: '[options] <collection>',
    summary:
      "train a linear query adapter for a collection's dense model on mined rows (CPU), report dev Recall@10/nDCG@10 before/after, store it",
    load: () => import('./adapt.ts'),
  },
  compare: {
    usage: '[options] <run-a> <run-b>',
    summary:
      'compare two TREC runs on the same qrels: means, difference (B − A), paired randomization test, paired t-test, win/tie/loss per query',
    load: () => import('./compare.ts'),
  },
  report: {
    usage: '[options] <inputs...>',
    summary:
      'build one self-contained HTML report (tables and SVG charts, no network) from sweep / eval --pipeline / compare / calibrate JSON outputs',
    load: () => import('./report.ts'),
  },
  datasets: {
    usage: '',
    summary: 'public evaluation datasets (BEIR): list them, fetch one into the cache',
    load: () => import('./datasets.ts'),
  },
  rerank: {
    usage: '[options]',
    summary: 'score documents against a query with a cross-encoder, best first',
    load: () => import('./rerank.ts'),
  },
  embed: { usage: '[options]', summary: 'embed texts read from stdin, one per line, with a bi-encoder', load: () => import('./embed.ts') },
  models: {
    usage: '',
    summary: 'Download models into the cache, list the built-in presets, inspect how a model runs.',
    load: () => import('./models.ts'),
  },
  serve: {
    usage: '[options]',
    summary: 'serve search, rerank and embedding APIs over HTTP (Cohere, Jina, OpenAI and TEI dialects)',
    load: () => import('./serve.ts'),
  },
  mcp: {
    usage: '[options]',
    summary: 'serve search, collection info and rerank as MCP tools over stdio (tools tune, never configure)',
    load: () => import('./mcp.ts'),
  },
} as const satisfies Record<string, CommandEntry>);

/** The name of a command. */
export type CommandName = keyof typeof COMMANDS;
