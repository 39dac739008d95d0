/**
 * The files of one index version: `manifest.json` (format, analyzer, statistics, file sizes) and
 * one raw binary file per typed array, read back without parsing. Opening checks the format
 * version and the analyzer id and refuses a mismatch with a message that says how to rebuild.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { DocStore } from './doc-store.ts';
import { finishSegment, type Segment } from './segment.ts';
import { readBytes, rebuildHint, writeArray, writeDurably } from './storage.ts';

/** Identifies the file format; `FORMAT_VERSION` changes whenever the files change. */
export const FORMAT = 'shortlist-bm25';
/** The version of the files written by this code. */
export const FORMAT_VERSION = 1;

/** What `manifest.json` records. */
export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  /** Id (with version) of the analyzer that produced the terms. */
  analyzer: string;
  byteOrder: 'LE' | 'BE';
  docCount: number;
  indexedDocCount: number;
  termCount: number;
  postingCount: number;
  sumTotalTermFreq: number;
  createdAt: string;
  /** Byte size of every data file, checked on open. */
  files: Record<string, number>;
}

const BYTE_ORDER: 'LE' | 'BE' = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';

/** Writes a segment, its store and the manifest into `folder` (all fsynced). */
export function writeIndexFiles(folder: string, seg: Segment, store: DocStore, analyzerId: string): Manifest {
  const files: Record<string, number> = {};
  const put = (name: string, data: ArrayBufferView | string): void => {
    const path = join(folder, name);
    if (typeof data === 'string') writeDurably(path, data);
    else writeArray(path, data);
    files[name] = statSync(path).size;
  };
  put('terms.txt', seg.termText);
  put('terms.off', seg.termOffsets);
  put('postings.off', seg.postingOffsets);
  put('postings.doc', seg.postingDocs);
  put('postings.tf', seg.postingTfs);
  put('docs.len', seg.docLengths);
  put('ids.txt', seg.idText);
  put('ids.off', seg.idOffsets);
  const offsets = store.writeTo(join(folder, 'docs.bin'));
  files['docs.bin'] = statSync(join(folder, 'docs.bin')).size;
  put('docs.off', offsets);
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    analyzer: analyzerId,
    byteOrder: BYTE_ORDER,
    docCount: seg.docCount,
    indexedDocCount: seg.indexedDocCount,
    termCount: seg.termCount,
    postingCount: seg.postingDocs.length,
    sumTotalTermFreq: seg.sumTotalTermFreq,
    createdAt: new Date().toISOString(),
    files,
  };
  writeDurably(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads and checks `manifest.json` of a version folder. */
export function readManifest(folder: string, dir: string): Manifest {
  const path = join(folder, 'manifest.json');
  if (!existsSync(path)) throw new ShortlistError('INDEX_CORRUPT', `${path} is missing; ${rebuildHint(dir)}`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (cause) {
    throw new ShortlistError('INDEX_CORRUPT', `${path} is not valid JSON; ${rebuildHint(dir)}`, { cause });
  }
  if (manifest.format !== FORMAT) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${dir} holds a "${String(manifest.format)}" index, not a BM25 index (${FORMAT}); ${rebuildHint(dir)}`,
    );
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${dir} was written in BM25 index format ${manifest.formatVersion}; this version of shortlist reads format ${FORMAT_VERSION}: ${rebuildHint(dir)}`,
    );
  }
  if (manifest.byteOrder !== BYTE_ORDER) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${dir} was written on a ${manifest.byteOrder} machine and this one is ${BYTE_ORDER}; ${rebuildHint(dir)}`,
    );
  }
  return manifest;
}

/** Reads the segment and opens the document store of a version folder. */
export function readIndexFiles(folder: string, manifest: Manifest, dir: string): { segment: Segment; store: DocStore } {
  for (const [name, size] of Object.entries(manifest.files)) {
    const path = join(folder, name);
    if (!existsSync(path) || statSync(path).size !== size) {
      throw new ShortlistError('INDEX_CORRUPT', `${path} is missing or has the wrong size (expected ${size} bytes); ${rebuildHint(dir)}`);
    }
  }
  const text = (name: string): string => Buffer.from(readBytes(join(folder, name))).toString('utf8');
  const u32 = (name: string): Uint32Array => new Uint32Array(readBytes(join(folder, name)));
  const segment = finishSegment({
    termText: text('terms.txt'),
    termOffsets: u32('terms.off'),
    postingOffsets: u32('postings.off'),
    postingDocs: u32('postings.doc'),
    postingTfs: u32('postings.tf'),
    docLengths: u32('docs.len'),
    idText: text('ids.txt'),
    idOffsets: u32('ids.off'),
  });
  if (segment.docCount !== manifest.docCount || segment.termCount !== manifest.termCount) {
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `${folder} holds ${segment.docCount} documents and ${segment.termCount} terms but its manifest says ${manifest.docCount} and ${manifest.termCount}; ${rebuildHint(dir)}`,
    );
  }
  const offsets = new Float64Array(readBytes(join(folder, 'docs.off')));
  const store = DocStore.fromFile(join(folder, 'docs.bin'), offsets);
  return { segment, store };
}
