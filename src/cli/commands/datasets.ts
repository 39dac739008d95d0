/**
 * `shortlist datasets ls` (the BEIR catalog and which collections are cached) and `shortlist
 * datasets get beir/<name>` (download with a byte progress bar, md5 check, unzip into the cache;
 * prints the folder to pass to `shortlist eval`). `--base-url` / `SHORTLIST_BEIR_URL` point at a
 * mirror; `SHORTLIST_DATASETS` moves the cache.
 */
import type { Command } from 'commander';
import { BEIR_DATASETS, beirBaseUrl, cachedDataset, datasetCacheDir, getBeirDataset, beirUrl } from '../../datasets/index.ts';
import { formatTable, printJson } from '../output.ts';
import { parseNumber } from '../parse.ts';
import { bytesProgress, formatBytes } from '../progress.ts';

interface GetFlags {
  baseUrl?: string;
  md5?: string;
  force?: boolean;
  retries: number;
  json?: boolean;
}

export function register(program: Command): void {
  const datasets = program.command('datasets').description('public evaluation datasets (BEIR): list them, fetch one into the cache');
  datasets
    .command('ls')
    .description('the BEIR collections shortlist can fetch, with their md5 and whether each is cached')
    .option('--json', 'print a JSON array')
    .action((opts: { json?: boolean }) => {
      const root = datasetCacheDir();
      const rows = Object.values(BEIR_DATASETS).map((d) => {
        const hit = cachedDataset(d.name, root);
        return {
          id: `beir/${d.name}`,
          queries: d.queries,
          corpus: d.corpus,
          splits: d.splits,
          md5: d.md5 ?? null,
          url: beirUrl(d.name, beirBaseUrl()),
          cached: hit?.path ?? null,
          ...(d.note ? { note: d.note } : {}),
        };
      });
      if (opts.json) return printJson(rows);
      const table = formatTable(
        ['dataset', 'queries', 'docs', 'md5 (BEIR README)', 'cached'],
        rows.map((r) => [r.id, r.queries.toLocaleString('en-US'), r.corpus, r.md5 ?? 'unknown (not verified)', r.cached ? 'yes' : '-']),
      );
      process.stdout.write(
        `${table}\n\ncache: ${root}/beir (SHORTLIST_DATASETS moves it)\nfetch one with: shortlist datasets get beir/<name>\n`,
      );
    });
  datasets
    .command('get')
    .description('download beir/<name> (progress, md5 check), unzip it into the cache and print its folder for `shortlist eval`')
    .argument('<dataset>', 'beir/<name>, e.g. beir/scifact (see `shortlist datasets ls`)')
    .option('--base-url <url>', 'fetch <url>/<name>.zip from this mirror instead (default: SHORTLIST_BEIR_URL, else the BEIR server)')
    .option('--md5 <hex>', 'the md5 the zip must have, overriding the catalog (a mirror serving another release)')
    .option('--force', 'download again even when cached')
    .option('--retries <n>', 'extra attempts after a truncated or failed transfer', parseNumber('--retries'), 2)
    .option('--json', 'print one JSON object (no progress bar)')
    .action(async (ref: string, opts: GetFlags) => {
      const bar = bytesProgress(ref, opts.json);
      try {
        const got = await getBeirDataset(ref, {
          baseUrl: opts.baseUrl,
          md5: opts.md5,
          force: opts.force,
          retries: Math.max(0, Math.floor(opts.retries)),
          onBytes: bar.update,
        });
        bar.stop();
        if (opts.json) return printJson(got);
        const how = got.cached
          ? 'already in the cache'
          : `${formatBytes(got.bytes)} from ${got.url}, md5 ${got.md5} ${got.verified ? 'verified' : '(no published checksum: not verified)'}`;
        process.stderr.write(`${got.id}: ${how}\n`);
        process.stdout.write(`${got.path}\n`);
      } finally {
        bar.stop();
      }
    });
}
