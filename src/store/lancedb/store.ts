/**
 * The embedded collection store: LanceDB tables in `<location>/lance`, committed through
 * `<location>/MANIFEST.json` (see `manifest.ts` for the protocol). The location is a directory or
 * `s3://bucket/prefix` (see `location.ts`, `manifest-fs.ts`, `manifest-s3.ts`).
 *
 * Upsert:
 * 1. Validate every document (nothing is written when one is bad).
 * 2. Take the writer lock and restore the tables to the committed versions.
 * 3. Compare content hashes with the stored rows: unchanged documents are skipped.
 * 4. Delete the rows of changed and removed documents.
 * 5. Chunk new and changed documents, call `embed` batch by batch, append chunk rows.
 * 6. Append document rows; build the ANN index once the chunk count reaches the threshold, and
 *    calibrate its search to the target recall whenever it is (re)built (see `calibrate.ts`).
 * 7. Commit the manifest; until then readers (this handle included) see the previous version.
 */
import type * as lancedb from '@lancedb/lancedb';
import { ShortlistError, isShortlistError } from '../../core/errors.ts';
import { lazyPackage } from '../../core/optional.ts';
import { testPoint } from '../../core/test-points.ts';
import { compareHits, type Document } from '../../core/types.ts';
import { chunkText, resolveChunkOptions, type ChunkOptions, type TextChunk } from '../../text/chunk.ts';
import { checkFilter, matchFilter, mergeFields, parseFilter } from '../filter.ts';
import { checkFingerprint } from '../fingerprint.ts';
import { checkVectors, planUpsert, prepareDocs, type PreparedDoc, type StoredState } from '../plan.ts';
import type { ManifestParts, PartsHook, WriteChange } from '../parts.ts';
import type {
  AnnSearchInfo,
  ChunkHit,
  CollectionBackend,
  Distance,
  CollectionInfo,
  CollectionStore,
  CreateOptions,
  OpenOptions,
  StoredChunk,
  UpsertOptions,
  UpsertResult,
  VectorSearchOptions,
} from '../types.ts';
import { calibrateAnn, samplePositions, type AnnSearchSetting } from './calibrate.ts';
import { loadMatrix, scoreAll, scoreRows, topRows, type VectorMatrix } from './scan.ts';
import { commitVectorIndex, indexesDistance, openVectorIndex } from './vector-index.ts';
import type { VectorIndex } from '../../retrieve/ann/index.ts';
import { vectorIndexInfo } from '../vector-index-info.ts';
import { newManifest, noCollection, type Manifest, type ManifestStorage } from './manifest.ts';
import { FsManifestStorage } from './manifest-fs.ts';
import { lanceStorageOptions, lanceUri, parseLocation, s3Settings } from './location.ts';
import {
  CHUNKS,
  DOCS,
  chunksSchema,
  deleteWhereIn,
  documentsSchema,
  inPredicates,
  rowToDocument,
  rowsWhereIn,
  toFloat32,
  type ChunkRow,
  type DocRow,
} from './tables.ts';

/** Defaults of the handle options. */
export const LANCE_DEFAULTS = Object.freeze({
  annThreshold: 50_000,
  annEf: 600,
  annRefine: 2,
  annRecall: 0.98,
  annSample: 200,
  scanMemoryMb: 256,
  batchSize: 64,
  writeRows: 4096,
  annIndex: 'memory',
  annQuantization: 'auto',
} as const);
const QUANTIZATION_OPTIONS = ['auto', 'none', 'int8', 'binary'] as const;
const DISTANCES = ['dot', 'cosine', 'l2'] as const;
/** Share of documents a filter must match for search to post-filter instead of passing an IN list. */
const POSTFILTER_FROM = 0.1;

/** Options of a LanceDB handle: the store's options, and where S3 settings come from. */
export interface LanceOpenOptions extends OpenOptions {
  /** Environment the S3 endpoint, region and credentials are read from (`s3://` locations only). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Lifetime of the S3 writer lock, renewed by its holder; a lock not renewed for this long is stale (`s3://` only). @default 120000 */
  lockTtlMs?: number;
}

interface Writer {
  docs: lancedb.Table;
  chunks: lancedb.Table;
  base: Manifest;
}

/** A LanceDB collection in a directory; build with {@link LanceCollectionStore.create} or `.open`. */
export class LanceCollectionStore implements CollectionStore {
  readonly #storage: ManifestStorage;
  readonly #db: lancedb.Connection;
  readonly #docs: lancedb.Table;
  readonly #chunks: lancedb.Table;
  readonly #options: Required<
    Pick<
      OpenOptions,
      'annThreshold' | 'annRefine' | 'annRecall' | 'annSample' | 'scanMemoryMb' | 'chunker' | 'annIndex' | 'annQuantization'
    >
  > & { annEf?: number; refineGiven: boolean };
  /** The collection's directory (undefined on object storage). */
  readonly #dir?: string;
  #manifest: Manifest;
  #matrix?: Promise<VectorMatrix>;
  #index?: Promise<{ matrix: VectorMatrix; index: VectorIndex }>;
  #metadata?: Promise<Map<string, Record<string, unknown>>>;

  private constructor(
    storage: ManifestStorage,
    db: lancedb.Connection,
    docs: lancedb.Table,
    chunks: lancedb.Table,
    manifest: Manifest,
    options: OpenOptions,
  ) {
    this.#storage = storage;
    this.#db = db;
    this.#docs = docs;
    this.#chunks = chunks;
    this.#manifest = manifest;
    const { annThreshold, annRefine, annRecall, annSample, scanMemoryMb, annIndex, annQuantization } = {
      ...LANCE_DEFAULTS,
      ...definedOnly(options),
    };
    if (annIndex !== 'memory' && annIndex !== 'lancedb')
      throw new ShortlistError('INVALID_ARGUMENT', `annIndex must be memory or lancedb, got ${String(annIndex)}`, {
        location: { field: 'annIndex' },
      });
    if (!QUANTIZATION_OPTIONS.includes(annQuantization))
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `annQuantization must be one of ${QUANTIZATION_OPTIONS.join(', ')}, got ${String(annQuantization)}`,
        { location: { field: 'annQuantization' } },
      );
    const loc = parseLocation(storage.location);
    this.#dir = loc.kind === 'fs' ? loc.dir : undefined;
    if (typeof scanMemoryMb !== 'number' || !(scanMemoryMb >= 0))
      throw new ShortlistError('INVALID_ARGUMENT', `scanMemoryMb must be a number ≥ 0, got ${scanMemoryMb}`, {
        location: { field: 'scanMemoryMb' },
      });
    const annEf = options.annEf;
    for (const [name, v] of Object.entries({ annThreshold, annRefine, annSample, ...(annEf === undefined ? {} : { annEf }) })) {
      if (!Number.isInteger(v) || v < 1)
        throw new ShortlistError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${v}`, { location: { field: name } });
    }
    if (typeof annRecall !== 'number' || !(annRecall > 0 && annRecall <= 1))
      throw new ShortlistError('INVALID_ARGUMENT', `annRecall must be a number in (0, 1], got ${annRecall}`, {
        location: { field: 'annRecall' },
      });
    const refineGiven = options.annRefine !== undefined;
    this.#options = {
      annThreshold,
      annEf,
      annRefine,
      annRecall,
      annSample,
      scanMemoryMb,
      refineGiven,
      annIndex,
      annQuantization,
      chunker: options.chunker ?? ((text: string, o: ChunkOptions) => chunkText(text, o)),
    };
  }

  /** Creates an empty collection at `location` (a directory or `s3://bucket/prefix`, which must not hold one) and opens it. */
  static async create(location: string, options: CreateOptions & LanceOpenOptions): Promise<LanceCollectionStore> {
    const { fingerprint, dims, tokenDims, distance = 'cosine' } = options;
    if (!Number.isInteger(dims) || dims < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `dims must be a positive integer, got ${dims}`, { location: { field: 'dims' } });
    if (tokenDims !== undefined && (!Number.isInteger(tokenDims) || tokenDims < 1))
      throw new ShortlistError('INVALID_ARGUMENT', `tokenDims must be a positive integer, got ${tokenDims}`, {
        location: { field: 'tokenDims' },
      });
    if (!DISTANCES.includes(distance))
      throw new ShortlistError('INVALID_ARGUMENT', `distance must be one of ${DISTANCES.join(', ')}, got ${String(distance)}`, {
        location: { field: 'distance' },
      });
    if (!fingerprint || typeof fingerprint.analyzer !== 'string' || typeof fingerprint.models !== 'object') {
      throw new ShortlistError('INVALID_ARGUMENT', 'fingerprint must name the models, the analyzer and the chunking settings', {
        location: { field: 'fingerprint' },
      });
    }
    resolveChunkOptions(fingerprint.chunking);
    const storage = await manifestStorage(location, options);
    try {
      await storage.prepare();
      if (await storage.read())
        throw new ShortlistError(
          'ALREADY_EXISTS',
          `a collection already exists at ${location}; open it, or create the new one in another location`,
        );
      const lock = await storage.lock();
      try {
        const db = await connect(location, options);
        for (const name of await db.tableNames()) await db.dropTable(name); // left by a create that never committed
        const docs = await db.createEmptyTable(DOCS, await documentsSchema());
        const chunks = await db.createEmptyTable(CHUNKS, await chunksSchema(dims));
        const tables = { documents: await docs.version(), chunks: await chunks.version() };
        await lock.check();
        await storage.write(newManifest({ fingerprint, dims, tokenDims, distance, tables }));
        docs.close();
        chunks.close();
        db.close();
      } finally {
        await lock.release();
      }
    } finally {
      storage.close();
    }
    return LanceCollectionStore.open(location, options);
  }

  /** Opens the collection at `location` (a directory or `s3://bucket/prefix`) at its latest committed version. */
  static async open(location: string, options: LanceOpenOptions = {}): Promise<LanceCollectionStore> {
    const storage = await manifestStorage(location, options);
    try {
      const manifest = await readCommitted(storage);
      if (options.fingerprint) checkFingerprint(manifest.fingerprint, options.fingerprint, location);
      const db = await connect(location, options);
      const docs = await db.openTable(DOCS);
      const chunks = await db.openTable(CHUNKS);
      await docs.checkout(manifest.tables.documents);
      await chunks.checkout(manifest.tables.chunks);
      return new LanceCollectionStore(storage, db, docs, chunks, manifest, options);
    } catch (err) {
      storage.close();
      throw err;
    }
  }

  /** {@inheritDoc CollectionStore.info} */
  async info(): Promise<CollectionInfo> {
    const m = this.#manifest;
    const base = {
      version: m.version,
      documents: m.counts.documents,
      chunks: m.counts.chunks,
      dims: m.dims,
      tokenDims: m.tokenDims,
      distance: m.distance,
      fingerprint: structuredClone(m.fingerprint),
      fields: { ...m.fields },
      ann: m.ann,
    };
    const v = m.vectorIndex;
    if (!v) return { ...base, ...(m.ann ? { annSearch: this.#annSearch() } : {}) };
    const c = v.calibration;
    const s = c.structure;
    const fixed = c.sample === 0 && s.kind === 'hnsw'; // annEf: a fixed beam, not calibrated
    const vectorIndex = vectorIndexInfo(c, v.calibratedAt, v.quantization, v.file);
    const annSearch: AnnSearchInfo = {
      mode: s.kind === 'hnsw' ? 'ann' : 'exact',
      source: fixed ? 'annEf' : 'calibrated',
      ef: s.ef ?? 0,
      refine: s.rescore,
      ...(!fixed ? { calibration: { target: c.target, recall: c.recall, sample: c.sample, annMs: c.ms, exactMs: c.exactMs } } : {}),
    };
    return { ...base, annSearch, vectorIndex };
  }

  /** How this handle's ANN searches run: the `annEf` option, else the version's calibration, else the defaults. */
  #annSearch(): AnnSearchInfo {
    const o = this.#options;
    const c = this.#manifest.annSearch;
    if (o.annEf !== undefined)
      return { mode: 'ann', source: 'annEf', ef: o.annEf, refine: o.refineGiven ? o.annRefine : (c?.refine ?? o.annRefine) };
    if (!c) return { mode: 'ann', source: 'default', ef: LANCE_DEFAULTS.annEf, refine: o.annRefine };
    const calibration = { target: c.target, recall: c.recall, sample: c.sample, annMs: c.annMs, exactMs: c.exactMs };
    return { mode: c.mode, source: 'calibrated', ef: c.ef, refine: o.refineGiven ? o.annRefine : c.refine, calibration };
  }

  /** {@inheritDoc CollectionStore.upsert} */
  async upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    const prepared = prepareDocs(docs);
    if (typeof options?.embed !== 'function')
      throw new ShortlistError('INVALID_ARGUMENT', 'upsert needs an embed(texts) callback that returns one Float32Array per text', {
        location: { field: 'embed' },
      });
    const tokenDims = this.#manifest.tokenDims;
    if (tokenDims && typeof options.embedTokens !== 'function')
      throw new ShortlistError('INVALID_ARGUMENT', `this collection stores token vectors (tokenDims ${tokenDims}); pass embedTokens`, {
        location: { field: 'embedTokens' },
      });
    if (!tokenDims && options.embedTokens)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        'this collection stores no token vectors (it was created without tokenDims); leave out embedTokens',
        { location: { field: 'embedTokens' } },
      );
    const batchSize = options.batchSize ?? LANCE_DEFAULTS.batchSize;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `batchSize must be a positive integer, got ${batchSize}`, {
        location: { field: 'batchSize' },
      });

    return this.#write(async (w) => {
      const ids = prepared.map((p) => p.doc.id);
      const stored = new Map<string, StoredState>();
      for (const r of await rowsWhereIn(w.docs, 'id', ids, ['id', 'hash', 'metadata']))
        stored.set(String(r.id), { contentHash: String(r.hash), metadataJson: String(r.metadata) });
      const plan = planUpsert(prepared, stored);
      let missing: string[] = [];
      if (options.deleteMissing) {
        const keep = new Set(ids);
        missing = (await w.docs.query().select(['id']).toArray()).map((r) => String(r.id)).filter((id) => !keep.has(id));
      }
      const counts = { added: plan.added, updated: plan.updated, unchanged: plan.unchanged, deleted: missing.length, embedded: 0 };
      if (plan.embed.length + plan.metadataOnly.length + missing.length === 0) return { counts, changed: false };

      const replacedContent = plan.embed.filter((p) => stored.has(p.doc.id)).map((p) => p.doc.id);
      await deleteWhereIn(w.docs, 'id', [...replacedContent, ...plan.metadataOnly.map((p) => p.doc.id), ...missing]);
      await deleteWhereIn(w.chunks, 'doc_id', [...replacedContent, ...missing]);
      counts.embedded = await this.#embedChunks(w, plan.embed, options, batchSize);
      const rows: DocRow[] = [...plan.embed, ...plan.metadataOnly].map((p) => ({
        id: p.doc.id,
        title: p.doc.title ?? null,
        text: p.doc.text,
        metadata: p.metadataJson,
        hash: p.contentHash,
      }));
      if (rows.length > 0) await w.docs.add(rows as unknown as Record<string, unknown>[]);
      for (const p of [...plan.embed, ...plan.metadataOnly]) mergeFields(w.base.fields, p.doc.metadata);
      return { counts, changed: true, change: { upserted: [...plan.embed, ...plan.metadataOnly].map((p) => p.doc), deleted: missing } };
    }, options.parts);
  }

  /** {@inheritDoc CollectionStore.delete} */
  async delete(ids: readonly string[], options: { parts?: PartsHook } = {}): Promise<UpsertResult> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
      throw new ShortlistError('INVALID_ARGUMENT', 'delete expects an array of document ids (strings)');
    return this.#write(async (w) => {
      const present = (await rowsWhereIn(w.docs, 'id', [...new Set(ids)], ['id'])).map((r) => String(r.id));
      const counts = { added: 0, updated: 0, unchanged: 0, deleted: present.length, embedded: 0 };
      if (present.length === 0) return { counts, changed: false };
      await deleteWhereIn(w.docs, 'id', present);
      await deleteWhereIn(w.chunks, 'doc_id', present);
      return { counts, changed: true, change: { upserted: [], deleted: present } };
    }, options.parts);
  }

  /** The ids of every document of the version this handle reads (for `shortlist check`). */
  async documentIds(): Promise<string[]> {
    return (await this.#docs.query().select(['id']).toArray()).map((r) => String(r.id));
  }

  /** {@inheritDoc CollectionStore.get} */
  async get(ids: readonly string[]): Promise<Document[]> {
    const rows = await rowsWhereIn(this.#docs, 'id', [...new Set(ids)], ['id', 'title', 'text', 'metadata']);
    const byId = new Map(rows.map((r) => [String(r.id), rowToDocument(r)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** {@inheritDoc CollectionStore.chunks} */
  async chunks(docIds: readonly string[], options: { vectors?: boolean } = {}): Promise<StoredChunk[]> {
    const columns = ['id', 'doc_id', 'idx', 'start', 'end', 'text', ...(options.vectors ? ['vector', 'tokens'] : [])];
    const rows = await rowsWhereIn(this.#chunks, 'doc_id', [...new Set(docIds)], columns);
    const order = new Map(docIds.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(String(a.doc_id))! - order.get(String(b.doc_id))! || Number(a.idx) - Number(b.idx));
    return rows.map((r) => {
      const c: StoredChunk = {
        id: String(r.id),
        docId: String(r.doc_id),
        index: Number(r.idx),
        start: Number(r.start),
        end: Number(r.end),
        text: String(r.text),
      };
      if (options.vectors) {
        c.vector = toFloat32(r.vector);
        if (r.tokens !== null && r.tokens !== undefined) c.tokenVectors = toFloat32(r.tokens);
      }
      return c;
    });
  }

  /** {@inheritDoc CollectionStore.vectorSearch} */
  async vectorSearch(vector: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<ChunkHit[]> {
    const m = this.#manifest;
    if (!(vector instanceof Float32Array) || vector.length !== m.dims)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `the query vector must be a Float32Array of ${m.dims} components, got ${vector?.length ?? typeof vector}`,
      );
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    if (k === 0 || m.counts.chunks === 0) return [];
    const exact = options.exact || (!m.vectorIndex && (!m.ann || this.#annSearch().mode === 'exact'));
    if (options.filter === undefined) return this.#nearest(vector, k, exact);
    const filter = typeof options.filter === 'string' ? parseFilter(options.filter) : options.filter;
    checkFilter(filter, m.fields);
    const ids = [...(await this.#metadataById()).entries()].filter(([, md]) => matchFilter(filter, md)).map(([id]) => id);
    if (ids.length === 0) return [];
    const fraction = ids.length / m.counts.documents;
    if (fraction === 1) return this.#nearest(vector, k, exact);
    if (fraction < POSTFILTER_FROM) return this.#nearest(vector, k, exact, new Set(ids));
    // A broad filter: over-fetch unfiltered and keep matching chunks (an IN list this long is slow).
    // The top k matches within the top `limit` are the top k matches overall, so exactness holds.
    const keep = new Set(ids);
    for (let limit = Math.ceil((2 * k) / fraction) + 10; ; limit *= 4) {
      const hits = await this.#nearest(vector, limit, exact);
      const matching = hits.filter((h) => keep.has(h.docId));
      if (matching.length >= k || hits.length < limit) return matching.slice(0, k);
    }
  }

  /** The `limit` nearest chunks (of the documents `docIds` when given), exact or through the ANN index. */
  async #nearest(vector: Float32Array, limit: number, exact: boolean, docIds?: Set<string>): Promise<ChunkHit[]> {
    if (this.#manifest.vectorIndex && !exact) {
      const { matrix: m, index } = await this.#vectorIndex();
      const distance = this.#manifest.distance;
      const top = index.search(
        vector,
        limit,
        (rows) => scoreRows(m, rows, vector, distance),
        docIds && ((row) => docIds.has(m.docIds[row])),
      );
      return top.map((t) => ({ id: m.ids[t.row], docId: m.docIds[t.row], index: m.index[t.row], score: t.score })).sort(compareHits);
    }
    if ((exact || this.#manifest.vectorIndex) && this.#scansInMemory(this.#manifest.counts.chunks)) {
      const m = await this.#vectors();
      const top = topRows(scoreAll(m, vector, this.#manifest.distance), limit, docIds && ((row) => docIds.has(m.docIds[row])));
      return top.map((t) => ({ id: m.ids[t.row], docId: m.docIds[t.row], index: m.index[t.row], score: t.score })).sort(compareHits);
    }
    const where =
      docIds &&
      inPredicates('doc_id', [...docIds])
        .map((p) => `(${p})`)
        .join(' OR ');
    const s = this.#annSearch();
    const rows = await nearestRows(
      this.#chunks,
      this.#manifest.distance,
      vector,
      limit,
      ['id', 'doc_id', 'idx'],
      exact ? undefined : s,
      where,
    );
    const l2 = (exact ? this.#manifest.distance : indexDistance(this.#manifest.distance)) === 'l2';
    const hits = rows.map((r) => ({
      id: String(r.id),
      docId: String(r.doc_id),
      index: Number(r.idx),
      score: l2 ? -Number(r._distance) : 1 - Number(r._distance),
    }));
    return hits.sort(compareHits);
  }

  /**
   * Re-runs the ANN calibration (with this handle's `annRecall`, `annSample` and `annRefine`) and
   * commits it as a new version with the same content; undefined when the collection has no ANN index.
   */
  async calibrate(): Promise<AnnSearchSetting | undefined> {
    await this.#write(async (w) => ({
      counts: { added: 0, updated: 0, unchanged: 0, deleted: 0, embedded: 0 },
      changed: w.base.ann || w.base.vectorIndex !== undefined,
      recalibrate: true,
    }));
    return this.#manifest.annSearch;
  }

  /**
   * Merges small data files and removes table versions older than `olderThan` (readers still on
   * such a version must refresh first). Commits a new collection version with the same content.
   * @param olderThan versions committed before this date go; @default one hour ago
   */
  async compact(olderThan: Date = new Date(Date.now() - 3_600_000)): Promise<UpsertResult> {
    return this.#write(async (w) => {
      for (const t of [w.docs, w.chunks]) await t.optimize({ cleanupOlderThan: olderThan });
      return { counts: { added: 0, updated: 0, unchanged: 0, deleted: 0, embedded: 0 }, changed: true };
    });
  }

  /**
   * Commits a version whose only change is in its parts (a BM25 merge, garbage collection): `hook`
   * gets the committed parts and an empty change; nothing is committed when it returns undefined.
   */
  async commitParts(hook: PartsHook): Promise<UpsertResult> {
    return this.#write(
      async () => ({
        counts: { added: 0, updated: 0, unchanged: 0, deleted: 0, embedded: 0 },
        changed: false,
        change: { upserted: [], deleted: [] },
      }),
      hook,
      true,
    );
  }

  /** The parts of the version this handle reads (a copy). */
  parts(): ManifestParts {
    return structuredClone(this.#manifest.parts ?? {});
  }

  /** The latest committed manifest's version and parts, without moving this handle. */
  async latest(): Promise<{ version: number; parts: ManifestParts }> {
    const m = await readCommitted(this.#storage);
    return { version: m.version, parts: m.parts ?? {} };
  }

  /**
   * Moves the handle to the newest committed version (as `CollectionStore.refresh`).
   * `prepare` gets the new version's parts before the handle moves and returns what to run right
   * after it moved (a home opens the version's BM25 segments first, then swaps both together).
   */
  async refresh(prepare?: (parts: ManifestParts) => Promise<(() => void) | undefined>): Promise<boolean> {
    const latest = await readCommitted(this.#storage);
    if (latest.version === this.#manifest.version) return false;
    const swap = prepare ? await prepare(latest.parts ?? {}) : undefined;
    await this.#moveTo(latest);
    swap?.();
    return true;
  }

  /** {@inheritDoc CollectionStore.close} */
  async close(): Promise<void> {
    this.#docs.close();
    this.#chunks.close();
    this.#db.close();
    this.#storage.close();
  }

  /** This version's chunk vectors in memory, loaded on first use (a failed load is retried by the next search). */
  #vectors(): Promise<VectorMatrix> {
    if (!this.#matrix) {
      const loading = loadMatrix(this.#chunks, this.#manifest.dims);
      this.#matrix = loading;
      loading.catch(() => {
        if (this.#matrix === loading) this.#matrix = undefined;
      });
    }
    return this.#matrix;
  }

  /** Whether exact searches over `rows` chunks scan the vectors in memory (see `scan.ts`), within `scanMemoryMb`. */
  #scansInMemory(rows: number): boolean {
    return rows * this.#manifest.dims * 4 <= this.#options.scanMemoryMb * 1024 * 1024;
  }

  async #moveTo(manifest: Manifest, built?: { matrix: VectorMatrix; index: VectorIndex }): Promise<void> {
    await this.#docs.checkout(manifest.tables.documents);
    await this.#chunks.checkout(manifest.tables.chunks);
    this.#manifest = manifest;
    this.#metadata = undefined;
    this.#matrix = built ? Promise.resolve(built.matrix) : undefined;
    this.#index = built ? Promise.resolve(built) : undefined;
  }

  /** This version's in-process index, opened on first use from its part (rebuilt when the part is missing or stale). */
  #vectorIndex(): Promise<{ matrix: VectorMatrix; index: VectorIndex }> {
    if (!this.#index) {
      const part = this.#manifest.vectorIndex!;
      const distance = this.#manifest.distance;
      const loading = this.#vectors().then((matrix) => ({ matrix, index: openVectorIndex(matrix, distance, part, this.#dir).index }));
      this.#index = loading;
      loading.catch(() => {
        if (this.#index === loading) this.#index = undefined;
      });
    }
    return this.#index;
  }

  /** Whether a commit of `rows` chunks keeps its vectors in the in-process index (see `OpenOptions.annIndex`). */
  #inProcess(rows: number): boolean {
    return this.#options.annIndex === 'memory' && indexesDistance(this.#manifest.distance) && this.#scansInMemory(rows);
  }

  #metadataById(): Promise<Map<string, Record<string, unknown>>> {
    this.#metadata ??= this.#docs
      .query()
      .select(['id', 'metadata'])
      .toArray()
      .then((rows) => new Map(rows.map((r) => [String(r.id), JSON.parse(String(r.metadata)) as Record<string, unknown>])));
    return this.#metadata;
  }

  /** Runs one write under the lock from the committed versions, and commits it when it changed something. */
  async #write(
    body: (w: Writer) => Promise<{ counts: Omit<UpsertResult, 'version'>; changed: boolean; recalibrate?: boolean; change?: WriteChange }>,
    partsHook?: PartsHook,
    partsOnly = false,
  ): Promise<UpsertResult> {
    const lock = await this.#storage.lock();
    const opened: lancedb.Table[] = [];
    try {
      const base = structuredClone(await readCommitted(this.#storage));
      const docs = await this.#db.openTable(DOCS);
      opened.push(docs);
      const chunks = await this.#db.openTable(CHUNKS);
      opened.push(chunks);
      for (const [t, v] of [
        [docs, base.tables.documents],
        [chunks, base.tables.chunks],
      ] as const) {
        if ((await t.version()) !== v) {
          await t.checkout(v); // drop what a failed writer appended after the committed version
          await t.restore();
        }
      }
      testPoint('write:locked');
      const { counts, changed, recalibrate, change } = await body({ docs, chunks, base });
      if (changed) testPoint('write:tables');
      // The other parts are prepared after the tables and named by the same manifest (one commit).
      const parts =
        partsHook && (changed || partsOnly)
          ? await partsHook(structuredClone(base.parts ?? {}), change ?? { upserted: [], deleted: [] })
          : undefined;
      if (parts) testPoint('write:parts-ready');
      if (!changed && !parts) {
        if (base.version !== this.#manifest.version) await this.#moveTo(base);
        return { ...counts, version: base.version };
      }
      const next: Manifest = { ...base, version: base.version + 1, committedAt: new Date().toISOString(), ...(parts ? { parts } : {}) };
      next.counts = { documents: await docs.countRows(), chunks: await chunks.countRows() };
      let built: { matrix: VectorMatrix; index: VectorIndex } | undefined;
      if (this.#inProcess(next.counts.chunks)) {
        // the in-process index answers: no LanceDB index is kept (a previous one stays unused in the table)
        next.ann = next.counts.chunks >= this.#options.annThreshold;
        next.annSearch = undefined;
        const matrix = await loadMatrix(chunks, next.dims);
        const o = this.#options;
        // the previous version's rows, to extend its graph (the handle reads that version unless another writer moved on)
        const previous =
          base.vectorIndex?.file && this.#manifest.version === base.version ? await this.#vectors().catch(() => undefined) : undefined;
        // the previous version's index when this handle holds it, to append a scan's new rows to
        const held = this.#index && this.#manifest.version === base.version ? await this.#index.catch(() => undefined) : undefined;
        const made = commitVectorIndex(
          matrix,
          next.distance,
          recalibrate ? undefined : base.vectorIndex,
          {
            dir: this.#dir,
            version: next.version,
            target: o.annRecall,
            sample: o.annSample,
            quantization: o.annQuantization,
            hnswFrom: o.annThreshold,
            ef: o.annEf,
          },
          previous,
          held,
        );
        next.vectorIndex = made.part;
        built = { matrix, index: made.index };
      } else {
        next.vectorIndex = undefined;
        const index = await this.#maintainIndex(chunks, base.ann && !base.vectorIndex, next.counts.chunks);
        next.ann = index !== 'none';
        if (index === 'rebuilt' || (next.ann && (recalibrate || !base.annSearch))) next.annSearch = await this.#calibrate(chunks, next);
      }
      next.tables = { documents: await docs.version(), chunks: await chunks.version() };
      await lock.check();
      await this.#storage.write(next);
      await this.#moveTo(next, built);
      return { ...counts, version: next.version };
    } finally {
      for (const t of opened) t.close();
      await lock.release();
    }
  }

  /**
   * Builds the ANN index at the threshold; folds new rows into it once a tenth are unindexed.
   * Says whether the table now has no index, the same one, or a (re)built one.
   */
  async #maintainIndex(chunks: lancedb.Table, hadIndex: boolean, rows: number): Promise<'none' | 'kept' | 'rebuilt'> {
    if (!hadIndex) {
      if (rows < this.#options.annThreshold) return 'none';
      await chunks.createIndex('vector', {
        config: (await loadLance()).Index.hnswSq({ distanceType: indexDistance(this.#manifest.distance), numPartitions: 1 }),
      });
      return 'rebuilt';
    }
    // Lance warns on stderr about centroids in index statistics unless this is set; we read only row counts.
    process.env.LANCE_INCLUDE_VECTOR_CENTROIDS ??= 'false';
    const stats = await chunks.indexStats('vector_idx');
    if (stats && stats.numUnindexedRows > stats.numIndexedRows / 10) {
      await chunks.optimize();
      return 'rebuilt';
    }
    return 'kept';
  }

  /** Calibrates the ANN search of the writer's `chunks` table (see `calibrate.ts`) for the handle's target recall. */
  async #calibrate(chunks: lancedb.Table, next: Manifest): Promise<AnnSearchSetting> {
    const o = this.#options;
    const ids = (await chunks.query().select(['id']).toArray()).map((r) => String(r.id));
    const sampleIds = samplePositions(ids.length, o.annSample).map((i) => ids[i]);
    const sample = (await rowsWhereIn(chunks, 'id', sampleIds, ['id', 'vector'])).map((r) => ({
      id: String(r.id),
      vector: toFloat32(r.vector),
    }));
    const idsOf = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id));
    // The exact side is timed as searches will run it: in memory when the vectors fit.
    const m = this.#scansInMemory(next.counts.chunks) ? await loadMatrix(chunks, next.dims) : undefined;
    return calibrateAnn(
      sample,
      {
        exact: async (v, limit) =>
          m
            ? topRows(scoreAll(m, v, next.distance), limit).map((t) => m.ids[t.row])
            : idsOf(await nearestRows(chunks, next.distance, v, limit, ['id'])),
        ann: async (v, limit, ef, refine) => idsOf(await nearestRows(chunks, next.distance, v, limit, ['id'], { ef, refine })),
      },
      { target: o.annRecall, refine: o.annRefine },
    );
  }

  /** Chunks and embeds `docs`, appending chunk rows as it goes; returns the number of chunks embedded. */
  async #embedChunks(w: Writer, docs: readonly PreparedDoc[], options: UpsertOptions, batchSize: number): Promise<number> {
    const chunking = w.base.fingerprint.chunking;
    const pending: { doc: PreparedDoc; chunk: TextChunk; input: string; last: boolean }[] = [];
    for (const p of docs) {
      const chunks = this.#options.chunker(p.doc.text, chunking);
      chunks.forEach((chunk, i) =>
        pending.push({ doc: p, chunk, input: p.doc.title ? `${p.doc.title}\n\n${chunk.text}` : chunk.text, last: i === chunks.length - 1 }),
      );
    }
    let rows: ChunkRow[] = [];
    let docsDone = 0;
    for (let i = 0; i < pending.length; i += batchSize) {
      if (options.signal?.aborted)
        throw new ShortlistError('ABORTED', `upsert cancelled; the collection is still at version ${w.base.version}`);
      const batch = pending.slice(i, i + batchSize);
      const inputs = batch.map((b) => b.input);
      const vectors = checkVectors(await this.#callEmbed(options.embed, inputs, w), inputs.length, w.base.dims, 'embed');
      const tokens = options.embedTokens
        ? checkVectors(await this.#callEmbed(options.embedTokens, inputs, w), inputs.length, -w.base.tokenDims!, 'embedTokens')
        : undefined;
      batch.forEach((b, j) => {
        rows.push({
          id: `${b.doc.doc.id}#${b.chunk.index}`,
          doc_id: b.doc.doc.id,
          idx: b.chunk.index,
          start: b.chunk.start,
          end: b.chunk.end,
          text: b.chunk.text,
          vector: vectors[j],
          tokens: tokens?.[j] ?? null,
        });
        if (b.last) docsDone++;
      });
      if (rows.length >= LANCE_DEFAULTS.writeRows) {
        await w.chunks.add(rows as unknown as Record<string, unknown>[]);
        rows = [];
      }
      options.onProgress?.(docsDone, docs.length);
    }
    if (rows.length > 0) await w.chunks.add(rows as unknown as Record<string, unknown>[]);
    return pending.length;
  }

  async #callEmbed(embed: (texts: string[]) => Promise<Float32Array[]>, inputs: string[], w: Writer): Promise<unknown> {
    try {
      return await embed(inputs);
    } catch (err) {
      if (isShortlistError(err)) throw err;
      throw new ShortlistError(
        'MODEL_ERROR',
        `the embed callback failed: ${(err as Error)?.message ?? String(err)}; nothing was committed, the collection is still at version ${w.base.version}`,
        { cause: err },
      );
    }
  }
}

/**
 * Rows (the given columns and `_distance`) of the `limit` chunks nearest to `vector`: through the
 * ANN index with `ann`'s beam and refine factor, else by an exact scan with the collection's distance.
 */
async function nearestRows(
  table: lancedb.Table,
  distance: Distance,
  vector: Float32Array,
  limit: number,
  columns: string[],
  ann?: { ef: number; refine: number },
  where?: string,
): Promise<Record<string, unknown>[]> {
  let q = table
    .vectorSearch(vector)
    .distanceType(ann ? indexDistance(distance) : distance)
    .select([...columns, '_distance'])
    .limit(limit);
  if (where) q = q.where(where);
  if (!ann) q = q.bypassVectorIndex();
  else {
    q = q.ef(Math.max(ann.ef, limit));
    if (ann.refine > 1) q = q.refineFactor(ann.refine);
  }
  return q.toArray();
}

/**
 * The distance the ANN index is built with. LanceDB 0.31's HNSW with `dot` found 3% of the exact
 * top 10 on random 384-d vectors, so `dot` collections (which hold normalised vectors, where dot
 * and cosine rank alike) are indexed with `cosine`.
 */
function indexDistance(d: Distance): Distance {
  return d === 'dot' ? 'cosine' : d;
}

/** The manifest storage of `location`: its directory, or its S3 prefix (the AWS SDK is loaded only then). */
async function manifestStorage(location: string, options: LanceOpenOptions): Promise<ManifestStorage> {
  const loc = parseLocation(location);
  if (loc.kind === 'fs') return new FsManifestStorage(loc.dir);
  const { S3ManifestStorage } = await import('./manifest-s3.ts');
  return new S3ManifestStorage(loc, s3Settings(options.env), { lockTtlMs: options.lockTtlMs });
}

/** LanceDB loads with the first store opened (an optional peer dependency). */
export const loadLance = lazyPackage('@lancedb/lancedb', () => import('@lancedb/lancedb'));

/** Connects to the LanceDB database of `location`, with the S3 settings as storage options on `s3://`. */
async function connect(location: string, options: LanceOpenOptions): Promise<lancedb.Connection> {
  const lancedb = await loadLance();
  const loc = parseLocation(location);
  return loc.kind === 'fs'
    ? lancedb.connect(lanceUri(loc))
    : lancedb.connect(lanceUri(loc), { storageOptions: lanceStorageOptions(s3Settings(options.env)) });
}

/** The committed manifest of `storage`; NOT_FOUND when it holds no collection. */
async function readCommitted(storage: ManifestStorage): Promise<Manifest> {
  const m = await storage.read();
  if (!m) throw noCollection(storage.location);
  return m;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The LanceDB backend: a collection is a directory or an `s3://bucket/prefix`. */
export const lancedbBackend: CollectionBackend = Object.freeze({
  create: (location: string, options: CreateOptions & LanceOpenOptions) => LanceCollectionStore.create(location, options),
  open: (location: string, options?: LanceOpenOptions) => LanceCollectionStore.open(location, options),
});
