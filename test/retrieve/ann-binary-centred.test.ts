/**
 * Centred binary structures: on anisotropic vectors (every row near one common direction, as
 * embeddings of one model are), sign bits of x − the per-dimension mean shortlist far better than
 * plain sign bits; the calibration restricted to binary measures both and picks the one that
 * reaches the target; results are rescored with float32 vectors either way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrateIndex, dotScorer } from '../../src/retrieve/ann/calibrate.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { dimensionMeans, quantizeBinary } from '../../src/retrieve/ann/quantize.ts';
import { describeStructure } from '../../src/retrieve/ann/structure.ts';
import { clustered } from '../dense/vectors.ts';

const DIMS = 64;

/** Rows of a mixture shifted far along one common direction, then normalised (mean cosine ≈ 0.9). */
function anisotropic(n: number, seed: number): Float32Array {
  const rows = clustered(n, DIMS, 20, 11, seed);
  const common = clustered(1, DIMS, 1, 99);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < DIMS; j++) {
      rows[i * DIMS + j] += 3 * common[j];
      s += rows[i * DIMS + j] ** 2;
    }
    for (let j = 0; j < DIMS; j++) rows[i * DIMS + j] /= Math.sqrt(s);
  }
  return rows;
}

function recall(index: VectorIndex, exact: VectorIndex, rows: Float32Array, queries: Float32Array): number {
  let hit = 0;
  const nq = queries.length / DIMS;
  for (let i = 0; i < nq; i++) {
    const q = queries.subarray(i * DIMS, (i + 1) * DIMS);
    const want = new Set(exact.search(q, 10, dotScorer(rows, q)).map((h) => h.row));
    for (const h of index.search(q, 10, dotScorer(rows, q))) if (want.has(h.row)) hit++;
  }
  return hit / (nq * 10);
}

test('quantizeBinary with a centre takes the signs of x − centre; dimensionMeans is the per-dimension mean', () => {
  const rows = new Float32Array([1, 2, 3, 3, 2, 1]);
  assert.deepEqual([...dimensionMeans(rows, 3)], [2, 2, 2]);
  assert.deepEqual([...quantizeBinary(rows, 3)], [0b111, 0b111]);
  assert.deepEqual([...quantizeBinary(rows, 3, undefined, dimensionMeans(rows, 3))], [0b100, 0b001]);
});

test('centred sign bits shortlist anisotropic rows far better than plain ones; the binary calibration picks centred', () => {
  const rows = anisotropic(4000, 3);
  const queries = anisotropic(50, 777);
  const exact = VectorIndex.build(rows, DIMS, { kind: 'exact', quantization: 'none', rescore: 1 });
  const plain = VectorIndex.build(rows, DIMS, { kind: 'exact', quantization: 'binary', rescore: 16 });
  const centred = VectorIndex.build(rows, DIMS, { kind: 'exact', quantization: 'binary', rescore: 16, centred: true });
  const rp = recall(plain, exact, rows, queries);
  const rc = recall(centred, exact, rows, queries);
  assert.ok(rc >= 0.9 && rc > rp + 0.1, `centred ${rc} vs plain ${rp}`);
  // scores are the float32 rescoring's, whatever shortlisted the rows
  const q = queries.subarray(0, DIMS);
  for (const h of centred.search(q, 10, dotScorer(rows, q))) assert.equal(h.score, dotScorer(rows, q)([h.row])[0]);
  const { calibration } = calibrateIndex(rows, DIMS, { target: 0.95, quantization: 'binary', sample: 100 });
  assert.equal(calibration.structure.centred, true, describeStructure(calibration.structure));
  assert.match(describeStructure(calibration.structure), /^exact binary centred, rescore \d+×$/);
  assert.ok(calibration.reached);
});
