/**
 * Calibration of the in-process vector index: at commit, the cheapest structure (see
 * {@link AnnStructure}) that reaches a target Recall@10 on this version's own vectors.
 *
 * 1. A seeded sample of stored rows serves as leave-one-out queries (each query's own row is
 *    dropped from its results); the truth is the float32 exact scan.
 * 2. Candidates, cheapest first: binary (plain and centred sign bits) and int8 scans with a
 *    doubling rescore factor, and (from `hnswFrom` rows, where usearch loads, and only when the
 *    best scan takes more than `graphAboveMs` per query) an HNSW graph with a widening beam; the
 *    float32 exact scan always qualifies. `quantization` restricts the candidates to that one (a
 *    memory budget).
 * 3. Of each ladder (one quantization's rescore factors, or the graph's beams) only the least step
 *    that reaches the target can win, since a larger step costs more: a scan ladder finds it by
 *    recall passes alone (its top step, then a bisection), the beams in order. That step is timed
 *    against the best so far in alternating blocks of the sample (so that load on the machine
 *    falls on both alike; repeated while cheap); the fastest wins. Stored
 *    vectors are easier queries than new ones, so the sample may miss at most (1 − target) /
 *    `missFactor` of its truth (see the LanceDB store's calibration for the measurement). HNSW
 *    beams are measured on a probe graph built without the sample rows (a graph holding a query's
 *    own row linked to its neighbours answers it far better than a new query: on scifact at beam
 *    64 such a sample missed 0.15–0.30% of its top 10 where fresh queries missed 1.97%), against
 *    the exact top k among the other rows, and may miss (1 − target) / `hnswMissFactor`; the
 *    chosen beam's graph is the probe graph with the sample rows added.
 */
import { VectorIndex, type RowScorer } from './index.ts';
import { dotAt } from './kernels.ts';
import type { Quantization } from './quantize.ts';
import type { AnnStructure } from './structure.ts';
import { usearch } from './usearch.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Whether a structure calibrated over `calibratedRows` rows should be calibrated again now that the
 * index holds `rows`: once the row count has doubled or halved. The candidates' relative costs move
 * slowly with the row count (a scan is linear, a graph walk about logarithmic), so a structure
 * chosen at n rows stays a good choice up to 2n; and the calibrations of a growing collection then
 * cost at most twice the last one in all (a geometric series), never one per write.
 */
export function recalibrationDue(calibratedRows: number, rows: number): boolean {
  return rows >= 2 * calibratedRows || 2 * rows < calibratedRows;
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
  /**
   * An HNSW graph is tried only when the best scan takes more than this many milliseconds per
   * sample query. Below it a graph saves too little to pay for its build: on 2 cores a graph of
   * 64,000 rows × 384 dimensions costs about 90 s, which at the ≈ 2.5 ms per query it could save
   * there is some 36,000 queries of that version, and a collection that grows builds one per
   * doubling. @default 5
   */
  graphAboveMs?: number;
  /** See the module comment. @default 3 */
  missFactor?: number;
  /**
   * The sample's miss allowance for HNSW structures: (1 − target) / `hnswMissFactor`. The probe
   * graph leaves the sample rows out, so they are fresh to it; but they are documents, and queries
   * of another kind (a question against passages) sit farther from the rows: on scifact at ef 64
   * the probe sample missed 0.60% of its top 10, the 300 real queries 1.9% (3.2×). @default 3
   */
  hnswMissFactor?: number;
  /** Beams tried for HNSW, in order (steps of about 1.5×, so the chosen beam is at most 1.5× the one the target needs). @default [64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048] */
  efs?: readonly number[];
  /** Rescore factors tried for quantized scans, in order. @default [1, 2, 4, 8, 16, 32, 64] */
  rescores?: readonly number[];
  /** Where the chosen HNSW graph is saved (the part file); `<graphFile>.probe` holds the probe graph meanwhile. */
  graphFile?: string;
  /** Below this many rows `auto` and `none` take the float32 scan without measuring (timings that small are noise). @default 2000 */
  scanBelow?: number;
  /** HNSW keys of the rows (see `BuildOptions.keys`). @default the row numbers */
  keys?: Float64Array;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Candidates whose untimed passes differ by more than this factor are not timed against each other. */
export const CLEAR_RATIO = 2;
/** Passes over the sample at most when two candidates are timed against each other. */
export const TIMED_PASSES = 5;
/** Sample queries per timed block (candidates alternate block by block). */
export const TIMED_BLOCK = 25;
/** Paired passes repeat while one takes less than this many milliseconds (up to {@link TIMED_PASSES}). */
export const REPEAT_BELOW_MS = 250;

/** Defaults of {@link CalibrateOptions}. */
export const CALIBRATE_DEFAULTS = Object.freeze({
  target: 0.98,
  k: 10,
  sample: 200,
  quantization: 'auto',
  hnswFrom: 50_000,
  graphAboveMs: 5,
  scanBelow: 2000,
  missFactor: 3,
  hnswMissFactor: 3,
  efs: [64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048],
  rescores: [1, 2, 4, 8, 16, 32, 64],
} as const);

/** A {@link RowScorer} of float32 dot products with `q` over `vectors`. */
export function dotScorer(vectors: Float32Array, q: Float32Array): RowScorer {
  const d = q.length;
  return (rows) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = dotAt(vectors, rows[i] * d, q);
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
  const required = (s: AnnStructure) => 1 - (1 - o.target) / (s.kind === 'hnsw' ? o.hnswMissFactor : o.missFactor);
  const exact = VectorIndex.build(vectors, dims, { kind: 'exact', quantization: 'none', rescore: 1 });
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
  const rows = samplePositions(n, o.sample);
  const queries = rows.map((r) => vectors.subarray(r * dims, (r + 1) * dims));
  /** The sample row `i`'s top k through `ix`, its own row left out. */
  const answer = (ix: VectorIndex, i: number) =>
    ix
      .search(queries[i], o.k + 1, dotScorer(vectors, queries[i]))
      .map((h) => h.row)
      .filter((r) => r !== rows[i])
      .slice(0, o.k);
  const run = (ix: VectorIndex) => {
    const t0 = performance.now();
    const found = queries.map((_, i) => answer(ix, i));
    return { found, ms: (performance.now() - t0) / Math.max(1, queries.length) };
  };
  /**
   * Milliseconds per query of `a` and `b`, timed in alternating blocks of the sample (the order
   * turning every block) so that load on the machine falls on both alike; passes repeat while
   * one takes under {@link REPEAT_BELOW_MS}, up to {@link TIMED_PASSES}.
   */
  const paired = (a: VectorIndex, b: VectorIndex) => {
    const ms = [0, 0];
    let passes = 0;
    do {
      const t0 = performance.now();
      for (let start = 0; start < queries.length; start += TIMED_BLOCK) {
        for (const which of (start / TIMED_BLOCK) % 2 ? [1, 0] : [0, 1]) {
          const ix = which ? b : a;
          const t1 = performance.now();
          for (let i = start; i < Math.min(queries.length, start + TIMED_BLOCK); i++) answer(ix, i);
          ms[which] += performance.now() - t1;
        }
      }
      passes++;
      if (performance.now() - t0 >= REPEAT_BELOW_MS) break;
    } while (passes < TIMED_PASSES);
    const per = passes * Math.max(1, queries.length);
    return { a: ms[0] / per, b: ms[1] / per };
  };
  const t0 = performance.now();
  log(`calibration: exact top ${o.k} of ${queries.length} sample rows…`);
  // Truth: the float32 exact structure (usearch's SIMD shortlist of k + 17 rescored in float64 is the exact top k, ties by row).
  const exactRun = run(exact);
  const truth = exactRun.found;
  log(`calibration: truth ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const recallOf = (found: number[][], against = truth) => {
    let hit = 0;
    against.forEach((t, i) => {
      const f = new Set(found[i]);
      for (const r of t) if (f.has(r)) hit++;
    });
    return against.length === 0 ? 1 : hit / (against.length * o.k);
  };
  let best: { index: VectorIndex; ms: number; recall: number } | undefined;
  let fallback: { index: VectorIndex; ms: number; recall: number } | undefined;
  if (o.quantization === 'auto' || o.quantization === 'none') best = { index: exact, ms: exactRun.ms, recall: 1 };
  /** Measures `index`'s recall on the sample (untimed: one pass). */
  const measure = (index: VectorIndex, against = truth) => {
    const r = run(index);
    const recall = recallOf(r.found, against);
    return { index, recall, ms: r.ms, qualifies: recall >= required(index.structure) - 1e-12 };
  };
  /**
   * Keeps a candidate that qualifies if it is faster than the best so far: timed against it
   * (paired) unless their times differ by more than {@link CLEAR_RATIO}× already, which load
   * would not reverse.
   */
  const compete = (c: ReturnType<typeof measure>) => {
    const clear = best !== undefined && (c.ms * CLEAR_RATIO < best.ms || c.ms > CLEAR_RATIO * best.ms);
    const p = best && !clear ? paired(c.index, best.index) : { a: c.ms, b: best?.ms ?? Infinity };
    log(
      `calibration: ${JSON.stringify(c.index.structure)} recall ${c.recall.toFixed(4)} ${p.a.toFixed(3)} ms/query${best ? ` vs ${p.b.toFixed(3)} for the best so far${clear ? ' (apart by more than 2×: not paired)' : ''}` : ''}`,
    );
    if (p.a < p.b) best = { index: c.index, ms: p.a, recall: c.recall };
  };
  const short = (c: ReturnType<typeof measure>) =>
    log(`calibration: ${JSON.stringify(c.index.structure)} recall ${c.recall.toFixed(4)} (short, ${c.ms.toFixed(3)} ms/query untimed)`);
  // binary plain, binary centred (sign bits of x − mean), int8; each a ladder of rescore factors.
  // A larger factor only adds rows to the shortlist (recall never falls, cost never drops), so of
  // each ladder only its least factor that qualifies can win: the top step tells whether any does,
  // a bisection finds the least (recall passes only), and that one alone is timed against the best.
  for (const [quantization, centred] of [
    ['binary', false],
    ['binary', true],
    ['int8', false],
  ] as const) {
    if (o.quantization !== 'auto' && o.quantization !== quantization) continue;
    // a factor whose shortlist holds every row is the exact scan; binary keeps the first such
    const steps = o.rescores.filter((r, i) => n > o.k * r || (quantization === 'binary' && (i === 0 || n > o.k * o.rescores[i - 1])));
    if (steps.length === 0) continue;
    const at = (i: number) =>
      measure(VectorIndex.build(vectors, dims, { kind: 'exact', quantization, rescore: steps[i], ...(centred ? { centred } : {}) }));
    let least = at(steps.length - 1);
    if (!least.qualifies) {
      short(least);
      if (!fallback || least.recall > fallback.recall) fallback = least;
      continue;
    }
    for (let lo = -1, hi = steps.length - 1; hi - lo > 1; ) {
      const mid = (lo + hi) >> 1;
      const c = at(mid);
      if (c.qualifies) [hi, least] = [mid, c];
      else {
        short(c);
        lo = mid;
      }
    }
    compete(least);
  }
  const graphWorthTrying = !best || best.ms > o.graphAboveMs;
  if (n >= o.hnswFrom && !graphWorthTrying)
    log(`calibration: no HNSW graph: the best scan takes ${best!.ms.toFixed(3)} ms/query, within graphAboveMs (${o.graphAboveMs})`);
  if (
    n >= o.hnswFrom &&
    graphWorthTrying &&
    usearch() &&
    (o.quantization === 'auto' || o.quantization === 'none' || o.quantization === 'int8')
  ) {
    // The probe graph leaves the sample rows out, so that they are fresh queries to it (a graph
    // that holds a query's own row, linked to its neighbours, answers it far better than a new
    // one); the chosen beam's index is the probe graph with the sample rows added.
    const quantization = o.quantization === 'int8' ? 'int8' : 'none';
    const structure = (ef: number): AnnStructure => ({ kind: 'hnsw', quantization, rescore: quantization === 'int8' ? 2 : 1, ef });
    const inSample = new Set(rows);
    const freshTruth = queries.map((_, i) =>
      exact
        .search(queries[i], o.k + rows.length, dotScorer(vectors, queries[i]))
        .map((h) => h.row)
        .filter((r) => !inSample.has(r))
        .slice(0, o.k),
    );
    const t0 = performance.now();
    const probe = VectorIndex.build(vectors, dims, structure(o.efs[0]), {
      keys: o.keys,
      leaveOut: rows,
      onProgress: (d, t) => log(`calibration: HNSW graph ${d}/${t} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`),
    });
    const scratch = o.graphFile ? undefined : mkdtempSync(join(tmpdir(), 'shortlist-calibration-'));
    const probeFile = o.graphFile ? `${o.graphFile}.probe` : join(scratch!, 'probe.usearch');
    try {
      probe.saveGraph(probeFile);
      const probes = new Set<VectorIndex>();
      // beams in order until one qualifies (a wider beam costs more, so only that one can win), or
      // until a short one is already slower than the best so far
      for (const ef of o.efs) {
        const viewed = VectorIndex.build(vectors, dims, structure(ef), { keys: o.keys, hnswFile: probeFile, leaveOut: rows });
        probes.add(viewed);
        const c = measure(viewed, freshTruth);
        if (c.qualifies) {
          compete(c);
          break;
        }
        short(c);
        if (!fallback || c.recall > fallback.recall) fallback = c;
        if (best && c.ms >= best.ms) break;
      }
      const pick = best ?? fallback;
      if (pick && probes.has(pick.index)) {
        // the probe graph with the sample rows added (an int8 graph is rebuilt: its ranges move with the data)
        const s = pick.index.structure;
        const whole =
          quantization === 'none'
            ? VectorIndex.build(vectors, dims, s, { keys: o.keys, extendFrom: probeFile })
            : VectorIndex.build(vectors, dims, s, { keys: o.keys });
        let index = whole;
        if (o.graphFile) {
          whole.saveGraph(o.graphFile);
          index = VectorIndex.build(vectors, dims, s, { keys: o.keys, hnswFile: o.graphFile });
        }
        if (best) best = { ...best, index };
        else fallback = { ...pick, index };
      }
    } finally {
      rmSync(scratch ?? probeFile, { recursive: true, force: true });
    }
  }
  const chosen = best ?? fallback!;
  const calibration: AnnCalibration = {
    structure: chosen.index.structure,
    target: o.target,
    recall: chosen.recall,
    reached: chosen.recall >= required(chosen.index.structure) - 1e-12,
    sample: queries.length,
    ms: chosen.ms,
    exactMs: exactRun.ms,
    bytesPerVector: chosen.index.bytesPerVector,
  };
  return { calibration, index: chosen.index };
}
