/**
 * The in-process vector index of a Postgres collection: Postgres stays the store of record (the
 * `chunks.embedding` column), and each handle answers unfiltered approximate vector searches from
 * an index of the version it reads, held in memory (`src/retrieve/ann`: exact float32 / int8 /
 * binary scans or a usearch HNSW graph, the structure calibrated to the target recall when the
 * index is built). So ingest writes rows by COPY and never waits for an HNSW graph in SQL, and a
 * search costs no round trip.
 *
 * 1. The first search of a handle loads the version's vectors (`vector_send`: float32 bytes, not
 *    printed and parsed) and builds the index over them: O(collection), once per process.
 * 2. A search at a later version reads only the chunk rows added and removed since (through the
 *    documents' `added` / `removed` indexes and the chunks' key), and answers from the built index
 *    with the removed rows filtered out plus an exact scan of the added ones (a delta).
 * 3. When the delta reaches a tenth of the indexed rows, the index is rebuilt in memory over the
 *    current rows (no reload), and calibrated again. The calibration tries each HNSW beam by
 *    reopening the graph from a private temporary file, removed once the index is built.
 * A handle that finds the versions in between vacuumed away loads afresh.
 *
 * Scores are the embedded collection's: float32 dot products of the stored vectors (unit rows and
 * the query's norm for `cosine`), ties broken by chunk id. `l2` collections stay on SQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrateIndex, type AnnCalibration } from '../../retrieve/ann/calibrate.ts';
import type { VectorIndex } from '../../retrieve/ann/index.ts';
import { compareHits } from '../../core/types.ts';
import { scoreAll, scoreRows, type VectorMatrix } from '../lancedb/scan.ts';
import { indexRows } from '../lancedb/vector-index.ts';
import type { ChunkHit, Distance } from '../types.ts';
import type { PoolRef } from './pool.ts';
import { visibleAt } from './schema.ts';

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

type ChunkRow = { id: string; doc_id: string; idx: number; added: number; e: Buffer };

/** Chunk rows with their vectors, and each row's key (chunk id and the version that added it). */
interface Rows extends VectorMatrix {
  keys: string[];
}

const rowKey = (id: string, added: number) => `${id}\u0000${added}`;

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

  /** How the built index searches, and the version it was built at (after the first search). */
  get calibration(): (AnnCalibration & { builtAt: number }) | undefined {
    return this.#built && { ...this.#built.calibration, builtAt: this.#built.builtAt };
  }

  /** The `k` best chunks for `query` at `version` (or at a later one another search already moved to). */
  async search(query: Float32Array, k: number, version: number): Promise<ChunkHit[]> {
    const next = this.#busy.then(() => this.#advance(version));
    this.#busy = next.catch(() => {});
    await next;
    return this.#search(query, k);
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
      const found = b.index.search(
        query,
        k,
        (rows) => scoreRows(b.rows, rows, query, distance),
        b.removed ? (row) => live[row] === 1 : undefined,
      );
      for (const h of found) hits.push({ id: b.rows.ids[h.row], docId: b.rows.docIds[h.row], index: b.rows.index[h.row], score: h.score });
    }
    const d = this.#delta;
    if (d.ids.length) {
      const all = scoreAll(d, query, distance);
      for (let i = 0; i < d.ids.length; i++) hits.push({ id: d.ids[i], docId: d.docIds[i], index: d.index[i], score: all[i] });
    }
    return hits.sort(compareHits).slice(0, k);
  }

  async #advance(version: number): Promise<void> {
    if (this.#built && this.#version >= version) return;
    const oldest = this.#built
      ? ((await this.pool.query<{ v: number | null }>(`SELECT min(version) AS v FROM ${this.s}.versions`)).rows[0].v ?? 0)
      : 0;
    if (!this.#built || oldest > this.#version) {
      const r = await this.pool.query<ChunkRow>(
        `SELECT c.id, c.doc_id, c.idx, c.added, vector_send(c.embedding::vector) AS e FROM ${this.s}.chunks c WHERE ${visibleAt('c', '$1')}`,
        [version],
      );
      this.#build(this.#rowsOf(r.rows), version);
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
    if (this.#delta.keys.length + b.removed >= Math.max(1, b.rows.keys.length / 10)) this.#compact(version);
  }

  /** Rebuilds the index over the live built rows and the delta (no reload). */
  #compact(version: number): void {
    const b = this.#built!;
    const live = b.rows.keys.map((_, i) => i).filter((i) => b.live[i] === 1);
    this.#build(concat(pick(b.rows, live), this.#delta), version);
  }

  #build(rows: Rows, version: number): void {
    // Rows in chunk-id order: the same rows give the same index, whatever order the server sent them in.
    const order = rows.ids.map((_, i) => i).sort((a, b) => (rows.ids[a] < rows.ids[b] ? -1 : rows.ids[a] > rows.ids[b] ? 1 : 0));
    const sorted = pick(rows, order);
    // The HNSW beams are tried by reopening the graph from a file: a private temporary one, removed
    // once built (the index keeps its memory mapping; nothing outlives the process).
    const dir = mkdtempSync(join(tmpdir(), 'shortlist-pg-ann-'));
    let built: ReturnType<typeof calibrateIndex>;
    try {
      built = calibrateIndex(indexRows(sorted, this.o.distance), sorted.dims, {
        target: this.o.target,
        sample: this.o.sample,
        graphFile: join(dir, 'graph.usearch'),
        hnswFrom: this.o.hnswFrom,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { index, calibration } = built;
    this.#built = {
      rows: sorted,
      index,
      calibration,
      live: new Uint8Array(sorted.keys.length).fill(1),
      rowOf: new Map(sorted.keys.map((k, i) => [k, i])),
      removed: 0,
      builtAt: version,
    };
    this.#delta = empty(this.o.dims);
  }

  #rowsOf(rows: ChunkRow[]): Rows {
    const dims = this.o.dims;
    const out: Rows = {
      keys: [],
      ids: [],
      docIds: [],
      index: new Int32Array(rows.length),
      dims,
      vectors: new Float32Array(rows.length * dims),
      norms: new Float32Array(rows.length),
    };
    rows.forEach((r, i) => {
      parseVectorSend(r.e, dims, out.vectors, i * dims);
      let n = 0;
      for (let j = 0; j < dims; j++) n += out.vectors[i * dims + j] ** 2;
      out.norms[i] = Math.sqrt(n);
      out.keys.push(rowKey(r.id, r.added));
      out.ids.push(r.id);
      out.docIds.push(r.doc_id);
      out.index[i] = r.idx;
    });
    return out;
  }
}
