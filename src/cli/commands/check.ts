/** `shortlist check <collection>`: verify the committed version; exit 0 when whole, 1 when not. */
import type { Command } from 'commander';
import { locationFor } from '../../engine/home/index.ts';
import { printJson } from '../output.ts';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('check')
    .description(
      'verify a collection: every part its manifest names exists, store and BM25 hold the same ids and counts, fingerprints agree; lists garbage (exit 1 on a problem)',
    )
    .argument('<collection>', 'collection: a folder, an s3://bucket/prefix or a postgres://…?schema= URL')
    .option('--json', 'print the report as JSON')
    .action(async (location: string, opts: { json?: boolean }) => {
      const r = await locationFor(location).check(location);
      if (opts.json) printJson(r);
      else {
        process.stdout.write(
          `${r.ok ? 'ok' : 'FAILED'}: ${r.location} version ${r.version}: ${r.documents} documents in the store, ${r.bm25Documents} in BM25 (${r.segments} segments)\n`,
        );
        for (const p of r.problems) process.stdout.write(`  problem: ${p}\n`);
        if (r.garbage.length > 0)
          process.stdout.write(`  garbage: ${r.garbage.length} part files no version names (\`shortlist optimize\` removes them)\n`);
      }
      if (!r.ok) process.exitCode = 1;
    });
}
