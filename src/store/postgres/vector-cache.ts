/**
 * The in-process vector index of a Postgres collection: Postgres stays the store of record (the
 * `chunks.embedding` column), and each handle answers unfiltered approximate vector searches from
 * an index of the version it reads, held in memory (`src/retrieve/ann`: exact float32 / int8 /
 * binary scans or a usearch HNSW graph). So ingest writes rows by COPY and never waits for an HNSW
 * graph in SQL, and a search costs no round trip.
 *
 * 1. The structure is the one the writer chose at commit and stored with the version
 *    (`vector-commit.ts`): a reader builds exactly it, without calibrating — loads the version's
 *    vectors (`vector_send`: float32 bytes, not printed and parsed) and quantizes them, and for an
 *    HNSW structure memory-maps the graph the version stores (blobs of the `segments` table),
 *    rebuilding the graph only when the version stores none of its rows. A version written
 *    without a stored structure (by a `pgvector` handle, or before structures were stored) is
 *    calibrated on its first search, as before.
 * 2. A search at a later version reads only the chunk rows added and removed since (through the
 *    documents' `added` / `removed` indexes and the chunks' key), and answers from the built index
 *    with the removed rows filtered out plus an exact scan of the added ones (a delta).
 * 3. When the delta reaches a tenth of the indexed rows, the index is rebuilt in memory over the
 *    current rows (no reload) with the version's stored structure.
 * 4. The writer ({@link VectorCache.prepareCommit}): when a commit is due to calibrate, it computes
 *    the new version's rows (the base version's, less the replaced documents' chunks, plus the new
 *    ones), calibrates on them outside the commit transaction, and once the commit succeeded
 *    installs the calibrated index as its own (the same index a reader builds from the stored rows).
 * A handle that finds the versions in between vacuumed away loads afresh.
 *
 * Scores are the embedded collection's: float32 dot products of the stored vectors (unit rows and
 * the query's norm for `cosine`), ties broken by chunk id. `l2` collections stay on SQL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrateIndex, type AnnCalibration } from '../../retrieve/ann/calibrate.ts';
import { VectorIndex } from '../../retrieve/ann/index.ts';
import { compareHits } from '../../core/types.ts';
import { scoreAll, scoreRows, type VectorMatrix } from '../lancedb/scan.ts';
import { idsHash, indexRows } from '../lancedb/vector-index.ts';
import type { ChunkHit, Distance } from '../types.ts';
import type { PoolRef } from './pool.ts';
import { visibleAt } from './schema.ts';
import { calibrationDue, GRAPH_PART_BYTES, graphFileNames, type StoredVectorIndex } from './vector-commit.ts';

/** Options of a {@link VectorCache}. */
export interface VectorCacheOptions {
  dims: number;
  distance: Exclude<Distance, 'l2'>;
  /** Target Recall@10 of the calibration. */
  target: number;
  /** Sample queries of the calibration. */
  sample: number;
  /** Rows from which an HNSW graph is tried. @default 50000 (the directory collection's) */
  hnswFrom?: number;
}

/**
 * What this process's vector caches did (tests check that a reader never calibrates): calls of
 * `calibrateIndex`, HNSW graphs memory-loaded from a version's stored blobs, and graphs rebuilt.
 */
export const vectorCacheCounters = { calibrations: 0, graphLoads: 0, graphBuilds: 0 };

/**
 * Rescore factors the calibration tries for quantized scans. Rescoring 10 × 8 rows costs well
 * under 0.1 ms beside a scan of tens of thousands of rows, so the rungs below 8× save nothing
 * measurable; each costs a pass over the sample, and each that misses the target and is timed
 * slower than the float32 scan (a stall on a loaded machine) ends the ladder: at 64k rows a run
 * kept the float32 scan (19 ms at 100k) where int8 at 32× answers in 6 ms.
 */
const RESCORES = Object.freeze([8, 16, 32, 64]);

/** Rows from which an HNSW graph is tried, when the options name none (the directory collection's). */
export const HNSW_FROM = 50_000;

type ChunkRow = { id: string; doc_id: string; idx: number; added: number; e: Buffer };

/** Chunk rows with their vectors, and each row's key (chunk id and the version that added it). */
interface Rows extends VectorMatrix {
  keys: string[];
}

const rowKey = (id: string, added: number) => `${id}\u0000${added}`;

/** A chunk a commit adds: id, document, position and vector. */
export interface NewChunk {
  id: string;
  docId: string;
  index: number;
  vector: Float32Array;
}

/** What {@link VectorCache.prepareCommit} prepared for the commit of version `base + 1`. */
export interface PreparedVectors {
  /** The structure to store with the version. */
  stored: StoredVectorIndex;
  /** The graph blobs to insert in the commit transaction (an HNSW structure), in `stored.graph.files` order. */
  graph?: Buffer[];
  /** Makes the calibrated index this cache's, at the committed version (call once the commit succeeded). */
  install(version: number): void;
}

/** The float32 components of a `vector_send` value (int16 dims, int16 unused, big-endian float4s). */
export function parseVectorSend(b: Buffer, dims: number, out: Float32Array, at: number): void {
  const n = b.readInt16BE(0);
  if (n !== dims) throw new Error(`a stored vector has ${n} components, the collection ${dims}`);
  for (let j = 0; j < dims; j++) out[at + j] = b.readFloatBE(4 + 4 * j);
}

/** `rows` of `m` (in that order) as new rows. */
function pick(m: Rows, rows: readonly number[]): Rows {
  const d = m.dims;
  const out: Rows = {
    keys: [],
    ids: [],
    docIds: [],
    index: new Int32Array(rows.length),
    dims: d,
    vectors: new Float32Array(rows.length * d),
    norms: new Float32Array(rows.length),
  };
  rows.forEach((r, i) => {
    out.keys.push(m.keys[r]);
    out.ids.push(m.ids[r]);
    out.docIds.push(m.docIds[r]);
    out.index[i] = m.index[r];
    out.vectors.set(m.vectors.subarray(r * d, (r + 1) * d), i * d);
    out.norms[i] = m.norms[r];
  });
  return out;
}

/** `a`'s rows then `b`'s. */
function concat(a: Rows, b: Rows): Rows {
  const vectors = new Float32Array(a.vectors.length + b.vectors.length);
  vectors.set(a.vectors);
  vectors.set(b.vectors, a.vectors.length);
  const index = new Int32Array(a.index.length + b.index.length);
  index.set(a.index);
  index.set(b.index, a.index.length);
  const norms = new Float32Array(a.norms.length + b.norms.length);
  norms.set(a.norms);
  norms.set(b.norms, a.norms.length);
  return {
    keys: [...a.keys, ...b.keys],
    ids: [...a.ids, ...b.ids],
    docIds: [...a.docIds, ...b.docIds],
    index,
    dims: a.dims,
    vectors,
    norms,
  };
}

const empty = (dims: number): Rows => ({
  keys: [],
  ids: [],
  docIds: [],
  index: new Int32Array(0),
  dims,
  vectors: new Float32Array(0),
  norms: new Float32Array(0),
});

/** An in-process vector index of one collection schema, advanced version by version (see the module comment). */
export class VectorCache {
  #version = 0;
  #built?: {
    rows: Rows;
    index: VectorIndex;
    calibration: AnnCalibration;
    calibratedAt: number;
    live: Uint8Array;
    rowOf: Map<string, number>;
    removed: number;
    builtAt: number;
  };
  /** Rows added since the build (scanned exactly). */
  #delta: Rows;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: PoolRef,
    private readonly s: string,
    private readonly o: VectorCacheOptions,
  ) {
    this.#delta = empty(o.dims);
  }

  /** The version the cache holds (0 before the first load). */
  get version(): number {
    return this.#version;
  }

  /** How the built index searches, the version that calibrated it and the version it was built at (after the first search). */
  get calibration(): (AnnCalibration & { builtAt: number; calibratedAt: number }) | undefined {
    const b = this.#built;
    return b && { ...b.calibration, builtAt: b.builtAt, calibratedAt: b.calibratedAt };
  }

  /**
   * The `k` best chunks for `query` at `version` (or at a later one another search already moved
   * to); `stored` is that version's stored structure (undefined: calibrate when building).
   */
  async search(query: Float32Array, k: number, version: number, stored?: StoredVectorIndex): Promise<ChunkHit[]> {
    const next = this.#busy.then(() => this.#advance(version, stored));
    this.#busy = next.catch(() => {});
    await next;
    return this.#search(query, k);
  }

  /**
   * The writer's part of a commit on top of version `base` (whose stored structure is
   * `baseStored` and chunk count `baseChunks`) that removes the chunks of `removedDocs` and adds
   * `added` (`removedChunks` of the base's chunks go): undefined when the commit carries the base's
   * structure forward, else the calibrated structure of the new version (see the module comment).
   * `measured`: the calibration an earlier attempt of this write made (it lost the head to another
   * writer and plans again): its structure is built over the new rows without calibrating again,
   * so a writer that calibrates cannot be starved by writers that commit while it measures.
   */
  async prepareCommit(
    base: { version: number; chunks: number; stored?: StoredVectorIndex },
    removedDocs: readonly string[],
    removedChunks: number,
    added: readonly NewChunk[],
    measured?: AnnCalibration,
  ): Promise<PreparedVectors | undefined> {
    const chunks = base.chunks - removedChunks + added.length;
    if (!calibrationDue(base.stored, chunks, { target: this.o.target })) return undefined;
    const run = this.#busy.then(() => this.#rowsAt(base.version));
    this.#busy = run.catch(() => {});
    const before = await run;
    const gone = new Set(removedDocs);
    const keptRows = before.docIds.flatMap((d, i) => (gone.has(d) ? [] : [i]));
    const v = base.version + 1;
    const rows = sortRows(concat(keptRows.length === before.ids.length ? before : pick(before, keptRows), this.#newRows(added, v)));
    const { index, calibration } = measured
      ? { index: VectorIndex.build(indexRows(rows, this.o.distance), rows.dims, measured.structure), calibration: measured }
      : this.#calibrate(rows);
    const stored: StoredVectorIndex = { calibration, calibratedAt: v, calibratedRows: rows.ids.length };
    let graph: Buffer[] | undefined;
    if (index.structure.kind === 'hnsw') {
      const dir = mkdtempSync(join(tmpdir(), 'shortlist-pg-ann-'));
      try {
        index.saveGraph(join(dir, 'graph.usearch'));
        const bytes = readFileSync(join(dir, 'graph.usearch'));
        const hash = idsHash(rows.ids);
        const files = graphFileNames(v, hash, bytes.length);
        graph = files.map((_, i) => bytes.subarray(i * GRAPH_PART_BYTES, (i + 1) * GRAPH_PART_BYTES));
        stored.graph = { files, bytes: bytes.length, rows: rows.ids.length, idsHash: hash };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return {
      stored,
      graph,
      install: (version) => {
        if (version !== v) return;
        this.#install(rows, index, stored, v);
      },
    };
  }

  /** Releases the index. */
  close(): void {
    this.#built = undefined;
    this.#delta = empty(this.o.dims);
  }

  #search(query: Float32Array, k: number): ChunkHit[] {
    const { distance } = this.o;
    const hits: ChunkHit[] = [];
    const b = this.#built;
    if (b && k > 0) {
      const live = b.live;
      const score = (rows: readonly number[]) => scoreRows(b.rows, rows, query, distance);
      // A few removed rows: over-fetch without a filter (the scans keep their SIMD path) and drop
      // them after; many: the scans skip them (plain-JS kernels) until the next rebuild.
      const few = b.removed <= 64;
      let found = b.index.search(query, few ? k + b.removed : k, score, few || !b.removed ? undefined : (row) => live[row] === 1);
      if (b.removed && few) found = found.filter((h) => live[h.row] === 1).slice(0, k);
      for (const h of found) hits.push({ id: b.rows.ids[h.row], docId: b.rows.docIds[h.row], index: b.rows.index[h.row], score: h.score });
    }
    const d = this.#delta;
    if (d.ids.length) {
      const all = scoreAll(d, query, distance);
      for (let i = 0; i < d.ids.length; i++) hits.push({ id: d.ids[i], docId: d.docIds[i], index: d.index[i], score: all[i] });
    }
    return hits.sort(compareHits).slice(0, k);
  }

  /** The rows of `version`: the cache's own when it holds exactly that version, else read from the table. */
  async #rowsAt(version: number): Promise<Rows> {
    const b = this.#built;
    if (b && this.#version === version) {
      const live = b.rows.keys.map((_, i) => i).filter((i) => b.live[i] === 1);
      return concat(live.length === b.rows.keys.length ? b.rows : pick(b.rows, live), this.#delta);
    }
    return this.#load(version);
  }

  async #load(version: number): Promise<Rows> {
    const r = await this.pool.query<ChunkRow>(
      `SELECT c.id, c.doc_id, c.idx, c.added, vector_send(c.embedding::vector) AS e FROM ${this.s}.chunks c WHERE ${visibleAt('c', '$1')}`,
      [version],
    );
    return this.#rowsOf(r.rows);
  }

  async #advance(version: number, stored: StoredVectorIndex | undefined): Promise<void> {
    if (this.#built && this.#version >= version) return;
    const oldest = this.#built
      ? ((await this.pool.query<{ v: number | null }>(`SELECT min(version) AS v FROM ${this.s}.versions`)).rows[0].v ?? 0)
      : 0;
    if (!this.#built || oldest > this.#version) {
      await this.#build(await this.#load(version), version, stored);
      this.#version = version;
      return;
    }
    const from = this.#version;
    // Chunk rows change only with their document's row: the documents' indexes find them.
    const gone = await this.pool.query<{ id: string; added: number }>(
      `SELECT c.id, c.added FROM ${this.s}.chunks c WHERE c.doc_id IN (SELECT d.id FROM ${this.s}.documents d WHERE d.removed > $1 AND d.removed <= $2)
         AND c.removed > $1 AND c.removed <= $2`,
      [from, version],
    );
    const added = await this.pool.query<ChunkRow>(
      `SELECT c.id, c.doc_id, c.idx, c.added, vector_send(c.embedding::vector) AS e FROM ${this.s}.chunks c
       WHERE c.doc_id IN (SELECT d.id FROM ${this.s}.documents d WHERE d.added > $1 AND d.added <= $2)
         AND c.added > $1 AND c.added <= $2 AND (c.removed IS NULL OR c.removed > $2)`,
      [from, version],
    );
    const removedKeys = new Set(gone.rows.map((g) => rowKey(g.id, g.added)));
    const d = this.#delta;
    const kept = d.keys.map((key, i) => (removedKeys.has(key) ? -1 : i)).filter((i) => i >= 0);
    this.#delta = concat(kept.length === d.keys.length ? d : pick(d, kept), this.#rowsOf(added.rows));
    const b = this.#built;
    for (const key of removedKeys) {
      const row = b.rowOf.get(key);
      if (row !== undefined && b.live[row]) (b.live[row] = 0), b.removed++;
    }
    this.#version = version;
    if (this.#delta.keys.length + b.removed >= Math.max(1, b.rows.keys.length / 10)) {
      // Rebuilt over the live built rows and the delta (no reload), with the version's structure.
      const live = b.rows.keys.map((_, i) => i).filter((i) => b.live[i] === 1);
      await this.#build(concat(pick(b.rows, live), this.#delta), version, stored);
    }
  }

  /** Builds the index over `rows` at `version`: the stored structure when there is one, else a calibrated one. */
  async #build(rows: Rows, version: number, stored: StoredVectorIndex | undefined): Promise<void> {
    const sorted = sortRows(rows);
    if (!stored) {
      const { index, calibration } = this.#calibrate(sorted);
      this.#install(sorted, index, { calibration, calibratedAt: version, calibratedRows: sorted.ids.length }, version);
      return;
    }
    const structure = stored.calibration.structure;
    const vectors = indexRows(sorted, this.o.distance);
    let index: VectorIndex | undefined;
    const g = stored.graph;
    if (structure.kind === 'hnsw' && g && g.rows === sorted.ids.length && g.idsHash === idsHash(sorted.ids)) {
      const dir = mkdtempSync(join(tmpdir(), 'shortlist-pg-ann-'));
      try {
        const parts: Buffer[] = [];
        for (const name of g.files) {
          const r = await this.pool.query<{ bytes: Buffer }>(`SELECT bytes FROM ${this.s}.segments WHERE name = $1`, [name]);
          if (r.rows[0]) parts.push(r.rows[0].bytes);
        }
        const bytes = Buffer.concat(parts);
        if (bytes.length === g.bytes) {
          writeFileSync(join(dir, 'graph.usearch'), bytes);
          // usearch memory-maps the file; the mapping outlives the file, removed right after.
          index = VectorIndex.build(vectors, sorted.dims, structure, { hnswFile: join(dir, 'graph.usearch') });
          vectorCacheCounters.graphLoads++;
        }
      } catch {
        index = undefined; // a graph that does not load or does not match is rebuilt below
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (!index) {
      index = VectorIndex.build(vectors, sorted.dims, structure);
      if (structure.kind === 'hnsw') vectorCacheCounters.graphBuilds++;
    }
    this.#install(sorted, index, stored, version);
  }

  /** Calibrates a structure over `sorted` (see `src/retrieve/ann/calibrate.ts`); the HNSW beams are tried by reopening the graph from a private temporary file. */
  #calibrate(sorted: Rows): ReturnType<typeof calibrateIndex> {
    vectorCacheCounters.calibrations++;
    const dir = mkdtempSync(join(tmpdir(), 'shortlist-pg-ann-'));
    try {
      return calibrateIndex(indexRows(sorted, this.o.distance), sorted.dims, {
        target: this.o.target,
        sample: this.o.sample,
        graphFile: join(dir, 'graph.usearch'),
        hnswFrom: this.o.hnswFrom ?? HNSW_FROM,
        rescores: RESCORES,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  #install(sorted: Rows, index: VectorIndex, stored: StoredVectorIndex, version: number): void {
    this.#built = {
      rows: sorted,
      index,
      calibration: stored.calibration,
      calibratedAt: stored.calibratedAt,
      live: new Uint8Array(sorted.keys.length).fill(1),
      rowOf: new Map(sorted.keys.map((k, i) => [k, i])),
      removed: 0,
      builtAt: version,
    };
    this.#delta = empty(this.o.dims);
    this.#version = version;
  }

  /** Rows of chunks a commit at version `v` adds. */
  #newRows(chunks: readonly NewChunk[], v: number): Rows {
    const dims = this.o.dims;
    const out = allocRows(chunks.length, dims);
    chunks.forEach((c, i) => {
      out.vectors.set(c.vector, i * dims);
      out.norms[i] = normAt(out.vectors, i, dims);
      out.keys.push(rowKey(c.id, v));
      out.ids.push(c.id);
      out.docIds.push(c.docId);
      out.index[i] = c.index;
    });
    return out;
  }

  #rowsOf(rows: ChunkRow[]): Rows {
    const dims = this.o.dims;
    const out = allocRows(rows.length, dims);
    rows.forEach((r, i) => {
      parseVectorSend(r.e, dims, out.vectors, i * dims);
      out.norms[i] = normAt(out.vectors, i, dims);
      out.keys.push(rowKey(r.id, r.added));
      out.ids.push(r.id);
      out.docIds.push(r.doc_id);
      out.index[i] = r.idx;
    });
    return out;
  }
}

function allocRows(n: number, dims: number): Rows {
  return { keys: [], ids: [], docIds: [], index: new Int32Array(n), dims, vectors: new Float32Array(n * dims), norms: new Float32Array(n) };
}

/** The Euclidean norm of row `i` (float64 sum, stored as float32: the same on every path). */
function normAt(vectors: Float32Array, i: number, dims: number): number {
  let n = 0;
  for (let j = 0; j < dims; j++) n += vectors[i * dims + j] ** 2;
  return Math.sqrt(n);
}

/** Rows in chunk-id order: the same rows give the same index, whatever order the server sent them in. */
function sortRows(rows: Rows): Rows {
  const order = rows.ids.map((_, i) => i).sort((a, b) => (rows.ids[a] < rows.ids[b] ? -1 : rows.ids[a] > rows.ids[b] ? 1 : 0));
  return order.every((r, i) => r === i) ? rows : pick(rows, order);
}
