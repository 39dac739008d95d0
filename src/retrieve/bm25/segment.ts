/**
 * The in-memory form of a BM25 index: a sorted term dictionary, postings grouped per term (doc
 * numbers ascending, with raw term frequencies) and exact document lengths, all in typed arrays.
 * Documents are numbered 0..docCount-1 in id order (UTF-16 code units, as `compareHits`), so
 * equal scores are ordered by document number and the store is laid out in the same order. Everything a search needs
 * that is not stored (norm bytes, collection statistics, per-block maxima for pruning) is derived
 * once by {@link finishSegment}.
 */
import { ShortlistError } from '../../core/errors.ts';
import { encodeNorms } from './smallfloat.ts';

/** Postings per pruning block: each block records its largest tf and smallest norm. */
export const BLOCK_SIZE = 128;

/** The stored arrays of an index (what is written to disk). */
export interface SegmentData {
  /** All terms, sorted by UTF-16 code unit order, concatenated. */
  termText: string;
  /** Start of term t in `termText` (UTF-16 units); length termCount + 1. */
  termOffsets: Uint32Array;
  /** Postings of term t are `[postingOffsets[t], postingOffsets[t + 1])`; length termCount + 1. */
  postingOffsets: Uint32Array;
  /** Document number of each posting, ascending within a term. */
  postingDocs: Uint32Array;
  /** Term frequency of each posting. */
  postingTfs: Uint32Array;
  /** Exact analyzed length (number of terms) of each document. */
  docLengths: Uint32Array;
  /** All document ids, concatenated in document order. */
  idText: string;
  /** Start of document i's id in `idText` (UTF-16 units); length docCount + 1. */
  idOffsets: Uint32Array;
}

/** A segment ready to search: the stored arrays plus what is derived from them. */
export interface Segment extends SegmentData {
  /** Distinct terms. */
  termCount: number;
  /** Number of stored documents (including documents with no terms). */
  docCount: number;
  /** Lucene's `docCount`: documents with at least one term (BM25's N). */
  indexedDocCount: number;
  /** Lucene's `sumTotalTermFreq`: the sum of all document lengths. */
  sumTotalTermFreq: number;
  /** One-byte lossy length of each document (Lucene's norm). */
  norms: Uint8Array;
  /** First block of term t; length termCount + 1. */
  blockOffsets: Uint32Array;
  /** Largest tf in each block. */
  blockMaxTf: Uint32Array;
  /** Smallest norm byte in each block. */
  blockMinNorm: Uint8Array;
  /** Last document number in each block. */
  blockLastDoc: Uint32Array;
}

/** Derives norms, statistics and block maxima from stored arrays. */
export function finishSegment(data: SegmentData): Segment {
  const termCount = data.termOffsets.length - 1;
  const docCount = data.idOffsets.length - 1;
  if (data.postingOffsets.length !== termCount + 1 || data.docLengths.length !== docCount) {
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `BM25 index arrays disagree: ${termCount} terms, ${data.postingOffsets.length - 1} posting lists, ${docCount} ids, ${data.docLengths.length} lengths; rebuild the index`,
    );
  }
  let indexedDocCount = 0;
  let sumTotalTermFreq = 0;
  for (let d = 0; d < docCount; d++) {
    const len = data.docLengths[d];
    if (len > 0) indexedDocCount++;
    sumTotalTermFreq += len;
  }
  const norms = encodeNorms(data.docLengths);
  const { postingOffsets, postingDocs, postingTfs } = data;
  const blockOffsets = new Uint32Array(termCount + 1);
  let blocks = 0;
  for (let t = 0; t < termCount; t++) {
    blockOffsets[t] = blocks;
    blocks += Math.ceil((postingOffsets[t + 1] - postingOffsets[t]) / BLOCK_SIZE);
  }
  blockOffsets[termCount] = blocks;
  const blockMaxTf = new Uint32Array(blocks);
  const blockMinNorm = new Uint8Array(blocks);
  const blockLastDoc = new Uint32Array(blocks);
  for (let t = 0; t < termCount; t++) {
    const start = postingOffsets[t];
    const end = postingOffsets[t + 1];
    let block = blockOffsets[t];
    for (let p = start; p < end; p += BLOCK_SIZE, block++) {
      const stop = Math.min(end, p + BLOCK_SIZE);
      let maxTf = 0;
      let minNorm = 255;
      for (let q = p; q < stop; q++) {
        if (postingTfs[q] > maxTf) maxTf = postingTfs[q];
        const n = norms[postingDocs[q]];
        if (n < minNorm) minNorm = n;
      }
      blockMaxTf[block] = maxTf;
      blockMinNorm[block] = minNorm;
      blockLastDoc[block] = postingDocs[stop - 1];
    }
  }
  return { ...data, termCount, docCount, indexedDocCount, sumTotalTermFreq, norms, blockOffsets, blockMaxTf, blockMinNorm, blockLastDoc };
}

/** An empty segment. */
export function emptySegment(): Segment {
  return finishSegment({
    termText: '',
    termOffsets: new Uint32Array(1),
    postingOffsets: new Uint32Array(1),
    postingDocs: new Uint32Array(0),
    postingTfs: new Uint32Array(0),
    docLengths: new Uint32Array(0),
    idText: '',
    idOffsets: new Uint32Array(1),
  });
}

/** Term t's text. */
export function termAt(seg: SegmentData, t: number): string {
  return seg.termText.slice(seg.termOffsets[t], seg.termOffsets[t + 1]);
}

/** Document d's id. */
export function idAt(seg: SegmentData, d: number): string {
  return seg.idText.slice(seg.idOffsets[d], seg.idOffsets[d + 1]);
}

/** Dictionaries up to this many terms get a hash map (about 60 bytes a term) once they have answered {@link HASH_AFTER} lookups. */
const HASH_TERMS_MAX = 65536;
const HASH_AFTER = 256;

/**
 * Term lookups of one segment, shared by every view of it (see {@link termLookup}): a binary
 * search over the sorted terms; a segment searched often with a dictionary of at most 65,536
 * terms (the small segments of recent writes) answers from a hash map instead, so a search over
 * many segments pays little per extra segment.
 */
export class TermLookup {
  private map: Map<string, number> | null = null;
  private lookups = 0;
  constructor(private readonly seg: Segment) {}

  /** The number of `term` in the dictionary, or -1. */
  find(term: string): number {
    if (this.map) return this.map.get(term) ?? -1;
    if (++this.lookups >= HASH_AFTER && this.seg.termCount <= HASH_TERMS_MAX) {
      this.map = termMap(this.seg);
      return this.map.get(term) ?? -1;
    }
    return findTerm(this.seg, term);
  }
}

const lookups = new WeakMap<Segment, TermLookup>();

/** The term lookup of a segment (one per segment, whichever index version holds it). */
export function termLookup(seg: Segment): TermLookup {
  let l = lookups.get(seg);
  if (!l) lookups.set(seg, (l = new TermLookup(seg)));
  return l;
}

/** The number of `term` in the dictionary, or -1 (binary search over the sorted terms, compared in place). */
export function findTerm(seg: Segment, term: string): number {
  return search(seg.termText, seg.termOffsets, seg.termCount, term);
}

function termMap(seg: Segment): Map<string, number> {
  const map = new Map<string, number>();
  for (let t = 0; t < seg.termCount; t++) map.set(termAt(seg, t), t);
  return map;
}

/** The number of the document with this id, or -1 (binary search: documents are in id order). */
export function findDoc(seg: Segment, id: string): number {
  return search(seg.idText, seg.idOffsets, seg.docCount, id);
}

/** Document `da` of `a` against document `db` of `b` by id, in UTF-16 code unit order (as `<`): negative, 0 or positive. */
export function compareIds(a: SegmentData, da: number, b: SegmentData, db: number): number {
  const from = a.idOffsets[da];
  const n = a.idOffsets[da + 1] - from;
  const at = b.idOffsets[db];
  const m = b.idOffsets[db + 1] - at;
  const l = n < m ? n : m;
  for (let i = 0; i < l; i++) {
    const d = a.idText.charCodeAt(from + i) - b.idText.charCodeAt(at + i);
    if (d !== 0) return d;
  }
  return n - m;
}

/** Binary search for `key` among `count` sorted strings concatenated in `text`, compared in place. */
function search(text: string, offsets: Uint32Array, count: number, key: string): number {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareAt(text, offsets[mid], offsets[mid + 1], key);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** `text.slice(from, to)` compared with `key` in UTF-16 code unit order (as `<`), without slicing. */
function compareAt(text: string, from: number, to: number, key: string): number {
  const n = to - from;
  const m = key.length;
  const l = n < m ? n : m;
  for (let i = 0; i < l; i++) {
    const d = text.charCodeAt(from + i) - key.charCodeAt(i);
    if (d !== 0) return d;
  }
  return n - m;
}

/**
 * Merges two segments into one, dropping the documents whose `live` flag is 0. Documents are
 * renumbered in id order (both inputs already are), so the result equals a fresh build over the
 * kept documents; postings are merged per term without re-analysing anything. Returns the merged
 * segment and where each input document went (−1: dropped), for merging the document stores.
 */
export function mergeSegments(
  a: Segment,
  liveA: Uint8Array | null,
  b: Segment | null,
  liveB: Uint8Array | null,
): { segment: Segment; mapA: Int32Array; mapB: Int32Array } {
  const other = b ?? emptySegment();
  const { mapA, mapB, count: docCount } = interleaveById(a, liveA, other, liveB);
  const docLengths = new Uint32Array(docCount);
  const ids: string[] = new Array(docCount);
  copyDocs(a, mapA, docLengths, ids);
  copyDocs(other, mapB, docLengths, ids);
  const { text: idText, offsets: idOffsets } = joinStrings(ids);

  // Pair up the two sorted dictionaries.
  const terms: string[] = [];
  const fromA: number[] = [];
  const fromB: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.termCount || j < other.termCount) {
    const ta = i < a.termCount ? termAt(a, i) : null;
    const tb = j < other.termCount ? termAt(other, j) : null;
    if (tb === null || (ta !== null && ta < tb)) {
      terms.push(ta!);
      fromA.push(i++);
      fromB.push(-1);
    } else if (ta === null || tb < ta) {
      terms.push(tb);
      fromA.push(-1);
      fromB.push(j++);
    } else {
      terms.push(ta);
      fromA.push(i++);
      fromB.push(j++);
    }
  }
  let total = 0;
  const counts = new Float64Array(terms.length);
  for (let t = 0; t < terms.length; t++) {
    counts[t] = (fromA[t] >= 0 ? countLive(a, fromA[t], mapA) : 0) + (fromB[t] >= 0 ? countLive(other, fromB[t], mapB) : 0);
    total += counts[t];
  }
  if (total > 0xffffffff)
    throw new ShortlistError(
      'INVALID_INPUT',
      `the BM25 index would hold ${total} postings, more than the 2^32 one index supports; split the corpus`,
    );
  const postingOffsets: number[] = [];
  const postingDocs = new Uint32Array(total);
  const postingTfs = new Uint32Array(total);
  const keptTerms: string[] = [];
  let out = 0;
  for (let t = 0; t < terms.length; t++) {
    if (counts[t] === 0) continue; // every document holding this term was deleted
    postingOffsets.push(out);
    keptTerms.push(terms[t]);
    out = mergePostings(a, fromA[t], mapA, other, fromB[t], mapB, postingDocs, postingTfs, out);
  }
  postingOffsets.push(out);
  const { text: termText, offsets: termOffsets } = joinStrings(keptTerms);
  const segment = finishSegment({
    termText,
    termOffsets,
    postingOffsets: Uint32Array.from(postingOffsets),
    postingDocs,
    postingTfs,
    docLengths,
    idText,
    idOffsets,
  });
  return { segment, mapA, mapB };
}

/** Concatenates strings and records where each starts (UTF-16 units). */
export function joinStrings(strings: string[]): { text: string; offsets: Uint32Array } {
  const offsets = new Uint32Array(strings.length + 1);
  let pos = 0;
  for (let i = 0; i < strings.length; i++) {
    offsets[i] = pos;
    pos += strings[i].length;
  }
  offsets[strings.length] = pos;
  return { text: strings.join(''), offsets };
}

/** Numbers the live documents of a and b in id order (each input is already in id order). */
function interleaveById(
  a: Segment,
  liveA: Uint8Array | null,
  b: Segment,
  liveB: Uint8Array | null,
): { mapA: Int32Array; mapB: Int32Array; count: number } {
  const mapA = new Int32Array(a.docCount).fill(-1);
  const mapB = new Int32Array(b.docCount).fill(-1);
  let i = 0;
  let j = 0;
  let next = 0;
  for (;;) {
    while (i < a.docCount && liveA && !liveA[i]) i++;
    while (j < b.docCount && liveB && !liveB[j]) j++;
    if (i >= a.docCount && j >= b.docCount) break;
    if (j >= b.docCount) mapA[i++] = next++;
    else if (i >= a.docCount) mapB[j++] = next++;
    else {
      const ia = idAt(a, i);
      const ib = idAt(b, j);
      if (ia === ib) throw new ShortlistError('INTERNAL', `document id "${ia}" is live in both merged segments`);
      if (ia < ib) mapA[i++] = next++;
      else mapB[j++] = next++;
    }
  }
  return { mapA, mapB, count: next };
}

function copyDocs(seg: Segment, map: Int32Array, lengths: Uint32Array, ids: string[]): void {
  for (let d = 0; d < seg.docCount; d++) {
    const to = map[d];
    if (to < 0) continue;
    lengths[to] = seg.docLengths[d];
    ids[to] = idAt(seg, d);
  }
}

function countLive(seg: Segment, t: number, map: Int32Array): number {
  let n = 0;
  for (let p = seg.postingOffsets[t]; p < seg.postingOffsets[t + 1]; p++) if (map[seg.postingDocs[p]] >= 0) n++;
  return n;
}

/** Writes term ta of a and term tb of b (−1: absent), remapped and merged by document number. */
function mergePostings(
  a: Segment,
  ta: number,
  mapA: Int32Array,
  b: Segment,
  tb: number,
  mapB: Int32Array,
  docs: Uint32Array,
  tfs: Uint32Array,
  out: number,
): number {
  let p = ta >= 0 ? a.postingOffsets[ta] : 0;
  const pEnd = ta >= 0 ? a.postingOffsets[ta + 1] : 0;
  let q = tb >= 0 ? b.postingOffsets[tb] : 0;
  const qEnd = tb >= 0 ? b.postingOffsets[tb + 1] : 0;
  let da = -1;
  let db = -1;
  for (;;) {
    while (da < 0 && p < pEnd) da = mapA[a.postingDocs[p++]];
    while (db < 0 && q < qEnd) db = mapB[b.postingDocs[q++]];
    if (da < 0 && db < 0) return out;
    if (db < 0 || (da >= 0 && da < db)) {
      docs[out] = da;
      tfs[out++] = a.postingTfs[p - 1];
      da = -1;
    } else {
      docs[out] = db;
      tfs[out++] = b.postingTfs[q - 1];
      db = -1;
    }
  }
}
