/**
 * Markdown and text files as documents: a folder is walked for `.md`, `.markdown` and `.txt`
 * files (sorted, hidden entries skipped); each file becomes one document whose id is its path
 * relative to the folder (with `/`), whose title is its first Markdown heading, and whose text is
 * the file decoded as strict UTF-8. The store chunks the text. Non-UTF-8 and empty files are
 * INVALID_INPUT errors naming the file, raised before anything is written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { ShortlistError } from '../core/errors.ts';
import type { Document } from '../core/types.ts';

/** File extensions read as documents. */
export const TEXT_EXTENSIONS = Object.freeze(['.md', '.markdown', '.txt'] as const);

/** The text files under `folder`, sorted by relative path. */
export function listTextFiles(folder: string): string[] {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ShortlistError('NOT_FOUND', `${folder} is not a folder; give a folder of .md or .txt files`);
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && (TEXT_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase())) out.push(path);
    }
  };
  walk(folder);
  return out;
}

/** One file as a document (see the module comment); `root` decides the id. */
export function documentFromFile(path: string, root: string): Document {
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (err) {
    throw new ShortlistError(
      'INVALID_INPUT',
      `is not UTF-8 text (byte ${firstBadByte(bytes)}); convert it to UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`) or remove it`,
      { cause: err, location: { file: path } },
    );
  }
  if (text.trim() === '')
    throw new ShortlistError('INVALID_INPUT', 'is empty; there is nothing to index, remove it or add text', { location: { file: path } });
  const id = relative(root, path).split(sep).join('/');
  const heading = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text);
  const doc: Document = { id, text, metadata: { path: id, ext: extname(path).slice(1).toLowerCase() } };
  if (heading && extname(path).toLowerCase() !== '.txt') doc.title = heading[1];
  return doc;
}

/** All text files under `folder` as documents; every file is checked before any is returned. */
export function documentsFromFolder(folder: string): Document[] {
  const files = listTextFiles(folder);
  if (files.length === 0) throw new ShortlistError('EMPTY_INPUT', `${folder} holds no ${TEXT_EXTENSIONS.join(', ')} files`);
  return files.map((f) => documentFromFile(f, folder));
}

/** Offset where the first invalid UTF-8 sequence starts. */
function firstBadByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // `lo` bytes decode (an incomplete sequence at the end is allowed): step back to its lead byte
  let j = lo;
  while (j > 0 && j > lo - 3 && (bytes[j - 1] & 0xc0) === 0x80) j--;
  return j > 0 && bytes[j - 1] >= 0xc0 ? j - 1 : lo;
}
