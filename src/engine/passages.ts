/**
 * Passages of a collection's hits (see docs/passages.md):
 * - the chunks of a stored document, cut again from its text with the collection's chunking (the
 *   same pure `chunkText` the store used at ingest, so chunk numbers and offsets agree);
 * - the passage unit's BM25 over chunks: one `Bm25Index` whose documents are the chunks (title +
 *   chunk text, the document's metadata), so each chunk is scored exactly as Lucene scores a
 *   document of a chunk index. It is built in memory from the home's documents on the first
 *   passage search of a version (`chunkIndexSource` is the one place that reads them);
 * - the best passages of each final hit, chosen by the stage that ranked it: a dense retriever's
 *   chunk scores, a cross-encoder's scores of the document's best chunks, else BM25 over the
 *   document's own chunks with the collection's analyzer (`termDensityScores`).
 */
import { ShortlistError } from '../core/errors.ts';
import type { Document, Hit, Passage, Reranker, Retriever, SearchOptions } from '../core/types.ts';
import type { Bm25RetrieverConfig, ResolvedPipeline } from '../pipeline/config.ts';
import { chunkId, parseChunkId, termDensityScores, topPassages, toPassage } from '../pipeline/passages/index.ts';
import { LruCache } from '../pipeline/cache.ts';
import { Bm25Index } from '../retrieve/bm25/index.ts';
import { matchFilter, type Filter } from '../store/filter.ts';
import type { CollectionStore } from '../store/types.ts';
import type { Analyzer } from '../text/analyzer.ts';
import { chunkText, type ChunkOptions, type TextChunk } from '../text/chunk.ts';
import type { CollectionHome } from './home/types.ts';

/** Chunks a cross-encoder reads per document when it picks a document-unit hit's passages (the best by term density). */
export const CROSS_ENCODER_PASSAGE_CANDIDATES = 5;

/** Documents whose analysed chunk terms a handle keeps (for choosing passages). */
export const CHUNK_TERMS_CACHE = 2048;

/** How a document-unit hit's passages are chosen. */
export type PassageChooser = { by: 'density' } | { by: 'chunk-scores' } | { by: 'reranker'; reranker: Reranker };

/** Passage support of one collection handle. */
export class CollectionPassages {
  #chunkIndex?: { version: number; index: Promise<Bm25Index> };
  readonly #terms = new LruCache<string[][]>(CHUNK_TERMS_CACHE);

  constructor(
    readonly home: CollectionHome,
    readonly store: CollectionStore,
    readonly pipeline: ResolvedPipeline,
    readonly analyzer: Analyzer,
  ) {}

  /** The chunking the collection's chunks were made with (its fingerprint's). */
  async chunking(): Promise<ChunkOptions> {
    const { tokenizer: _t, ...chunking } = (await this.store.info()).fingerprint.chunking;
    return chunking;
  }

  /** The analysed terms of each chunk of `doc` (kept per version and document: RAG queries keep meeting the same documents). */
  #chunkTerms(doc: Document, chunks: readonly TextChunk[], version: number): string[][] {
    const key = `${version}\u0000${doc.id}`;
    let terms = this.#terms.get(key);
    if (!terms || terms.length !== chunks.length) {
      terms = chunks.map((c) => this.analyzer.analyze(c.text));
      this.#terms.set(key, terms);
    }
    return terms;
  }

  /** The chunks of `doc` as stored (same numbers and offsets). */
  chunksOf(doc: Document, chunking: ChunkOptions): TextChunk[] {
    return chunkText(doc.text, chunking);
  }

  /** The passage unit's BM25 first stage: the top k chunks (ids `<docId>#<chunk>`), the filter applied to their documents' metadata. */
  chunkBm25Retriever(cfg: Bm25RetrieverConfig, filter?: Filter): Retriever {
    return {
      name: cfg.name,
      search: async (query: string, k: number, options: SearchOptions = {}): Promise<Hit[]> => {
        const index = await this.#chunkBm25();
        if (options.signal?.aborted) throw new ShortlistError('ABORTED', 'the BM25 search was cancelled', { cause: options.signal.reason });
        const params = { k1: cfg.k1, b: cfg.b };
        if (!filter) return index.search(query, k, params).map((h) => ({ id: h.id, score: h.score }));
        const out: Hit[] = [];
        for (const h of index.search(query, index.size, params)) {
          if (matchFilter(filter, index.document(h.id)?.metadata ?? {})) out.push({ id: h.id, score: h.score });
          if (out.length === k) break;
        }
        return out;
      },
    };
  }

  /** Passage-unit hits (chunk ids) with their document and the chunk as `passages[0]` (scored by the hit's score). */
  async hydrateChunks(hits: Hit[]): Promise<Hit[]> {
    const chunking = await this.chunking();
    const ids = [...new Set(hits.flatMap((h) => (h.document && h.passages ? [] : [parseChunkId(h.id)?.docId ?? h.id])))];
    const docs = ids.length > 0 ? await this.home.documents(ids) : new Map<string, Document>();
    const chunks = new Map<string, TextChunk[]>();
    return hits.map((h) => {
      if (h.document && h.passages) return { ...h, passages: [{ ...h.passages[0], score: h.score }] };
      const ref = parseChunkId(h.id);
      const doc = ref ? docs.get(ref.docId) : undefined;
      if (!ref || !doc) return h;
      if (!chunks.has(doc.id)) chunks.set(doc.id, this.chunksOf(doc, chunking));
      const c =
        chunks.get(doc.id)![ref.chunk] ??
        (ref.chunk === 0 && doc.text.trim() === '' ? { index: 0, start: 0, end: 0, text: '', tokens: 0 } : undefined);
      return c ? { ...h, document: doc, passages: [toPassage(c, h.score)] } : { ...h, document: doc };
    });
  }

  /** Document-unit hits with their best `n` passages, chosen as `chooser` says. */
  async attach(query: string, hits: Hit[], n: number, chooser: PassageChooser, options: SearchOptions = {}): Promise<Hit[]> {
    if (n <= 0 || hits.length === 0) return hits.map(stripChunkScores);
    const chunking = await this.chunking();
    const version = (await this.store.info()).version;
    const queryTerms = this.analyzer.analyze(query);
    const out: Hit[] = [];
    for (const h of hits) {
      const doc = h.document;
      if (!doc) {
        out.push(stripChunkScores(h));
        continue;
      }
      const chunks = this.chunksOf(doc, chunking);
      let passages: Passage[];
      if (chooser.by === 'chunk-scores' && h.chunkScores && h.chunkScores.length > 0) {
        passages = h.chunkScores
          .filter((s) => chunks[s.chunk])
          .slice(0, n)
          .map((s) => toPassage(chunks[s.chunk], s.score));
      } else if (chooser.by === 'reranker' && chunks.length > 1) {
        const density = termDensityScores(this.#chunkTerms(doc, chunks, version), queryTerms);
        const pool = chunks
          .map((c, i) => ({ c, s: density[i] }))
          .sort((a, b) => b.s - a.s || a.c.index - b.c.index)
          .slice(0, CROSS_ENCODER_PASSAGE_CANDIDATES)
          .map((x) => toPassage(x.c, x.s));
        const scored = await chooser.reranker.rerank(
          query,
          pool.map((p) => ({ id: chunkId(doc.id, p.chunk), text: p.text, title: doc.title })),
          pool.length,
          options,
        );
        passages = scored.slice(0, n).map((s) => toPassage(chunks[parseChunkId(s.id)!.chunk], s.score));
      } else {
        passages = topPassages(chunks, termDensityScores(this.#chunkTerms(doc, chunks, version), queryTerms), n);
      }
      out.push({ ...stripChunkScores(h), passages });
    }
    return out;
  }

  /** The chunk BM25 index of the version this handle reads, built on first use. */
  #chunkBm25(): Promise<Bm25Index> {
    return this.store.info().then(({ version }) => {
      if (this.#chunkIndex?.version !== version) {
        const index = this.chunking().then((chunking) =>
          Bm25Index.build(chunkDocuments(chunkIndexSource(this.home), chunking), { analyzer: this.analyzer }),
        );
        this.#chunkIndex = { version, index };
        index.catch(() => {
          if (this.#chunkIndex?.index === index) this.#chunkIndex = undefined;
        });
      }
      return this.#chunkIndex!.index;
    });
  }

  /** Drops the chunk index (it lives in memory; a search still reading it keeps it until done). */
  close(): void {
    this.#chunkIndex = undefined;
  }
}

/** The documents the chunk BM25 index is built from (the one place that reads them; a backend that keeps none in memory cannot build it yet). */
export function chunkIndexSource(home: CollectionHome): Document[] {
  if (!home.allDocuments) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `"unit": "passage" with a BM25 retriever needs a collection in a directory or on s3://; ${home.display} keeps BM25 in the database, where chunk-level BM25 is not built yet: use "unit": "document" (hits still carry passages) or a dense retriever`,
    );
  }
  return home.allDocuments();
}

/** Each chunk of each document as a BM25 document: id `<docId>#<chunk>`, the document's title and metadata, the chunk's text (a title-only document: one empty chunk). */
export function* chunkDocuments(docs: Iterable<Document>, chunking: ChunkOptions): Generator<Document> {
  for (const d of docs) {
    const chunks = chunkText(d.text, chunking);
    // a title-only document (no text, so no chunk) is one empty chunk that its title finds
    if (chunks.length === 0) chunks.push({ index: 0, start: 0, end: 0, text: '', tokens: 0 });
    for (const c of chunks) {
      yield {
        id: chunkId(d.id, c.index),
        text: c.text,
        ...(d.title !== undefined ? { title: d.title } : {}),
        ...(d.metadata ? { metadata: d.metadata } : {}),
      };
    }
  }
}

function stripChunkScores(h: Hit): Hit {
  if (!h.chunkScores) return h;
  const { chunkScores: _c, ...rest } = h;
  return rest;
}
