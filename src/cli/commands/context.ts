/**
 * `shortlist context <dir> "<query>" --budget N`: the best passages for a query that fit in N
 * words (or N tokens of `--tokenizer`'s model), adjacent chunks merged, each under a source line
 * `[id · title · start-end]` — text ready for a prompt, or `--json`.
 */
import type { Command } from 'commander';
import { Collection } from '../../engine/collection.ts';
import { resolveModel } from '../../models/hub/resolve.ts';
import { parseModelSource } from '../../models/hub/source.ts';
import { TextTokenizer } from '../../models/tokenize/index.ts';
import { printJson } from '../output.ts';
import { parsePositiveInt } from '../parse.ts';

interface ContextFlags {
  budget: number;
  k?: number;
  filter?: string;
  pipeline?: string;
  tokenizer?: string;
  json?: boolean;
}

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('context')
    .description('print the best passages for a query that fit in a budget (words, or tokens of --tokenizer), ready for an LLM prompt')
    .argument('<dir>', 'collection: a directory, postgres://…?schema= URL or s3://bucket/prefix (from `shortlist init`)')
    .argument('<query>', 'the query text')
    .requiredOption(
      '--budget <n>',
      'most words in the context (tokens with --tokenizer), source lines included',
      parsePositiveInt('--budget'),
    )
    .option('-k, --k <n>', "results whose passages compete for the budget (default: the pipeline's k)", parsePositiveInt('--k'))
    .option('--tokenizer <model>', "count the budget in this model's tokens (hub id, preset id or local folder with tokenizer.json)")
    .option('--filter <where>', 'metadata where clause, e.g. "year >= 2020 AND lang = \'en\'"')
    .option('--pipeline <file|preset>', 'search with this pipeline (its models must match the collection)')
    .option('--json', 'print {query, budget, used, passages:[{id,title?,start,end,text,chunks,score,rank}]} as JSON')
    .action(async (dir: string, query: string, opts: ContextFlags) => {
      const count = opts.tokenizer ? await tokenCounter(opts.tokenizer) : undefined;
      const c = await Collection.open(dir, { pipeline: opts.pipeline });
      try {
        const ctx = await c.context(query, { budget: opts.budget, k: opts.k, filter: opts.filter, ...(count ? { count } : {}) });
        if (opts.json)
          return printJson({
            query,
            budget: ctx.budget,
            used: ctx.used,
            unit: opts.tokenizer ? 'tokens' : 'words',
            passages: ctx.passages,
          });
        process.stdout.write(ctx.text + (ctx.text ? '\n' : ''));
      } finally {
        await c.close();
      }
    });
}

/** Counts tokens with the tokenizer of `model` (special tokens not counted). */
async function tokenCounter(model: string): Promise<(text: string) => number> {
  const src = parseModelSource(model);
  const tok = await TextTokenizer.fromFolder(src.kind === 'local' ? src.dir : (await resolveModel(model)).dir);
  return (text) => tok.tokenIds(text).length;
}
