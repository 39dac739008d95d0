/** `shortlist embed`: embed texts from stdin (one per line) with a bi-encoder. */
import { text as readAll } from 'node:stream/consumers';
import { Option, type Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { BiEncoder, type EmbedKind } from '../../models/encoders/bi-encoder.ts';
import { formatTable } from '../output.ts';
import { addModelFlags, encoderOptions, positiveInt, type ModelFlags } from './model-flags.ts';
import { addRemoteFlags, remoteOptions, type RemoteFlags } from './remote-flags.ts';
import { createRemoteEmbedder } from '../../models/remote/index.ts';

interface EmbedFlags extends ModelFlags, RemoteFlags {
  kind: EmbedKind;
  json?: boolean;
  dims?: number;
}

/** Register `embed` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('embed')
    .description('embed texts read from stdin, one per line, with a bi-encoder')
    .addOption(
      new Option('--kind <kind>', 'embed as queries or as documents (picks the prefix)').choices(['query', 'document']).default('document'),
    )
    .option('--json', 'print one JSON array of floats per line, in input order')
    .option('--dims <n>', 'Matryoshka truncation to the first n dimensions, renormalised', positiveInt('--dims'));
  addRemoteFlags(addModelFlags(cmd, 'bi-encoder'), 'embed').action(async (flags: EmbedFlags) => {
    const texts = parseLines(await readAll(process.stdin));
    const encoder = flags.provider
      ? createRemoteEmbedder({ provider: flags.provider, ...remoteOptions(flags) })
      : await BiEncoder.create(encoderOptions(flags));
    try {
      const vectors = await encoder.embed(texts, flags.kind, { dims: flags.dims });
      if (flags.json) {
        process.stdout.write(vectors.map((v) => JSON.stringify(Array.from(v))).join('\n') + '\n');
        return;
      }
      const rows = vectors.map((v, i) => [
        i + 1,
        v.length,
        Array.from(v.slice(0, 4), (x) => x.toFixed(4)).join(' ') + (v.length > 4 ? ' ...' : ''),
      ]);
      process.stdout.write(formatTable(['line', 'dims', 'vector'], rows) + '\n');
    } finally {
      await encoder.dispose();
    }
  });
}

/** One text per line; a final newline ends the last line; a blank line is an error naming it. */
export function parseLines(input: string): string[] {
  const lines = input.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      throw new ShortlistError('INVALID_INPUT', 'blank line: every line of the input is one text to embed', {
        location: { file: 'stdin', line: i + 1 },
      });
    }
  });
  if (lines.length === 0) throw new ShortlistError('EMPTY_INPUT', 'no texts on stdin: give one text per line');
  return lines;
}
