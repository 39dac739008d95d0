/**
 * The WebAssembly SIMD kernels of the vector index: Hamming scores and float32 dot products equal
 * the plain-JS kernels; a quantized scan answered through them (SIMD Hamming shortlist, histogram
 * cut, SIMD float32 cut to limit + 16, float64 rescoring) returns what the plain path returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simdDots, simdHamming, simdKernels, simdModuleBytes } from '../../src/retrieve/ann/wasm-simd.ts';
import { hamming, topRows } from '../../src/retrieve/ann/kernels.ts';
import { binaryWords, dimensionMeans, int8Ranges, quantizeBinary, quantizeInt8 } from '../../src/retrieve/ann/quantize.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { dotScorer } from '../../src/retrieve/ann/calibrate.ts';
import { clustered } from '../dense/vectors.ts';

const skip = simdKernels(65536) ? false : 'WebAssembly SIMD is not available here';

test('the module validates', () => {
  const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
  assert.equal(wasm.validate(simdModuleBytes()), true);
});

test('SIMD Hamming and dot products equal the plain kernels', { skip }, () => {
  for (const dims of [384, 48, 100]) {
    const n = 257;
    const rows = clustered(n, dims, 5, dims);
    const w = binaryWords(dims);
    const bits = quantizeBinary(rows, dims);
    const h = simdHamming(bits, w)!;
    for (let qi = 0; qi < 5; qi++) {
      const q = quantizeBinary(rows.subarray(qi * 13 * dims, (qi * 13 + 1) * dims), dims);
      assert.deepEqual([...h.score(q)], [...hamming(bits, q, new Float32Array(n))], `dims ${dims}`);
    }
    const dots = simdDots(rows, dims);
    if (dims % 16 !== 0) {
      assert.equal(dots, undefined, 'dims not a multiple of 16: no SIMD dots');
      continue;
    }
    const q = rows.slice(5 * dims, 6 * dims);
    const picked = [3, 0, 256, 17, 17, 100];
    const got = dots!.score(picked, q);
    const want = dotScorer(rows, q)(picked);
    picked.forEach((_, i) => assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `row ${picked[i]}: ${got[i]} vs ${want[i]}`));
    assert.equal(simdDots(rows, dims), dots, 'one copy per matrix');
  }
});

test('quantized scans through the SIMD kernels return what the plain path returns', { skip }, () => {
  const dims = 64;
  const n = 3000;
  const rows = clustered(n, dims, 12, 21);
  const queries = clustered(30, dims, 12, 21, 99);
  const centre = dimensionMeans(rows, dims);
  const ranges = int8Ranges(rows, dims);
  const codes = quantizeInt8(rows, ranges);
  for (const s of [
    { kind: 'exact', quantization: 'binary', rescore: 16 },
    { kind: 'exact', quantization: 'binary', rescore: 16, centred: true },
    { kind: 'exact', quantization: 'int8', rescore: 16 },
  ] as const) {
    const ix = VectorIndex.build(rows, dims, s);
    for (let qi = 0; qi < 30; qi++) {
      const q = queries.slice(qi * dims, (qi + 1) * dims);
      for (const [limit, keep] of [
        [10, undefined],
        [10, (r: number) => r % 3 === 0],
        [40, undefined],
      ] as const) {
        const got = ix.search(q, limit, dotScorer(rows, q), keep);
        // the plain path: every row's code scored in JS, the best limit × rescore (ties: lower row), all rescored in float64
        const scores =
          s.quantization === 'binary'
            ? hamming(
                quantizeBinary(rows, dims, undefined, s.centred ? centre : undefined),
                quantizeBinary(q, dims, undefined, s.centred ? centre : undefined),
                new Float32Array(n),
              )
            : (() => {
                const qc = quantizeInt8(q, ranges);
                return Float32Array.from({ length: n }, (_, r) => {
                  let d = 0;
                  for (let j = 0; j < dims; j++) d += codes[r * dims + j] * qc[j];
                  return d;
                });
              })();
        const shortlist = topRows(scores, limit * s.rescore, keep).map((h) => h.row);
        const exact = dotScorer(rows, q)(shortlist);
        const want = shortlist
          .map((row, i) => ({ row, score: exact[i] }))
          .sort((a, b) => b.score - a.score || a.row - b.row)
          .slice(0, limit);
        if (s.quantization === 'binary') assert.deepEqual(got, want, `${JSON.stringify(s)} query ${qi} limit ${limit}`);
        else {
          // usearch's int8 scan may order equal int8 scores differently at the shortlist's edge
          const same = got.filter((h) => want.some((x) => x.row === h.row && x.score === h.score)).length;
          assert.ok(same >= limit - 1, `${JSON.stringify(s)} query ${qi}: ${same}/${limit}`);
        }
      }
    }
  }
});
