/**
 * Bytes in, bytes out: one BM25 segment as two blobs, and a live-docs bitmap as a third.
 *
 * - `<name>.seg`: `SLBM25S1`, a u32 header length, a JSON header (format, analyzer, counts, byte
 *   order, where each array starts), then the segment's typed arrays (terms, postings, lengths,
 *   ids, record offsets), each 8-byte aligned, read back as views without parsing.
 * - `<name>.docs`: the documents' JSON records, back to back (record offsets are in `.seg`).
 * - `<name>.del-<gen>`: `SLBM25D1`, a u32 document count, then one bit per document (1 = deleted).
 *
 * The blobs never change once written; a delete writes a new live-docs generation.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { DocStore } from './doc-store.ts';
import { finishSegment, type Segment } from './segment.ts';

const SEG_MAGIC = 'SLBM25S1';
const DEL_MAGIC = 'SLBM25D1';
const BYTE_ORDER: 'LE' | 'BE' = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';

/** The JSON header of a `.seg` blob. */
export interface SegmentHeader {
  format: 'shortlist-bm25-segment';
  formatVersion: 1;
  analyzer: string;
  byteOrder: 'LE' | 'BE';
  docCount: number;
  termCount: number;
  /** Byte size of the `.docs` blob. */
  docsBytes: number;
  /** name → [byte offset, byte length] inside the blob. */
  arrays: Record<string, [number, number]>;
}

const ARRAYS = [
  'termText',
  'termOffsets',
  'postingOffsets',
  'postingDocs',
  'postingTfs',
  'docLengths',
  'idText',
  'idOffsets',
  'docOffsets',
] as const;

/** Encodes a segment and its document records. */
export function encodeSegment(
  seg: Segment,
  store: DocStore,
  analyzer: string,
): { seg: Uint8Array; docs: Uint8Array; docOffsets: Float64Array } {
  const { bytes: docs, offsets: docOffsets } = store.toBytes();
  const views: Record<(typeof ARRAYS)[number], Uint8Array> = {
    termText: Buffer.from(seg.termText, 'utf8'),
    termOffsets: asBytes(seg.termOffsets),
    postingOffsets: asBytes(seg.postingOffsets),
    postingDocs: asBytes(seg.postingDocs),
    postingTfs: asBytes(seg.postingTfs),
    docLengths: asBytes(seg.docLengths),
    idText: Buffer.from(seg.idText, 'utf8'),
    idOffsets: asBytes(seg.idOffsets),
    docOffsets: asBytes(docOffsets),
  };
  const arrays: Record<string, [number, number]> = {};
  let pos = 0;
  for (const name of ARRAYS) {
    arrays[name] = [pos, views[name].length];
    pos = align8(pos + views[name].length);
  }
  const header: SegmentHeader = {
    format: 'shortlist-bm25-segment',
    formatVersion: 1,
    analyzer,
    byteOrder: BYTE_ORDER,
    docCount: seg.docCount,
    termCount: seg.termCount,
    docsBytes: docs.length,
    arrays,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align8(12 + headerBytes.length);
  const out = new Uint8Array(start + pos);
  out.set(Buffer.from(SEG_MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  for (const name of ARRAYS) out.set(views[name], start + arrays[name][0]);
  return { seg: out, docs, docOffsets };
}

/** Decodes a `.seg` blob; `docs` gives the records (bytes, or a store reading a local file). */
export function decodeSegment(
  bytes: Uint8Array,
  docs: (offsets: Float64Array, header: SegmentHeader) => DocStore,
  where: string,
): { segment: Segment; store: DocStore; header: SegmentHeader } {
  const header = readHeader(bytes, where);
  const start = align8(12 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true));
  // A fresh aligned copy: typed-array views need 4/8-byte alignment.
  const body = new Uint8Array(bytes.length - start);
  body.set(bytes.subarray(start));
  const part = (name: string): Uint8Array => {
    const r = header.arrays[name];
    if (!r || r[0] + r[1] > body.length) throw corrupt(where, `array ${name} is missing or out of range`);
    return body.subarray(r[0], r[0] + r[1]);
  };
  const u32 = (name: string): Uint32Array => {
    const b = part(name);
    return new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
  };
  const text = (name: string): string => Buffer.from(part(name)).toString('utf8');
  const segment = finishSegment({
    termText: text('termText'),
    termOffsets: u32('termOffsets'),
    postingOffsets: u32('postingOffsets'),
    postingDocs: u32('postingDocs'),
    postingTfs: u32('postingTfs'),
    docLengths: u32('docLengths'),
    idText: text('idText'),
    idOffsets: u32('idOffsets'),
  });
  if (segment.docCount !== header.docCount || segment.termCount !== header.termCount)
    throw corrupt(
      where,
      `it holds ${segment.docCount} documents and ${segment.termCount} terms, its header says ${header.docCount} and ${header.termCount}`,
    );
  const off = part('docOffsets');
  const offsets = new Float64Array(off.buffer, off.byteOffset, off.length / 8);
  if (offsets.length !== segment.docCount + 1 || offsets[segment.docCount] !== header.docsBytes)
    throw corrupt(where, 'its record offsets do not match its documents');
  return { segment, store: docs(offsets, header), header };
}

function readHeader(bytes: Uint8Array, where: string): SegmentHeader {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== SEG_MAGIC)
    throw corrupt(where, 'it is not a BM25 segment');
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  let header: SegmentHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + len)).toString('utf8')) as SegmentHeader;
  } catch (cause) {
    throw corrupt(where, `its header is not JSON (${(cause as Error).message})`);
  }
  if (header.format !== 'shortlist-bm25-segment' || header.formatVersion !== 1)
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${where} is BM25 segment format ${String(header.formatVersion)}; this shortlist reads format 1: rebuild the collection`,
    );
  if (header.byteOrder !== BYTE_ORDER)
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${where} was written on a ${header.byteOrder} machine and this one is ${BYTE_ORDER}; rebuild the collection`,
    );
  return header;
}

/** Encodes a deleted-documents bitmap (`deleted[d]` = 1 when document d is deleted). */
export function encodeLiveDocs(deleted: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + Math.ceil(deleted.length / 8));
  out.set(Buffer.from(DEL_MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, deleted.length, true);
  for (let d = 0; d < deleted.length; d++) if (deleted[d]) out[12 + (d >> 3)] |= 1 << (d & 7);
  return out;
}

/** Decodes a deleted-documents bitmap for a segment of `docCount` documents. */
export function decodeLiveDocs(bytes: Uint8Array, docCount: number, where: string): Uint8Array {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== DEL_MAGIC)
    throw corrupt(where, 'it is not a BM25 live-docs file');
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (n !== docCount || bytes.length !== 12 + Math.ceil(n / 8))
    throw corrupt(where, `it covers ${n} documents, its segment holds ${docCount}`);
  const deleted = new Uint8Array(n);
  for (let d = 0; d < n; d++) deleted[d] = (bytes[12 + (d >> 3)] >> (d & 7)) & 1;
  return deleted;
}

function asBytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function corrupt(where: string, why: string): ShortlistError {
  return new ShortlistError('INDEX_CORRUPT', `${where} is damaged: ${why}; run \`shortlist check\` and rebuild the collection if it fails`);
}
