/**
 * The collection store interface: documents, their chunks and one dense vector per chunk, kept
 * in versions that become visible all at once. The embedded default is LanceDB in a directory
 * (`./lancedb/`); a server backend (Postgres + pgvector) implements the same interface, and the
 * contract suite in `test/contract/store.case.ts` runs against every backend.
 *
 * Embedding happens outside the store: `upsert` is given an `embed` callback and calls it only for
 * the chunks of new or changed documents.
 */
import type { Document } from '../core/types.ts';
import type { ChunkOptions, TextChunk } from '../text/chunk.ts';
import type { Filter } from './filter.ts';
import type { Fingerprint } from './fingerprint.ts';

/** Vectors for `texts`, one per text, in order. */
export type EmbedFn = (texts: string[]) => Promise<Float32Array[]>;

/** How vectors are compared; the score is higher for closer vectors. */
export type Distance = 'dot' | 'cosine' | 'l2';

/** Settings fixed when a collection is created. */
export interface CreateOptions {
  /** Models, revisions, analyzer and chunking; stored and checked on every open. */
  fingerprint: Fingerprint;
  /** Components of each dense chunk vector. */
  dims: number;
  /** Components of each ColBERT token vector; omit when the collection stores none. */
  tokenDims?: number;
  /**
   * Vector comparison: `dot` (score = dot product; use with normalised embeddings), `cosine`
   * (score = cosine similarity) or `l2` (score = −squared distance). @default 'cosine'
   */
  distance?: Distance;
}

/** Settings of an open handle (not stored). */
export interface OpenOptions {
  /** When given, opening fails with INDEX_MISMATCH unless it equals the stored fingerprint. */
  fingerprint?: Fingerprint;
  /** Splits a document's text into chunks; @default chunkText with the fingerprint's `chunking` and one token per word */
  chunker?: (text: string, options: ChunkOptions) => TextChunk[];
  /**
   * Chunk count from which a commit builds an ANN index and searches use it; below it search is
   * exact (a flat scan). Raise it for exact results on larger collections, lower it for speed.
   * @default 50000
   */
  annThreshold?: number;
  /**
   * Target Recall@10 of ANN searches. A commit that builds or rebuilds the ANN index calibrates
   * the search on a seeded sample of stored vectors (leave-one-out queries against an exact
   * scan): it raises the HNSW beam until the sample misses at most a third of what this target
   * allows (stored vectors are easier queries than new ones), and makes searches exact when that
   * beam is not faster than the exact scan. The chosen setting is stored with the version and
   * shown by `info()`. @default 0.98
   */
  annRecall?: number;
  /**
   * Sample vectors (queries) the calibration measures; more is steadier and slower to commit.
   * @default 200
   */
  annSample?: number;
  /**
   * Memory (MiB) this handle may use to keep the chunk vectors for exact searches: within it an
   * exact search scans them in memory (about 2× LanceDB's flat scan on 100k × 384, 7× on 5k
   * rows), loading them on the first search of a version; 0 always uses LanceDB's flat scan.
   * @default 256
   */
  scanMemoryMb?: number;
  /**
   * Candidates the HNSW search keeps (its `ef`). When given it overrides the calibrated setting
   * (searches go through the index with this beam); @default the calibrated beam
   */
  annEf?: number;
  /**
   * The ANN search fetches `k × annRefine` candidates and re-scores them with the full vectors
   * (the index holds 8-bit quantised ones); 1 turns re-scoring off. The calibration uses it too
   * (on 100k random 384-d vectors 10 found no more than 2). @default 2
   */
  annRefine?: number;
  /**
   * Where a directory collection's vector search runs: `memory`, the in-process index (exact
   * float32/int8/binary scans or a usearch HNSW graph kept as a part file, the structure
   * calibrated at commit to `annRecall`; see docs/dense.md) for `dot` and `cosine` collections
   * whose vectors fit in `scanMemoryMb`; `lancedb`, LanceDB's own HNSW-SQ index and flat scan.
   * @default 'memory'
   */
  annIndex?: 'memory' | 'lancedb';
  /**
   * Restricts the in-process index to one quantization of the searched vectors (as
   * sentence-transformers' `quantize_embeddings`): `int8` (4× less memory searched) or `binary`
   * (32×), the shortlist rescored with float32 vectors; `none` float32 only. @default 'auto' (the calibration picks)
   */
  annQuantization?: 'auto' | 'none' | 'int8' | 'binary';
}
import type { PartsHook } from './parts.ts';

/** Options of one upsert. */
export interface UpsertOptions {
  /**
   * Dense vectors for chunk texts; called only for chunks of new or changed documents. Each text
   * is the chunk's text, after the document's title and a blank line when it has a title.
   */
  embed: EmbedFn;
  /** ColBERT token vectors (tokens × tokenDims, flattened) per chunk text; required when the collection has `tokenDims`. */
  embedTokens?: EmbedFn;
  /** Chunk texts per `embed` call. @default 64 */
  batchSize?: number;
  /** Delete every stored document not in this upsert (mirror a folder). @default false */
  deleteMissing?: boolean;
  /** Called after each embedded batch with documents done and total to embed. */
  onProgress?: (done: number, total: number) => void;
  /** Cancels the upsert; nothing is committed. */
  signal?: AbortSignal;
  /** Prepares the collection's other parts for this write, committed with it in one step (stores that keep parts). */
  parts?: PartsHook;
}

/** What an upsert or delete changed. */
export interface UpsertResult {
  /** Documents that were not stored before. */
  added: number;
  /** Stored documents whose title, text or metadata changed. */
  updated: number;
  /** Documents identical to the stored ones (nothing embedded, nothing written). */
  unchanged: number;
  /** Documents removed. */
  deleted: number;
  /** Chunks embedded by this call. */
  embedded: number;
  /** The committed version after this call. */
  version: number;
}

/** A stored chunk, optionally with its vectors. */
export interface StoredChunk {
  /** `<docId>#<index>`. */
  id: string;
  docId: string;
  index: number;
  start: number;
  end: number;
  text: string;
  vector?: Float32Array;
  /** Token vectors, flattened tokens × tokenDims. */
  tokenVectors?: Float32Array;
}

/** One vector-search hit: a chunk, its document and its score (higher is better). */
export interface ChunkHit {
  /** Chunk id, `<docId>#<index>`. */
  id: string;
  docId: string;
  index: number;
  score: number;
}

/** Options of a vector search. */
export interface VectorSearchOptions {
  /** Only chunks of documents whose metadata matches (a where-clause string or a parsed filter). */
  filter?: string | Filter;
  /** Force an exact scan even when an ANN index exists. @default false */
  exact?: boolean;
}

/** Type of a metadata field as seen in stored documents. */
export type FieldType = 'string' | 'number' | 'boolean' | 'mixed' | 'json';

/** What a collection holds. */
export interface CollectionInfo {
  /** Committed version this handle reads (1 for a new, empty collection). */
  version: number;
  documents: number;
  chunks: number;
  dims: number;
  tokenDims?: number;
  distance: Distance;
  fingerprint: Fingerprint;
  /** Metadata fields seen so far and their types; these are what filters may name. */
  fields: Record<string, FieldType>;
  /** Whether the collection has an ANN index on its vectors (else every search is an exact scan). */
  ann: boolean;
  /** How searches use the ANN index; absent when there is none. */
  annSearch?: AnnSearchInfo;
  /** The in-process vector index of this version (`annIndex: 'memory'`); absent when searches go through LanceDB. */
  vectorIndex?: VectorIndexInfo;
}

/** The in-process vector index of a version, as `info()` shows it. */
export interface VectorIndexInfo {
  /** The structure that answers, e.g. `exact int8, rescore 4×` or `hnsw float32, ef 256`. */
  path: string;
  kind: 'exact' | 'hnsw';
  quantization: 'none' | 'int8' | 'binary';
  rescore: number;
  ef?: number;
  /** Bytes per vector of the searched structure (float32: dims × 4). */
  bytesPerVector: number;
  /** The quantization the calibration was restricted to. */
  restrictedTo: 'auto' | 'none' | 'int8' | 'binary';
  /** What the calibration measured (at the version `calibratedAt`). */
  calibration: { target: number; recall: number; reached: boolean; sample: number; ms: number; exactMs: number; calibratedAt: number };
  /** The HNSW graph's part file (under the collection's `parts/`), when the structure has one. */
  file?: string;
}

/** How vector searches run on a collection with an ANN index. */
export interface AnnSearchInfo {
  /** `ann`: through the index with `ef` and `refine`; `exact`: a flat scan (the index was not faster at the target recall). */
  mode: 'ann' | 'exact';
  /** Where the setting comes from: this version's calibration, the handle's `annEf` option, or the defaults (a version written before calibration existed). */
  source: 'calibrated' | 'annEf' | 'default';
  /** HNSW beam (`ef`) of ANN searches (in `exact` mode: the last beam the calibration tried). */
  ef: number;
  /** Refine factor: candidates re-scored with full vectors, as a multiple of k. */
  refine: number;
  /** What the calibration measured; absent unless `source` is `calibrated`. */
  calibration?: {
    /** Target Recall@10. */
    target: number;
    /** Recall@10 of the sample at `ef` against the exact scan. */
    recall: number;
    /** Sample queries. */
    sample: number;
    /** Mean milliseconds per query through the index at `ef`, and of the exact scan. */
    annMs: number;
    exactMs: number;
  };
}

/** One collection: every read sees one committed version; writes become visible all at once. */
export interface CollectionStore {
  /** Counts, version, fingerprint and filterable fields of the version this handle reads. */
  info(): Promise<CollectionInfo>;
  /** Adds or replaces documents by id, embedding only new or changed content; commits one new version. */
  upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult>;
  /** Removes documents (and their chunks) by id; unknown ids are ignored. Commits one new version. */
  delete(ids: readonly string[]): Promise<UpsertResult>;
  /** The stored documents with these ids, in the order asked; ids not stored are left out. */
  get(ids: readonly string[]): Promise<Document[]>;
  /** The chunks of these documents, in document then chunk order. */
  chunks(docIds: readonly string[], options?: { vectors?: boolean }): Promise<StoredChunk[]>;
  /** The `k` chunks closest to `vector`, best first (score desc, then id). */
  vectorSearch(vector: Float32Array, k: number, options?: VectorSearchOptions): Promise<ChunkHit[]>;
  /** Moves this handle to the latest committed version; true when it changed. */
  refresh(): Promise<boolean>;
  /** Releases the handle. */
  close(): Promise<void>;
}

/** Creates and opens collections at a location (a directory, a database schema, …). */
export interface CollectionBackend {
  /** Creates an empty collection; fails when one already exists there. */
  create(location: string, options: CreateOptions & OpenOptions): Promise<CollectionStore>;
  /** Opens an existing collection at its latest committed version. */
  open(location: string, options?: OpenOptions): Promise<CollectionStore>;
}
