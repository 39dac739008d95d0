/**
 * `shortlist analyze --analyzer <name> [file]`: the terms BM25 indexes for each input line (stdin
 * when no file), joined by one space, one output line per input line (an empty line when a line
 * has no terms) — to see why a document does or does not match a query.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { ANALYZER_NAMES, getAnalyzer } from '../../text/index.ts';

/** Registers the command on `program`. */
export function register(program: Command): void {
  program
    .command('analyze')
    .description('print the BM25 terms of each input line (stdin when no file): one output line per input line')
    .argument('[file]', 'UTF-8 text file, one text per line (default: stdin)')
    .option(
      '--analyzer <name>',
      `analyzer: a name, language code or versioned id (${ANALYZER_NAMES.join(', ')}; e.g. russian, ru, russian@1)`,
      'english',
    )
    .action(async (file: string | undefined, opts: { analyzer: string }) => {
      const analyzer = getAnalyzer(opts.analyzer);
      if (file !== undefined) {
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) throw new ShortlistError('NOT_FOUND', `analyze: no such file: ${file}`);
      }
      const input = file === undefined ? process.stdin : createReadStream(file, { encoding: 'utf8' });
      const lines = createInterface({ input, crlfDelay: Infinity });
      let out = '';
      for await (const line of lines) {
        out += `${analyzer.analyze(line).join(' ')}\n`;
        if (out.length >= 1 << 16) {
          if (!process.stdout.write(out)) await new Promise((resolve) => process.stdout.once('drain', resolve));
          out = '';
        }
      }
      process.stdout.write(out);
    });
}
