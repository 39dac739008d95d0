/**
 * Calibration of the ANN search: instead of a fixed HNSW beam (`ef`), a commit that (re)builds the
 * index measures which beam reaches a target Recall@10 on this collection's own vectors.
 *
 * A seeded sample of stored chunks serves as leave-one-out queries: each query's own row is dropped
 * from both its exact and its approximate top k. The beam doubles from {@link ANN_LADDER}'s first
 * step until the sample's recall meets the target; when the beam that meets it is not faster than
 * the exact scan (or no beam meets it), searches use the exact scan.
 *
 * Stored vectors are easier queries than new ones: each sits in the graph, linked to its own
 * neighbours. On 100k random-normal 384-d vectors, ef 3200 missed 0.9% of the sample's exact top
 * 10 but 2.3% of 1000 fresh queries'; so the sample may miss at most (1 − target) /
 * {@link SAMPLE_MISS_FACTOR} to meet the target.
 */

/** How searches use the ANN index, as the last index (re)build calibrated it; stored in the manifest. */
export interface AnnSearchSetting {
  /** `ann`: through the index with `ef` and `refine`; `exact`: a flat scan (the index was not faster at the target). */
  mode: 'ann' | 'exact';
  /** HNSW beam of the last step tried (the chosen one in `ann` mode). */
  ef: number;
  /** Candidates re-scored with full vectors, as a multiple of k. */
  refine: number;
  /** Target Recall@10 of the calibration (the sample had to reach 1 − (1 − target) / {@link SAMPLE_MISS_FACTOR}). */
  target: number;
  /** Recall@10 the sample measured with `ef` and `refine` (against the exact scan). */
  recall: number;
  /** Queries in the sample. */
  sample: number;
  /** Mean milliseconds per sample query through the index at `ef`. */
  annMs: number;
  /** Mean milliseconds per sample query of the exact scan. */
  exactMs: number;
}

/** Searches the calibration runs; each returns chunk ids, best first. */
export interface CalibrationProbe {
  /** The exact `limit` nearest chunks. */
  exact(vector: Float32Array, limit: number): Promise<string[]>;
  /** The `limit` nearest chunks through the index with beam `ef` and refine factor `refine`. */
  ann(vector: Float32Array, limit: number, ef: number, refine: number): Promise<string[]>;
}

/** Options of {@link calibrateAnn}. */
export interface CalibrationOptions {
  /** Target Recall@k of the sample. */
  target: number;
  /** Results per query whose recall is measured. @default 10 */
  k?: number;
  /** Refine factor of every step. */
  refine: number;
  /** The sample may miss at most (1 − target) / missFactor of its exact top k. @default SAMPLE_MISS_FACTOR */
  missFactor?: number;
  /** Beams to try, in order (each step should cost more than the one before). @default ANN_LADDER */
  ladder?: readonly number[];
}

/** How many times fewer misses the sample may have than the target allows (see the module comment). */
export const SAMPLE_MISS_FACTOR = 3;

/** Beams the calibration tries, cheapest first. */
export const ANN_LADDER: readonly number[] = Object.freeze([100, 200, 400, 800, 1600, 3200, 6400, 12800]);

/** A seeded sample of distinct positions (the same sample the in-process index calibrates on). */
export { samplePositions } from '../../core/random.ts';

/** Share of `truth[i]`'s ids found in `found[i]`, over all queries. */
export function sampleRecall(found: readonly (readonly string[])[], truth: readonly (readonly string[])[]): number {
  let hit = 0;
  let want = 0;
  truth.forEach((t, i) => {
    const f = new Set(found[i]);
    want += t.length;
    for (const id of t) if (f.has(id)) hit++;
  });
  return want === 0 ? 1 : hit / want;
}

/** Chooses the ANN setting for `sample` (stored chunks, their ids and vectors); see the module comment. */
export async function calibrateAnn(
  sample: readonly { id: string; vector: Float32Array }[],
  probe: CalibrationProbe,
  options: CalibrationOptions,
): Promise<AnnSearchSetting> {
  const k = options.k ?? 10;
  const ladder = options.ladder ?? ANN_LADDER;
  const required = 1 - (1 - options.target) / (options.missFactor ?? SAMPLE_MISS_FACTOR);
  const others = (self: string, ids: string[]) => ids.filter((id) => id !== self).slice(0, k);
  const t0 = performance.now();
  const truth: string[][] = [];
  for (const s of sample) truth.push(others(s.id, await probe.exact(s.vector, k + 1)));
  const exactMs = (performance.now() - t0) / Math.max(1, sample.length);
  let last: AnnSearchSetting | undefined;
  for (const ef of ladder) {
    const t1 = performance.now();
    const found: string[][] = [];
    for (const s of sample) found.push(others(s.id, await probe.ann(s.vector, k + 1, ef, options.refine)));
    const annMs = (performance.now() - t1) / Math.max(1, sample.length);
    last = {
      mode: 'ann',
      ef,
      refine: options.refine,
      target: options.target,
      recall: sampleRecall(found, truth),
      sample: sample.length,
      annMs,
      exactMs,
    };
    if (annMs >= exactMs) return { ...last, mode: 'exact' };
    if (last.recall >= required - 1e-12) return last;
  }
  return last
    ? { ...last, mode: 'exact' }
    : { mode: 'exact', ef: 0, refine: options.refine, target: options.target, recall: 1, sample: 0, annMs: 0, exactMs };
}
