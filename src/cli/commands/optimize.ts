/** `shortlist optimize <collection>`: merge the BM25 segments into one and remove garbage part files. */
import type { Command } from 'commander';
import { openHome } from '../../engine/home/index.ts';
import { printJson } from '../output.ts';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('optimize')
    .description("merge a collection's BM25 segments into one (commits a new version) and remove part files no version names")
    .argument('<collection>', 'collection: a folder, an s3://bucket/prefix or a postgres://…?schema= URL')
    .option('--json', 'print what was done as JSON')
    .action(async (location: string, opts: { json?: boolean }) => {
      const { home } = await openHome(location);
      try {
        const r = await home.optimize();
        if (opts.json) return printJson(r);
        process.stdout.write(
          `version ${r.version}: ${r.segmentsBefore} BM25 segments merged into ${r.segmentsAfter}; ${r.removed.length} garbage files removed\n`,
        );
      } finally {
        await home.close();
      }
    });
}
