/**
 * The in-process vector index part of a LanceDB collection version (see src/retrieve/ann):
 *
 * 1. At commit, the writer loads the version's vectors, reuses the previous structure until the
 *    row count has doubled or halved since its calibration (`recalibrationDue`; then calibrates a
 *    new one to the target recall), and for
 *    an HNSW structure writes the graph as an immutable part file `parts/vindex-v<version>-<hash>.usearch`
 *    (temporary name, fsync, rename), extending the previous graph when it can; a scan structure
 *    whose write only added rows appends their codes to the previous index (`VectorIndex.append`)
 *    when the writer holds it in memory. The manifest names
 *    the part ({@link VectorIndexPart}); the commit is the manifest's rename, so a crash leaves the
 *    previous manifest naming the previous part, and at worst an unnamed file.
 * 2. A reader opens the part the manifest names with usearch `view` (memory-mapped) when its rows
 *    and id hash match the version's vectors; a missing, unreadable or stale part is rebuilt in
 *    memory, never trusted.
 *
 * LanceDB stays the store of record: every part can be rebuilt from the chunk rows.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { calibrateIndex, recalibrationDue, type AnnCalibration } from '../../retrieve/ann/calibrate.ts';
import { VectorIndex } from '../../retrieve/ann/index.ts';
import { idKey, idKeys } from '../../retrieve/ann/keys.ts';
import type { Quantization } from '../../retrieve/ann/quantize.ts';
import type { Distance } from '../types.ts';
import type { VectorMatrix } from './scan.ts';

/** Folder of part files, under the collection's directory. */
export const PARTS_DIR = 'parts';

/** The manifest's entry for a version's vector index. */
export interface VectorIndexPart {
  /** The HNSW graph's file under `parts/`; absent for scans (nothing to keep beyond the structure). */
  file?: string;
  /** Rows (chunks) the index was built over, and a hash of their ids in row order. */
  rows: number;
  idsHash: string;
  /** The structure, as calibrated at `calibratedAt` (the version whose commit calibrated it). */
  calibration: AnnCalibration;
  calibratedAt: number;
  /** Rows at that calibration (the doubling rule's reference). @default rows (manifests written before it) */
  calibratedRows?: number;
  /** The quantization the calibration was restricted to. */
  quantization: Quantization | 'auto';
  /**
   * How this commit made the index: calibrated anew, the previous structure rebuilt over the rows,
   * the previous graph extended, the previous scan's codes appended to (rows only added), or a
   * fixed beam (`annEf`).
   */
  made: 'calibrated' | 'rebuilt' | 'extended' | 'appended' | 'fixed';
  /**
   * Rows of the last version whose scan codes (int8 ranges, binary centre) were derived from all
   * its rows; appends keep those and stop once the rows added since reach a tenth of it.
   * @default rows
   */
  derivedRows?: number;
}

/** The index a handle holds for the previous version, with its rows (to append to). */
export interface BuiltIndex {
  matrix: VectorMatrix;
  index: VectorIndex;
}

/** What a commit needs to make the part. */
export interface PartOptions {
  /** Collection directory (undefined on object storage: no graph file, HNSW not calibrated). */
  dir?: string;
  version: number;
  target: number;
  sample: number;
  quantization: Quantization | 'auto';
  /** Rows from which HNSW is tried. */
  hnswFrom: number;
  /** A fixed HNSW beam instead of calibrating (`annEf`). */
  ef?: number;
}

/** Whether `distance` is searched through the index (dot products: `dot`, and `cosine` over unit rows); `l2` keeps the plain scan. */
export function indexesDistance(distance: Distance): boolean {
  return distance !== 'l2';
}

/** The rows the index scores: the vectors for `dot`, unit rows for `cosine` (the same array when every row is a unit already). */
export function indexRows(m: VectorMatrix, distance: Distance): Float32Array {
  if (distance === 'dot' || m.norms.every((x) => Math.abs(x - 1) < 1e-6)) return m.vectors;
  const out = new Float32Array(m.vectors.length);
  for (let i = 0; i < m.ids.length; i++) {
    const inv = m.norms[i] === 0 ? 0 : 1 / m.norms[i];
    for (let j = 0, o = i * m.dims; j < m.dims; j++) out[o + j] = m.vectors[o + j] * inv;
  }
  return out;
}

/** Hash of the ids in row order. */
export function idsHash(ids: readonly string[]): string {
  const h = createHash('sha256');
  for (const id of ids) h.update(id).update('\n');
  return h.digest('hex').slice(0, 16);
}

/** Builds the version's index (see the module comment, step 1); returns the manifest entry and the index. */
export function commitVectorIndex(
  m: VectorMatrix,
  distance: Distance,
  previous: VectorIndexPart | undefined,
  o: PartOptions,
  previousMatrix?: VectorMatrix,
  previousBuilt?: BuiltIndex,
): { part: VectorIndexPart; index: VectorIndex } {
  const rows = indexRows(m, distance);
  const hash = idsHash(m.ids);
  const keys = idKeys(m.ids);
  const n = m.ids.length;
  const reuse =
    previous &&
    previous.quantization === o.quantization &&
    previous.calibration.target === o.target &&
    !recalibrationDue(previous.calibratedRows ?? previous.rows, n) &&
    (o.ef === undefined ? previous.calibration.sample > 0 || previous.rows < 2000 : previous.calibration.structure.ef === o.ef);
  const file = o.dir ? `vindex-v${o.version}-${hash}.usearch` : undefined;
  const tmp = o.dir && file ? join(o.dir, PARTS_DIR, `${file}.tmp-${process.pid}`) : undefined;
  if (tmp) mkdirSync(join(o.dir!, PARTS_DIR), { recursive: true });
  let calibration: AnnCalibration;
  let index: VectorIndex;
  let calibratedAt = o.version;
  let calibratedRows = n;
  let made: VectorIndexPart['made'] = 'calibrated';
  if (reuse) {
    made = 'rebuilt';
    calibration = previous.calibration;
    calibratedAt = previous.calibratedAt;
    calibratedRows = previous.calibratedRows ?? previous.rows;
    const s = calibration.structure;
    const from =
      s.kind === 'hnsw' && s.quantization === 'none' && previous.file && o.dir && previousMatrix
        ? join(o.dir, PARTS_DIR, previous.file)
        : undefined;
    index = undefined as unknown as VectorIndex;
    const derived = previous.derivedRows ?? previous.rows;
    if (s.kind === 'exact' && previousBuilt && (n - derived) * 10 < derived && appendsTo(previousBuilt, m, rows, s)) {
      index = VectorIndex.append(previousBuilt.index, rows);
      made = 'appended';
    } else if (from && existsSync(from)) {
      try {
        index = VectorIndex.build(rows, m.dims, s, { keys, extendFrom: from, removed: changedKeys(previousMatrix!, m) });
        made = 'extended';
      } catch {
        // a graph that does not add up (or does not load) is rebuilt below
      }
    }
    index ??= VectorIndex.build(rows, m.dims, s, { keys });
  } else if (o.ef !== undefined && o.dir) {
    const structure =
      o.quantization === 'int8'
        ? ({ kind: 'hnsw', quantization: 'int8', rescore: 2, ef: o.ef } as const)
        : ({ kind: 'hnsw', quantization: 'none', rescore: 1, ef: o.ef } as const);
    index = VectorIndex.build(rows, m.dims, structure, { keys });
    made = 'fixed';
    calibration = {
      structure,
      target: o.target,
      recall: 0,
      reached: false,
      sample: 0,
      ms: 0,
      exactMs: 0,
      bytesPerVector: index.bytesPerVector,
    };
  } else {
    const graphFile = tmp ? `${tmp}.probe` : undefined;
    try {
      ({ calibration, index } = calibrateIndex(rows, m.dims, {
        target: o.target,
        sample: o.sample,
        quantization: o.quantization,
        hnswFrom: o.dir ? o.hnswFrom : Infinity,
        graphFile,
        keys,
      }));
    } finally {
      if (graphFile) rmSync(graphFile, { force: true });
    }
  }
  const part: VectorIndexPart = { rows: n, idsHash: hash, calibration, calibratedAt, calibratedRows, quantization: o.quantization, made };
  if (made === 'appended') part.derivedRows = previous!.derivedRows ?? previous!.rows;
  if (index.structure.kind === 'hnsw' && tmp && file) {
    index.saveGraph(tmp);
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(o.dir!, PARTS_DIR, file));
    part.file = file;
  }
  return { part, index };
}

/**
 * Whether `m` holds `built`'s rows first, unchanged (same ids, bit-identical index rows), then
 * only new ones, and `built` has the structure `s`: a write that only added rows.
 */
function appendsTo(built: BuiltIndex, m: VectorMatrix, rows: Float32Array, s: VectorIndex['structure']): boolean {
  const before = built.index.vectors;
  const k = built.matrix.ids.length;
  if (k === 0 || k > m.ids.length || before.length !== k * m.dims || JSON.stringify(built.index.structure) !== JSON.stringify(s))
    return false;
  for (let i = 0; i < k; i++) if (built.matrix.ids[i] !== m.ids[i]) return false;
  const a = Buffer.from(before.buffer, before.byteOffset, before.byteLength);
  const b = Buffer.from(rows.buffer, rows.byteOffset, before.byteLength);
  return a.equals(b);
}

/** Keys of `before`'s rows that `after` lacks or holds with another vector. */
function changedKeys(before: VectorMatrix, after: VectorMatrix): number[] {
  const now = new Map(after.ids.map((id, i) => [id, i]));
  const d = after.dims;
  const out: number[] = [];
  before.ids.forEach((id, j) => {
    const i = now.get(id);
    let same = i !== undefined;
    for (let c = 0; same && c < d; c++) same = before.vectors[j * d + c] === after.vectors[i! * d + c];
    if (!same) out.push(idKey(id));
  });
  return out;
}

/** Opens the version's index (see the module comment, step 2); `rebuilt` says the part was not used. */
export function openVectorIndex(
  m: VectorMatrix,
  distance: Distance,
  part: VectorIndexPart,
  dir: string | undefined,
): { index: VectorIndex; rebuilt: boolean } {
  const rows = indexRows(m, distance);
  const s = part.calibration.structure;
  const keys = s.kind === 'hnsw' ? idKeys(m.ids) : undefined;
  const fresh = part.rows === m.ids.length && part.idsHash === idsHash(m.ids);
  const file = part.file && dir ? join(dir, PARTS_DIR, part.file) : undefined;
  if (s.kind === 'hnsw' && fresh && file && existsSync(file)) {
    try {
      return { index: VectorIndex.build(rows, m.dims, s, { keys, hnswFile: file }), rebuilt: false };
    } catch {
      // an unreadable or mismatched graph is rebuilt below
    }
  }
  return { index: VectorIndex.build(rows, m.dims, s, { keys }), rebuilt: s.kind === 'hnsw' };
}
