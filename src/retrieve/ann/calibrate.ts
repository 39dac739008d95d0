/**
 * Calibration of the in-process vector index: at commit, the cheapest structure (see
 * {@link AnnStructure}) that reaches a target Recall@10 on this version's own vectors.
 *
 * 1. A seeded sample of stored rows serves as leave-one-out queries (each query's own row is
 *    dropped from its results); the truth is the float32 exact scan.
 * 2. Candidates, cheapest first: binary (plain and centred sign bits) and int8 scans with a
 *    doubling rescore factor, and (from
 *    `hnswFrom` rows, where usearch loads) an HNSW graph with a doubling beam; the float32 exact
 *    scan always qualifies. `quantization` restricts the candidates to that one (a memory budget).
 * 3. Each candidate is timed on the sample; the fastest that reaches the target wins (a ladder
 *    stops at its first step that qualifies or is already slower than the best so far). Stored
 *    vectors are easier queries than new ones, so the sample may miss at most (1 − target) /
 *    `missFactor` of its truth (see the LanceDB store's calibration for the measurement).
 */
import { VectorIndex, type RowScorer } from './index.ts';
import type { Quantization } from './quantize.ts';
import type { AnnStructure } from './structure.ts';
import { usearch } from './usearch.ts';
import { samplePositions } from '../../core/random.ts';

export { samplePositions };

/** What the calibration chose and measured; stored with the version. */
export interface AnnCalibration {
  structure: AnnStructure;
  /** Target Recall@k. */
  target: number;
  /** Recall@k of the sample with `structure`, against the float32 exact scan. */
  recall: number;
  /** Whether `recall` reached the target (false only when `quantization` left no candidate that does). */
  reached: boolean;
  sample: number;
  /** Mean milliseconds per sample query with `structure`, and with the float32 exact scan. */
  ms: number;
  exactMs: number;
  /** Bytes per vector of the searched structure. */
  bytesPerVector: number;
}

/** Options of {@link calibrateIndex}. */
export interface CalibrateOptions {
  /** Target Recall@k. @default 0.98 */
  target?: number;
  /** Results per query whose recall is measured. @default 10 */
  k?: number;
  /** Sample queries. @default 200 */
  sample?: number;
  /** Restrict the candidates to one quantization; `auto` tries all. @default 'auto' */
  quantization?: Quantization | 'auto';
  /** Rows from which an HNSW graph is tried. @default 50000 */
  hnswFrom?: number;
  /** See the module comment. @default 3 */
  missFactor?: number;
  /** Beams tried for HNSW, in order. @default [64, 128, 256, 512, 1024, 2048] */
  efs?: readonly number[];
  /** Rescore factors tried for quantized scans, in order. @default [1, 2, 4, 8, 16, 32, 64] */
  rescores?: readonly number[];
  /** Saves the HNSW graph it built (the part file); called once, before the beams are tried. */
  graphFile?: string;
  /** Below this many rows `auto` and `none` take the float32 scan without measuring (timings that small are noise). @default 2000 */
  scanBelow?: number;
  /** HNSW keys of the rows (see `BuildOptions.keys`). @default the row numbers */
  keys?: Float64Array;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Defaults of {@link CalibrateOptions}. */
export const CALIBRATE_DEFAULTS = Object.freeze({
  target: 0.98,
  k: 10,
  sample: 200,
  quantization: 'auto',
  hnswFrom: 50_000,
  scanBelow: 2000,
  missFactor: 3,
  efs: [64, 128, 256, 512, 1024, 2048],
  rescores: [1, 2, 4, 8, 16, 32, 64],
} as const);

/** A {@link RowScorer} of float32 dot products with `q` over `vectors`. */
export function dotScorer(vectors: Float32Array, q: Float32Array): RowScorer {
  const d = q.length;
  return (rows) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      // four float64 accumulators: 1.6× faster than one (the JIT keeps them in registers)
      const o = rows[i] * d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let j = 0;
      for (; j + 3 < d; j += 4) {
        a0 += vectors[o + j] * q[j];
        a1 += vectors[o + j + 1] * q[j + 1];
        a2 += vectors[o + j + 2] * q[j + 2];
        a3 += vectors[o + j + 3] * q[j + 3];
      }
      for (; j < d; j++) a0 += vectors[o + j] * q[j];
      out[i] = a0 + a1 + a2 + a3;
    }
    return out;
  };
}

/** Chooses the structure for `vectors` (row-major, `dims` wide, scored by dot product); see the module comment. */
export function calibrateIndex(
  vectors: Float32Array,
  dims: number,
  options: CalibrateOptions = {},
): { calibration: AnnCalibration; index: VectorIndex } {
  const o = { ...CALIBRATE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<
    Omit<CalibrateOptions, 'graphFile' | 'keys' | 'log'>
  > &
    CalibrateOptions;
  const n = vectors.length / dims;
  const log = o.log ?? (() => {});
  const required = 1 - (1 - o.target) / o.missFactor;
  const rows = samplePositions(n, o.sample);
  const queries = rows.map((r) => vectors.subarray(r * dims, (r + 1) * dims));
  const exact = VectorIndex.build(vectors, dims, { kind: 'exact', quantization: 'none', rescore: 1 });
  const run = (ix: VectorIndex) => {
    const t0 = performance.now();
    const found = queries.map((q, i) =>
      ix
        .search(q, o.k + 1, dotScorer(vectors, q))
        .map((h) => h.row)
        .filter((r) => r !== rows[i])
        .slice(0, o.k),
    );
    return { found, ms: (performance.now() - t0) / Math.max(1, queries.length) };
  };
  // Truth: the float32 exact structure (usearch's SIMD shortlist of k + 17 rescored in float64 is the exact top k, ties by row).
  const truth = queries.map((q, i) =>
    exact
      .search(q, o.k + 1, dotScorer(vectors, q))
      .map((h) => h.row)
      .filter((r) => r !== rows[i])
      .slice(0, o.k),
  );
  const recallOf = (found: number[][]) => {
    let hit = 0;
    truth.forEach((t, i) => {
      const f = new Set(found[i]);
      for (const r of t) if (f.has(r)) hit++;
    });
    return truth.length === 0 ? 1 : hit / (truth.length * o.k);
  };
  if (n < o.scanBelow && (o.quantization === 'auto' || o.quantization === 'none')) {
    return {
      index: exact,
      calibration: {
        structure: exact.structure,
        target: o.target,
        recall: 1,
        reached: true,
        sample: 0,
        ms: 0,
        exactMs: 0,
        bytesPerVector: exact.bytesPerVector,
      },
    };
  }
  const exactRun = run(exact);
  let best: { index: VectorIndex; ms: number; recall: number } | undefined;
  let fallback: { index: VectorIndex; ms: number; recall: number } | undefined;
  if (o.quantization === 'auto' || o.quantization === 'none') best = { index: exact, ms: exactRun.ms, recall: recallOf(exactRun.found) };
  /** Measures `index`; true ends its ladder (it qualified, or it is already slower than the best that did: later steps cost more). */
  const consider = (index: VectorIndex): boolean => {
    const r = run(index);
    const recall = recallOf(r.found);
    log(`calibration: ${JSON.stringify(index.structure)} recall ${recall.toFixed(4)} ${r.ms.toFixed(3)} ms/query`);
    fallback = { index, ms: r.ms, recall };
    if (recall < required - 1e-12) return best !== undefined && r.ms >= best.ms;
    if (!best || r.ms < best.ms) best = { index, ms: r.ms, recall };
    return true;
  };
  // binary plain, binary centred (sign bits of x − mean), int8; each a doubling rescore ladder
  for (const [quantization, centred] of [
    ['binary', false],
    ['binary', true],
    ['int8', false],
  ] as const) {
    if (o.quantization !== 'auto' && o.quantization !== quantization) continue;
    for (const rescore of o.rescores) {
      if (n <= o.k * rescore && quantization !== 'binary') break;
      if (consider(VectorIndex.build(vectors, dims, { kind: 'exact', quantization, rescore, ...(centred ? { centred } : {}) }))) break;
      if (n <= o.k * rescore) break;
    }
  }
  if (n >= o.hnswFrom && usearch() && (o.quantization === 'auto' || o.quantization === 'none' || o.quantization === 'int8')) {
    const quantization = o.quantization === 'int8' ? 'int8' : 'none';
    const t0 = performance.now();
    const built = VectorIndex.build(
      vectors,
      dims,
      { kind: 'hnsw', quantization, rescore: quantization === 'int8' ? 2 : 1, ef: o.efs[0] },
      {
        keys: o.keys,
        onProgress: (d, t) => log(`calibration: HNSW graph ${d}/${t} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`),
      },
    );
    const file = o.graphFile;
    if (file) {
      built.saveGraph(file);
      for (const ef of o.efs)
        if (
          consider(
            VectorIndex.build(
              vectors,
              dims,
              { kind: 'hnsw', quantization, rescore: quantization === 'int8' ? 2 : 1, ef },
              { keys: o.keys, hnswFile: file },
            ),
          )
        )
          break;
    } else if (consider(built)) {
      // without a file to reopen with another beam, only the first beam is tried
    }
  }
  const chosen = best ?? fallback!;
  const calibration: AnnCalibration = {
    structure: chosen.index.structure,
    target: o.target,
    recall: chosen.recall,
    reached: chosen.recall >= required - 1e-12,
    sample: queries.length,
    ms: chosen.ms,
    exactMs: exactRun.ms,
    bytesPerVector: chosen.index.bytesPerVector,
  };
  return { calibration, index: chosen.index };
}
