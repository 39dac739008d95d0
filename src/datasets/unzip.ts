/**
 * Extract a zip file into a folder with fflate's streaming `Unzip` (the archive is read in chunks,
 * so a 1 GB zip never sits in memory). Entries that would land outside the folder (absolute paths,
 * `..`) are refused, and an archive that ends before every entry is complete is an error.
 */
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { ShortlistError } from '../core/errors.ts';

/** What {@link extractZip} wrote. */
export interface ExtractResult {
  /** Regular files written, as their paths inside the archive. */
  files: string[];
  /** Bytes written. */
  bytes: number;
}

/** Extracts every entry of the zip at `zipPath` under `dest` (created); throws INVALID_INPUT for a damaged or unsafe archive. */
export async function extractZip(zipPath: string, dest: string): Promise<ExtractResult> {
  mkdirSync(dest, { recursive: true });
  const files: string[] = [];
  const open = new Map<string, number>();
  let bytes = 0;
  let failure: Error | undefined;
  const unzip = new Unzip((file) => {
    if (failure) return;
    const rel = safeEntry(file.name, zipPath);
    if (rel.endsWith(sep) || file.name.endsWith('/')) {
      mkdirSync(join(dest, rel), { recursive: true });
      return;
    }
    const target = join(dest, rel);
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    open.set(file.name, fd);
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = err;
        return;
      }
      writeSync(fd, data);
      bytes += data.byteLength;
      if (final) {
        closeSync(fd);
        open.delete(file.name);
        files.push(file.name);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for await (const chunk of createReadStream(zipPath, { highWaterMark: 1 << 20 })) {
      unzip.push(chunk as Uint8Array);
      if (failure) break;
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (err) {
    failure = err as Error;
  } finally {
    for (const fd of open.values()) closeSync(fd);
  }
  if (failure instanceof ShortlistError) throw failure;
  if (failure || open.size > 0) {
    const what = failure ? failure.message : `${[...open.keys()].join(', ')} ended early`;
    throw new ShortlistError('INVALID_INPUT', `${zipPath} is not a complete zip archive (${what}); delete it and download again`, {
      cause: failure,
    });
  }
  if (files.length === 0) throw new ShortlistError('INVALID_INPUT', `${zipPath} holds no files; is it a zip archive?`);
  return { files, bytes };
}

/** The entry's path made relative and checked to stay inside the destination. */
function safeEntry(name: string, zipPath: string): string {
  const rel = normalize(name.replace(/\\/g, '/'));
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || /^[A-Za-z]:/.test(name)) {
    throw new ShortlistError(
      'INVALID_INPUT',
      `${zipPath} has an entry outside its folder (${JSON.stringify(name)}); refusing to extract it`,
    );
  }
  return rel;
}
