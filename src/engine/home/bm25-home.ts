/**
 * What every collection home does with the BM25 index of the version it reads, whatever the
 * location: searches and document reads go to the current index; a write or a refresh that moves
 * to a new version swaps in the new index, and the replaced one is closed once no running search
 * still reads it. A home extends this and adds its store, its writes and its commit.
 */
import type { Document, Retriever } from '../../core/types.ts';
import type { Bm25RetrieverConfig } from '../../pipeline/config.ts';
import type { Bm25Index, SegmentCache, SegmentStore } from '../../retrieve/bm25/index.ts';
import type { Filter } from '../../store/filter.ts';
import type { ManifestParts, PartsHook } from '../../store/parts.ts';
import type { UpsertResult } from '../../store/types.ts';
import { allIndexed, bm25Retriever, storedDocuments } from '../retrievers.ts';
import { applyToBm25, bm25Meta, bm25Parts, openBm25, type LegacyBm25 } from './bm25-part.ts';
import type { LexicalStats } from './types.ts';

/** The BM25 side of a collection home (see the module comment). */
export abstract class Bm25Home {
  #bm25: Bm25Index;
  /** Searches running now; a replaced BM25 index is closed once none is (they may still read it). */
  #searching = 0;
  readonly #retired: Bm25Index[] = [];

  protected constructor(bm25: Bm25Index) {
    this.#bm25 = bm25;
  }

  /** The index of the version this handle reads. */
  protected get bm25(): Bm25Index {
    return this.#bm25;
  }

  bm25Retriever(cfg: Bm25RetrieverConfig, filter?: Filter): Retriever {
    return bm25Retriever(this.#bm25, cfg, filter);
  }

  /** The stored documents with these ids (those the version holds). */
  async documents(ids: readonly string[]): Promise<Map<string, Document>> {
    return storedDocuments(this.#bm25, ids);
  }

  documentNow(id: string): Document | undefined {
    return this.#bm25.document(id);
  }

  allDocuments(): Document[] {
    return allIndexed(this.#bm25);
  }

  lexicalStats(): LexicalStats {
    const s = this.#bm25.stats;
    return { documents: s.docCount, terms: s.termCount, tokens: s.sumTotalTermFreq };
  }

  /** Runs a search: an index replaced meanwhile stays open until it (and every other running search) is done. */
  async reading<T>(fn: () => Promise<T>): Promise<T> {
    this.#searching++;
    try {
      return await fn();
    } finally {
      if (--this.#searching === 0) this.#closeRetired();
    }
  }

  /**
   * Runs a store write whose parts hook applies the change to the BM25 index of the version the
   * write builds on (`base`) and writes the new segments into `segments`; the new index becomes
   * the one searches read once the store committed the version naming it. `legacy`: how a base
   * written before segments gets its index.
   */
  protected async writeWithBm25(
    write: (parts: PartsHook) => Promise<UpsertResult>,
    segments: SegmentStore,
    cache: SegmentCache,
    legacy: (base: Readonly<ManifestParts>) => LegacyBm25,
  ): Promise<UpsertResult> {
    let next: Bm25Index | undefined;
    const result = await write(async (base, change) => {
      const applied = await applyToBm25(base, change, segments, cache, legacy(base));
      next = applied.index;
      return applied.parts;
    });
    if (next) this.swapBm25(next);
    return result;
  }

  /**
   * Commits a version whose BM25 is the base version's merged into one segment (the first step
   * of `optimize`), through `store`'s parts commit; searches then read the merged index. Returns
   * the version, the segment count before, and the parts committed (undefined: nothing was).
   */
  protected async mergeBm25(
    store: { parts(): ManifestParts; commitParts(hook: PartsHook): Promise<UpsertResult> },
    segments: SegmentStore,
    cache: SegmentCache,
    legacy?: LegacyBm25,
  ): Promise<{ version: number; segmentsBefore: number; merged: ManifestParts | undefined }> {
    const segmentsBefore = bm25Meta(store.parts())?.segments.length ?? 0;
    let next: Bm25Index | undefined;
    let merged: ManifestParts | undefined;
    const { version } = await store.commitParts(async (base) => {
      next = (await openBm25(base, segments, cache, legacy)).fork();
      return (merged = await bm25Parts(base, next, segments, cache, { forceMerge: true }));
    });
    if (next) this.swapBm25(next);
    return { version, segmentsBefore, merged };
  }

  /** Makes `fresh` the index searches read; the old one is closed when no search still reads it. */
  protected swapBm25(fresh: Bm25Index): void {
    this.#retired.push(this.#bm25);
    this.#bm25 = fresh;
    if (this.#searching === 0) this.#closeRetired();
  }

  /** Closes the current index and every replaced one (the handle is being closed). */
  protected closeBm25(): void {
    this.#bm25.close();
    this.#closeRetired();
  }

  #closeRetired(): void {
    for (const old of this.#retired.splice(0)) old.close();
  }
}

/**
 * Writes through one handle, one at a time (so the store and BM25 move together): each runs
 * after the previous one settled, whether it succeeded or failed.
 */
export class SerialWrites {
  #last: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every write queued before it. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#last.catch(() => undefined).then(fn);
    this.#last = run;
    return run;
  }

  /** Resolves once the writes queued so far have settled. */
  async idle(): Promise<void> {
    await this.#last.catch(() => undefined);
  }
}
