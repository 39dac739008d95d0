/**
 * Streaming line and JSONL readers for input files of any size.
 *
 * Pipeline: 1. check the file exists (NOT_FOUND otherwise) 2. sniff the gzip magic bytes and
 * gunzip on the fly 3. decode UTF-8 across chunk borders, drop a leading BOM 4. split on `\n`,
 * drop a trailing `\r` 5. (JSONL) skip blank lines, parse each line, and on bad JSON throw
 * INVALID_INPUT naming `file:line` and the parser's message.
 *
 * Memory stays bounded by one read chunk (64 KiB) plus the longest line.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ShortlistError } from './errors.ts';

/** A batch of consecutive lines; `firstLine` is the 1-based line number of `lines[0]`. */
export interface LineBatch {
  lines: string[];
  firstLine: number;
}

/** One line of a text file with its 1-based line number. */
export interface NumberedLine {
  text: string;
  line: number;
}

/** One parsed JSONL record with the 1-based line it came from. */
export interface JsonlRecord {
  value: unknown;
  line: number;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when the file starts with the gzip magic bytes (whatever its extension). */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** Throws NOT_FOUND (naming the file) unless `file` exists and is a regular file. */
export async function assertFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new ShortlistError('NOT_FOUND', `file not found: ${file}; check the path`);
  if (!info.isFile()) throw new ShortlistError('INVALID_ARGUMENT', `${file} is a directory, expected a file`);
}

async function openText(file: string): Promise<Readable> {
  await assertFile(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  if (!(await isGzipFile(file))) return raw.setEncoding('utf8');
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  return gunzip.setEncoding('utf8');
}

/**
 * The lines of a text file (plain or gzip-compressed), in batches of whatever one read chunk
 * holds: the fast path for parsers of large files (a TREC run of 300,000 lines). Every line is
 * included, blank ones too, so line numbers stay exact.
 */
export async function* readLineBatches(file: string): AsyncGenerator<LineBatch> {
  const input = await openText(file);
  let rest = '';
  let lineNo = 1;
  let first = true;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      let text = rest + chunk;
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      if (parts.length === 0) continue;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        if (p.charCodeAt(p.length - 1) === 13) parts[i] = p.slice(0, -1);
      }
      yield { lines: parts, firstLine: lineNo };
      lineNo += parts.length;
    }
  } catch (err) {
    if (err instanceof ShortlistError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
      throw new ShortlistError('INVALID_INPUT', `${file}: damaged gzip data (${(err as Error).message}); re-download or decompress it`, {
        cause: err,
      });
    }
    throw new ShortlistError('INVALID_INPUT', `${file}: cannot read (${(err as Error).message})`, { cause: err });
  } finally {
    input.destroy();
  }
  if (rest.charCodeAt(rest.length - 1) === 13) rest = rest.slice(0, -1);
  if (rest.length > 0) yield { lines: [rest], firstLine: lineNo };
}

/** Every line of a text file (plain or gzip-compressed) with its 1-based line number. */
export async function* readLines(file: string): AsyncGenerator<NumberedLine> {
  for await (const batch of readLineBatches(file)) {
    for (let i = 0; i < batch.lines.length; i++) yield { text: batch.lines[i], line: batch.firstLine + i };
  }
}

/** True when a line holds only whitespace. */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * The records of a JSONL file (plain or gzip-compressed), parsed, with their line numbers.
 * Blank lines are skipped; a line that is not valid JSON throws INVALID_INPUT at `file:line`.
 */
export async function* readJsonl(file: string): AsyncGenerator<JsonlRecord> {
  for await (const batch of readLineBatches(file)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i];
      if (isBlank(text)) continue;
      const line = batch.firstLine + i;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new ShortlistError('INVALID_INPUT', `not valid JSON (${(err as Error).message}); each line must hold one JSON object`, {
          cause: err,
          location: { file, line },
        });
      }
      yield { value, line };
    }
  }
}

/**
 * Counts the lines of a file (for a progress bar's total) by scanning for newline bytes; a
 * gzip-compressed file is not decompressed and counts as 0 (unknown).
 */
export async function countLines(file: string): Promise<number> {
  if (await isGzipFile(file)) return 0;
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
  }
  return last === 10 ? lines : lines + 1;
}
