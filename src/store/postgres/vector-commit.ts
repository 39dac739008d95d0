/**
 * The in-process vector index's structure, chosen by the writer at commit and stored with the
 * version (`versions.info.vectorIndex`), so that readers build it without calibrating.
 *
 * When a commit calibrates ({@link calibrationDue}): on the first commit that holds chunks; when
 * the chunk count has doubled or halved since the last calibration; or when the writer's target
 * recall differs from the stored one (why doubling: `recalibrationDue`, the rule the directory
 * collection follows too). (Crossing `hnswFrom`,
 * where the HNSW graph becomes a candidate, is not a trigger of its own: it cost one more large
 * calibration — 50k then 100k instead of 64k alone — and the next doubling tries the graph anyway.)
 * Between calibrations every version carries the last structure forward (with `calibratedAt`, the
 * version that measured it).
 *
 * An HNSW structure's graph is stored as immutable blobs in the `segments` table
 * (`vgraph-v<version>-<hash>.<part>`, parts of {@link GRAPH_PART_BYTES}), written in the commit
 * transaction that names them, so readers memory-load the graph instead of building it; a version
 * that carries the structure forward without a graph of its rows makes readers rebuild that
 * structure (never calibrate).
 */
import { recalibrationDue, type AnnCalibration } from '../../retrieve/ann/calibrate.ts';

/** The structure stored with a version. */
export interface StoredVectorIndex {
  calibration: AnnCalibration;
  /** The version whose commit calibrated it. */
  calibratedAt: number;
  /** Chunks at that calibration (the doubling rule's reference). */
  calibratedRows: number;
  /** The HNSW graph of this version's rows, when the structure has one and this version wrote it. */
  graph?: StoredGraph;
}

/** An HNSW graph (usearch's saved format) as blobs of the `segments` table. */
export interface StoredGraph {
  /** Blob names, in order: the graph file is their concatenation. */
  files: string[];
  bytes: number;
  /** Rows (chunks, in chunk-id order) the graph holds, and a hash of their ids. */
  rows: number;
  idsHash: string;
}

/** Bytes per graph blob (a `bytea` value travels as hex text: twice this, well below Postgres' and V8's limits). */
export const GRAPH_PART_BYTES = 16 * 1024 * 1024;

/** What the rule compares. */
export interface CalibrationRule {
  target: number;
}

/** Whether a commit leaving `chunks` chunks calibrates, given the base version's stored structure (see the module comment). */
export function calibrationDue(last: StoredVectorIndex | undefined, chunks: number, rule: CalibrationRule): boolean {
  if (chunks === 0) return false;
  if (!last) return true;
  if (last.calibration.target !== rule.target) return true;
  return recalibrationDue(last.calibratedRows, chunks);
}

/** The names of graph blobs start so (BM25 segment names never do; `PostgresSegmentStore.list` leaves them out). */
export const GRAPH_PREFIX = 'vgraph-';

/** The blob names of a version's graph. */
export function graphFileNames(version: number, idsHash: string, bytes: number): string[] {
  const n = Math.max(1, Math.ceil(bytes / GRAPH_PART_BYTES));
  return Array.from({ length: n }, (_, i) => `${GRAPH_PREFIX}v${version}-${idsHash}.${i}`);
}
