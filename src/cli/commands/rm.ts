/** `shortlist rm <dir> <id...>`: remove documents by id. */
import type { Command } from 'commander';
import { Collection } from '../../engine/collection.ts';
import { printJson } from '../output.ts';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('rm')
    .description('remove documents from a collection by id (unknown ids are ignored)')
    .argument('<dir>', 'collection: a directory, postgres://…?schema= URL or s3://bucket/prefix')
    .argument('<ids...>', 'document ids')
    .option('--json', 'print the counts as JSON')
    .action(async (dir: string, ids: string[], opts: { json?: boolean }) => {
      const c = await Collection.open(dir);
      try {
        const r = await c.remove(ids);
        if (opts.json) return printJson(r);
        process.stdout.write(`${r.deleted} of ${ids.length} documents removed; version ${r.version}\n`);
      } finally {
        await c.close();
      }
    });
}
