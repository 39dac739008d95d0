/** `shortlist add <dir> <folder|jsonl|beir>`: add or update documents; unchanged ones are skipped. */
import type { Command } from 'commander';
import { Collection } from '../../engine/collection.ts';
import { createProgress, type Progress } from '../progress.ts';
import { formatMs, printJson } from '../output.ts';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('add')
    .description('add documents to a collection from a folder of .md/.txt files, a JSONL file or a BEIR folder')
    .argument('<dir>', 'collection: a directory, postgres://…?schema= URL or s3://bucket/prefix (from `shortlist init`)')
    .argument('<source>', 'folder of .md/.txt files, .jsonl file (id, text, title?, metadata?) or BEIR folder')
    .option('--json', 'print the counts as JSON (no progress bar)')
    .action(async (dir: string, source: string, opts: { json?: boolean }) => {
      const c = await Collection.open(dir);
      try {
        let progress: Progress | undefined; // started at the first report, when the total is known
        const t0 = performance.now();
        const r = await c.add(source, {
          onProgress: (done, total) =>
            (progress ??= createProgress('adding', { unit: 'docs', quiet: opts.json, total })).update(done, total),
        });
        progress?.stop();
        const ms = performance.now() - t0;
        const hasDense = c.pipeline.retrievers.some((x) => x.type === 'dense');
        if (opts.json) return printJson({ ...r, ms: Math.round(ms) });
        process.stdout.write(
          `${r.documents} documents read (${r.source}): ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged; ` +
            `${hasDense ? `${r.embedded} chunks embedded` : 'BM25 only, nothing embedded'}; version ${r.version} in ${formatMs(ms)}\n`,
        );
      } finally {
        await c.close();
      }
    });
}
