/** How an in-process vector index is searched: the structure a calibration chooses and a version stores. */
import type { Quantization } from './quantize.ts';

/** The searched structure of a {@link VectorIndex}. */
export interface AnnStructure {
  /** `exact`: every row is scanned; `hnsw`: a usearch HNSW graph is walked. */
  kind: 'exact' | 'hnsw';
  /** What is scanned or walked: float32 vectors, int8 codes or sign bits. */
  quantization: Quantization;
  /**
   * Candidates re-scored with float32 vectors, as a multiple of the requested count (1: none
   * beyond the count itself; scores are always float32 dot products).
   */
  rescore: number;
  /** HNSW beam (`expansion_search`); `hnsw` only. */
  ef?: number;
  /**
   * Binary only: sign bits of x − the collection's per-dimension mean, for rows and queries (for
   * anisotropic embeddings, whose plain sign bits are mostly equal; see `dimensionMeans`).
   * The calibration measures both. @default false
   */
  centred?: boolean;
}

/** `exact int8, rescore 4×` / `hnsw float32, ef 200, rescore 1×`. */
export function describeStructure(s: AnnStructure): string {
  const q = s.quantization === 'none' ? 'float32' : s.quantization === 'binary' && s.centred ? 'binary centred' : s.quantization;
  return `${s.kind} ${q}${s.kind === 'hnsw' ? `, ef ${s.ef}` : ''}${s.quantization === 'none' && s.kind === 'exact' ? '' : `, rescore ${s.rescore}×`}`;
}
