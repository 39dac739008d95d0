/**
 * Conversions between store values and Postgres rows / parameters: vectors as pgvector text
 * literals (float32 values print and parse exactly), token vectors as little-endian float32 bytea.
 */
import type { Document } from '../../core/types.ts';
import type { Fingerprint } from '../fingerprint.ts';
import type { Distance, FieldType } from '../types.ts';
import type { AnnSearchSetting } from '../lancedb/calibrate.ts';
import type { Bm25VersionStats } from './bm25.ts';
import type { ManifestParts } from '../parts.ts';
import type { StoredVectorIndex } from './vector-commit.ts';

/** Settings fixed at creation, stored in `collection.settings`. */
export interface Settings {
  fingerprint: Fingerprint;
  dims: number;
  tokenDims?: number;
  distance: Distance;
  vectorType: 'vector' | 'halfvec';
  hnsw: { m: number; efConstruction: number };
  /** True when the tables are distributed by Citus (see `distribute.ts`); absent on a single server. */
  distributed?: boolean;
  /** Shards per distributed table (Citus only). */
  shards?: number;
}

/** What one committed version holds, stored in `versions.info`. */
export interface VersionInfo {
  documents: number;
  chunks: number;
  fields: Record<string, FieldType>;
  ann: boolean;
  bm25: Bm25VersionStats;
  /** The ANN search setting calibrated for this version (or carried over), with the chunk count it was calibrated at. */
  annSearch?: AnnSearchSetting & { chunks: number };
  /**
   * The in-process vector index's structure (`vectorIndex: 'memory'`), chosen by the commit that
   * calibrated it and carried forward by later ones (`vector-commit.ts`); absent when no memory
   * handle has written the collection.
   */
  vectorIndex?: StoredVectorIndex;
  /** The version's parts (BM25 segments in the `segments` table, see `segments.ts`); absent for a version written without them. */
  parts?: ManifestParts;
}

/** A pgvector literal, `[x,y,…]`. */
export function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v).join(',')}]`;
}

/** Parses a pgvector / halfvec text value. */
export function parseVector(text: string): Float32Array {
  return Float32Array.from(text.slice(1, -1).split(','), Number);
}

/** Token vectors as bytes (float32, little-endian). */
export function tokensToBytes(v: Float32Array): Buffer {
  const out = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i], i * 4);
  return out;
}

/** Inverse of {@link tokensToBytes}. */
export function bytesToTokens(b: Buffer): Float32Array {
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

/** A documents row as a Document (metadata left out when empty, as the embedded store does). */
export function rowToDocument(r: { id: string; title: string | null; body: string; metadata_json: string }): Document {
  const doc: Document = { id: r.id, text: r.body };
  if (r.title !== null) doc.title = r.title;
  const md = JSON.parse(r.metadata_json) as Record<string, unknown>;
  if (Object.keys(md).length > 0) doc.metadata = md;
  return doc;
}
