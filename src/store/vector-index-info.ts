/**
 * The in-process vector index of a version as `info()` shows it, from what its calibration stored:
 * one shape for the directory and the Postgres store, so `shortlist info` prints both alike.
 */
import type { AnnCalibration } from '../retrieve/ann/calibrate.ts';
import { describeStructure } from '../retrieve/ann/structure.ts';
import type { VectorIndexInfo } from './types.ts';

/** `c` measured at version `calibratedAt`, restricted to `restrictedTo`; `file`: the HNSW graph's file(s), when stored. */
export function vectorIndexInfo(
  c: AnnCalibration,
  calibratedAt: number,
  restrictedTo: VectorIndexInfo['restrictedTo'],
  file?: string,
): VectorIndexInfo {
  const s = c.structure;
  return {
    path: describeStructure(s),
    kind: s.kind,
    quantization: s.quantization,
    rescore: s.rescore,
    ...(s.ef !== undefined ? { ef: s.ef } : {}),
    bytesPerVector: c.bytesPerVector,
    restrictedTo,
    calibration: { target: c.target, recall: c.recall, reached: c.reached, sample: c.sample, ms: c.ms, exactMs: c.exactMs, calibratedAt },
    ...(file ? { file } : {}),
  };
}
