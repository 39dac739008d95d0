/**
 * Builds a segment and its document store from documents: analyses `title + ' ' + text` (one
 * field, as Anserini indexes BEIR), counts term frequencies per document, and groups postings
 * per term with one counting pass. A document whose id was already added replaces the earlier one.
 * Documents are numbered in id order (see `segment.ts`).
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Document } from '../../core/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { DocStore, MemoryLog, encodeDocument } from './doc-store.ts';
import { finishSegment, joinStrings, type Segment } from './segment.ts';

/** The text BM25 indexes for a document: title and text as one field. */
export function fieldText(doc: Document): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text;
}

/** A growable Uint32Array. */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length++] = v;
  }
  grow(size: number): void {
    const next = new Uint32Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** Accumulates documents, then produces a segment and a document store numbered alike. */
export class SegmentBuilder {
  private readonly vocab = new Map<string, number>();
  private readonly terms: string[] = [];
  private lastDoc = new Int32Array(1024).fill(-1);
  private slot = new Uint32Array(1024);
  private readonly entryTerm = new U32List();
  private readonly entryTf = new U32List();
  private readonly docEntryStart = new U32List();
  private readonly docLengths = new U32List();
  private readonly ids: string[] = [];
  private readonly live = new U32List();
  private readonly byId = new Map<string, number>();
  private readonly log = new MemoryLog();
  private readonly recordStart: number[] = [];
  private readonly recordLength = new U32List();
  private deleted = 0;

  constructor(private readonly analyzer: Analyzer) {}

  /** Number of live documents added so far. */
  get size(): number {
    return this.ids.length - this.deleted;
  }

  /** Whether a live document with this id was added. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds a document, replacing an earlier one with the same id. */
  add(doc: Document): void {
    if (typeof doc?.id !== 'string' || doc.id === '' || typeof doc.text !== 'string') {
      throw new ShortlistError(
        'INVALID_INPUT',
        `a document needs a non-empty string "id" and a string "text"; got ${JSON.stringify(doc)?.slice(0, 120)}`,
        { location: { field: typeof doc?.id === 'string' && doc.id ? 'text' : 'id' } },
      );
    }
    this.delete(doc.id);
    const d = this.ids.length;
    this.ids.push(doc.id);
    this.byId.set(doc.id, d);
    this.live.push(1);
    const tokens = this.analyzer.analyze(fieldText(doc));
    this.docEntryStart.push(this.entryTerm.length);
    this.docLengths.push(tokens.length);
    for (const token of tokens) {
      let t = this.vocab.get(token);
      if (t === undefined) {
        t = this.terms.length;
        this.vocab.set(token, t);
        this.terms.push(token);
        if (t === this.lastDoc.length) this.growTermArrays();
      }
      if (this.lastDoc[t] === d) {
        this.entryTf.data[this.slot[t]]++;
      } else {
        this.lastDoc[t] = d;
        this.slot[t] = this.entryTerm.length;
        this.entryTerm.push(t);
        this.entryTf.push(1);
      }
    }
    const { start, length } = this.log.append(encodeDocument(doc));
    this.recordStart.push(start);
    this.recordLength.push(length);
  }

  /** Removes the live document with this id; returns whether there was one. */
  delete(id: string): boolean {
    const d = this.byId.get(id);
    if (d === undefined) return false;
    this.byId.delete(id);
    this.live.data[d] = 0;
    this.deleted++;
    return true;
  }

  /** The segment and store of the live documents, numbered in id order. */
  finish(): { segment: Segment; store: DocStore } {
    const ids = this.ids;
    const docs: number[] = [];
    for (let d = 0; d < ids.length; d++) if (this.live.data[d]) docs.push(d);
    docs.sort((x, y) => (ids[x] < ids[y] ? -1 : 1));
    const docCount = docs.length;

    const terms = this.terms;
    const order = Array.from(terms.keys()).sort((x, y) => (terms[x] < terms[y] ? -1 : 1));
    const rank = new Uint32Array(terms.length);
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;

    const entryTerm = this.entryTerm.data;
    const entryTf = this.entryTf.data;
    const docStart = this.docEntryStart.data;
    const entriesEnd = (d: number): number => (d + 1 < ids.length ? docStart[d + 1] : this.entryTerm.length);
    const counts = new Uint32Array(terms.length + 1);
    let total = 0;
    for (const d of docs) {
      for (let e = docStart[d]; e < entriesEnd(d); e++) counts[rank[entryTerm[e]]]++;
      total += entriesEnd(d) - docStart[d];
    }
    // Terms that only deleted documents held are dropped; the others keep their sorted order.
    const kept: string[] = [];
    const postingOffsets = new Uint32Array(terms.length + 1);
    const cursor = new Uint32Array(terms.length);
    let at = 0;
    for (let r = 0; r < order.length; r++) {
      if (counts[r] === 0) continue;
      cursor[r] = at;
      postingOffsets[kept.length] = at;
      kept.push(terms[order[r]]);
      at += counts[r];
    }
    postingOffsets[kept.length] = at;
    const postingDocs = new Uint32Array(total);
    const postingTfs = new Uint32Array(total);
    const docLengths = new Uint32Array(docCount);
    const starts = new Float64Array(docCount);
    const lengths = new Uint32Array(docCount);
    for (let n = 0; n < docCount; n++) {
      const d = docs[n];
      for (let e = docStart[d]; e < entriesEnd(d); e++) {
        const p = cursor[rank[entryTerm[e]]]++;
        postingDocs[p] = n;
        postingTfs[p] = entryTf[e];
      }
      docLengths[n] = this.docLengths.data[d];
      starts[n] = this.recordStart[d];
      lengths[n] = this.recordLength.data[d];
    }
    const { text: termText, offsets: termOffsets } = joinStrings(kept);
    const { text: idText, offsets: idOffsets } = joinStrings(docs.map((d) => ids[d]));
    const segment = finishSegment({
      termText,
      termOffsets,
      postingOffsets: postingOffsets.slice(0, kept.length + 1),
      postingDocs,
      postingTfs,
      docLengths,
      idText,
      idOffsets,
    });
    return { segment, store: DocStore.fromLog(this.log, starts, lengths) };
  }

  private growTermArrays(): void {
    const n = this.lastDoc.length * 2;
    const lastDoc = new Int32Array(n).fill(-1);
    lastDoc.set(this.lastDoc);
    this.lastDoc = lastDoc;
    const slot = new Uint32Array(n);
    slot.set(this.slot);
    this.slot = slot;
  }
}
