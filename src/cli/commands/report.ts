/**
 * `shortlist report <inputs…> -o report.html`: one self-contained HTML page from the JSON of
 * `sweep --json`, `eval --pipeline --json`, `compare --json` and `calibrate --json` / `--out`
 * (each file's kind detected). The report library (and ECharts) loads only when this command runs.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';

interface ReportFlags {
  out: string;
  title?: string;
}

/** Registers `report` on the program. */
export function register(program: Command): void {
  program
    .command('report')
    .description(
      'build one self-contained HTML report (tables and SVG charts, no network) from sweep / eval --pipeline / compare / calibrate JSON outputs',
    )
    .argument(
      '<inputs...>',
      'JSON files written by `sweep --json`, `eval --pipeline … --json`, `compare --json`, `calibrate --json` or `calibrate --out`',
    )
    .requiredOption('-o, --out <file>', 'the HTML file to write')
    .option('--title <text>', 'page title', 'shortlist report')
    .action(async (files: string[], opts: ReportFlags) => {
      const { buildReport, readInput } = await import('../../report/index.ts');
      const inputs = files.map(readInput);
      const html = buildReport(inputs, { title: opts.title });
      writeFileSync(opts.out, html);
      const kinds = inputs.map((i) => i.kind).join(', ');
      process.stdout.write(`report written to ${opts.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB; ${kinds})\n`);
    });
}
