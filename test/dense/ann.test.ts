/**
 * The in-process vector index (src/retrieve/ann): kernels against plain loops, quantization as
 * sentence-transformers defines it, every structure against the exact scan, filters, HNSW graphs
 * saved and memory-mapped, and the calibration's choice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dotF32, dotI8, hamming, topRows } from '../../src/retrieve/ann/kernels.ts';
import { binaryWords, int8Ranges, quantizeBinary, quantizeInt8 } from '../../src/retrieve/ann/quantize.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { calibrateIndex, dotScorer, samplePositions } from '../../src/retrieve/ann/calibrate.ts';
import { describeStructure } from '../../src/retrieve/ann/structure.ts';
import { usearch } from '../../src/retrieve/ann/usearch.ts';
import type { AnnStructure } from '../../src/retrieve/ann/structure.ts';
import { clustered } from './vectors.ts';

test('kernels: dot products over float32 and int8, Hamming over packed bits, top rows ties by lower row', () => {
  const rows = new Float32Array([1, 2, 3, 4, 5, -1, 0, 0.5, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  const q = new Float32Array([0.5, -1, 2, 0, 1]);
  assert.equal(rows.length % 5, 2); // a trailing partial row is ignored
  const got = dotF32(rows, q, new Float32Array(3));
  assert.deepEqual([...got], [0.5 - 2 + 6 + 0 + 5, -0.5 + 0 + 1 + 0 + 0, 0 + 0 + 2 + 0 + 1]);
  const codes = new Int8Array([127, -128, 3, -5, 0, 1, 2, 3]);
  assert.deepEqual(
    [...dotI8(codes, new Int8Array([127, -128, 1, 1]), new Float32Array(2))],
    [127 * 127 + 128 * 128 + 3 - 5, 0 - 128 + 2 + 3],
  );
  const bits = new Uint32Array([0xffffffff, 0, 0x0f0f0f0f, 1]);
  assert.deepEqual([...hamming(bits, new Uint32Array([0, 0]), new Float32Array(2))], [-32, -17]);
  const s = new Float32Array([0.5, 0.9, 0.1, 0.9, 0.7]);
  assert.deepEqual(
    topRows(s, 3).map((h) => h.row),
    [1, 3, 4],
  );
  assert.deepEqual(
    topRows(s, 2, (r) => r % 2 === 0).map((h) => h.row),
    [4, 0],
  );
  assert.deepEqual(
    topRows(s, 300).map((h) => h.row),
    [1, 3, 4, 0, 2],
  );
  assert.deepEqual(topRows(s, 0), []);
});

test('quantization: int8 ranges per dimension and binary sign bits, as sentence-transformers quantize_embeddings', () => {
  const rows = new Float32Array([-1, 0, 2, 1, 0, 4, 0, 0, 3]); // 3 rows × 3
  const r = int8Ranges(rows, 3);
  assert.deepEqual([...r.start], [-1, 0, 2]);
  assert.deepEqual(
    [...r.step].map((x) => +x.toFixed(6)),
    [+(2 / 255).toFixed(6), 1, +(2 / 255).toFixed(6)],
  ); // a constant dimension gets step 1
  const c = quantizeInt8(rows, r);
  // min → −128; max → 127 less float rounding (255 − ε − 128 truncates to 126, as in numpy); mid → trunc(−0.5) = 0
  assert.deepEqual(
    [...c].map((x, i) => ((i === 3 || i === 5) && x === 126 ? 127 : x)),
    [-128, -128, -128, 127, -128, 127, 0, -128, 0],
  );
  assert.deepEqual([...quantizeInt8(new Float32Array([-9, 0, 9]), r)], [-128, -128, 127]); // clamped
  const dims = 40;
  const v = new Float32Array(dims).map((_, j) => (j % 3 === 0 ? 1 : -1));
  const b = quantizeBinary(v, dims);
  assert.equal(b.length, binaryWords(dims));
  for (let j = 0; j < dims; j++) assert.equal((b[j >>> 5] >>> (j & 31)) & 1, j % 3 === 0 ? 1 : 0);
  assert.equal(quantizeBinary(new Float32Array([0, -0, 1e-9]), 3)[0], 0b100); // > 0, not ≥ 0
});

const N = 3000;
const DIMS = 64;
const base = clustered(N, DIMS, 24, 7);
const queries = clustered(50, DIMS, 24, 7, 99);

/** Exact top k rows of `q`, ties by lower row. */
function exact(q: Float32Array, k: number): number[] {
  return topRows(dotF32(base, q, new Float32Array(N)), k).map((h) => h.row);
}

function recall(search: (q: Float32Array) => number[], k = 10): number {
  let hit = 0;
  for (let i = 0; i < 50; i++) {
    const q = queries.subarray(i * DIMS, (i + 1) * DIMS);
    const want = new Set(exact(q, k));
    hit += search(q).filter((r) => want.has(r)).length;
  }
  return hit / (50 * k);
}

test('the float32 exact structure returns exactly the plain scan: same rows, same order, same scores', () => {
  const ix = VectorIndex.build(base, DIMS, { kind: 'exact', quantization: 'none', rescore: 1 });
  for (let i = 0; i < 50; i++) {
    const q = queries.subarray(i * DIMS, (i + 1) * DIMS);
    const scorer = dotScorer(base, q);
    const hits = ix.search(q, 20, scorer);
    const want = exact(q, 20);
    assert.deepEqual(
      hits.map((h) => h.row),
      want,
    );
    assert.deepEqual(
      hits.map((h) => h.score),
      [...scorer(want)],
    );
  }
  assert.equal(ix.bytesPerVector, DIMS * 4);
});

test('int8 and binary scans with rescoring: recall against the exact scan grows with the rescore factor', () => {
  const r = (quantization: 'int8' | 'binary', rescore: number) => {
    const ix = VectorIndex.build(base, DIMS, { kind: 'exact', quantization, rescore });
    return recall((q) => ix.search(q, 10, dotScorer(base, q)).map((h) => h.row));
  };
  const int8 = [1, 4].map((f) => r('int8', f));
  const binary = [1, 4, 16].map((f) => r('binary', f));
  assert.ok(int8[1] >= 0.99, `int8 rescore 4: ${int8[1]}`);
  assert.ok(int8[1] >= int8[0]);
  assert.ok(binary[0] < binary[1] && binary[1] <= binary[2], `binary: ${binary}`);
  assert.ok(binary[2] >= 0.9, `binary rescore 16: ${binary[2]}`);
  assert.equal(VectorIndex.build(base, DIMS, { kind: 'exact', quantization: 'binary', rescore: 4 }).bytesPerVector, 8);
  assert.equal(VectorIndex.build(base, DIMS, { kind: 'exact', quantization: 'int8', rescore: 4 }).bytesPerVector, DIMS);
});

test('filters: every structure returns only kept rows, and exact structures the exact top k among them', () => {
  const keep = (row: number) => row % 7 === 3;
  for (const structure of [
    { kind: 'exact', quantization: 'none', rescore: 1 },
    { kind: 'exact', quantization: 'int8', rescore: 8 },
    ...(usearch() ? [{ kind: 'hnsw', quantization: 'none', rescore: 1, ef: 128 }] : []),
  ] as AnnStructure[]) {
    const ix = VectorIndex.build(base, DIMS, structure);
    for (let i = 0; i < 10; i++) {
      const q = queries.subarray(i * DIMS, (i + 1) * DIMS);
      const rows = ix.search(q, 10, dotScorer(base, q), keep).map((h) => h.row);
      assert.equal(rows.length, 10);
      assert.ok(rows.every(keep), JSON.stringify(structure));
      if (structure.kind === 'exact' && structure.quantization === 'none')
        assert.deepEqual(
          rows,
          topRows(dotF32(base, q, new Float32Array(N)), 10, keep).map((h) => h.row),
        );
    }
  }
});

test('HNSW: a saved graph is memory-mapped back and answers like the built one; a graph of another size is refused', {
  skip: usearch() ? false : 'usearch does not load on this platform',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-ann-'));
  try {
    const structure = { kind: 'hnsw', quantization: 'none', rescore: 1, ef: 256 } as const;
    const built = VectorIndex.build(base, DIMS, structure);
    const file = join(dir, 'graph.usearch');
    built.saveGraph(file);
    const viewed = VectorIndex.build(base, DIMS, structure, { hnswFile: file });
    for (let i = 0; i < 20; i++) {
      const q = queries.subarray(i * DIMS, (i + 1) * DIMS);
      assert.deepEqual(viewed.search(q, 10, dotScorer(base, q)), built.search(q, 10, dotScorer(base, q)));
    }
    assert.ok(recall((q) => viewed.search(q, 10, dotScorer(base, q)).map((h) => h.row)) >= 0.95);
    assert.throws(() => VectorIndex.build(base.subarray(0, 100 * DIMS), DIMS, structure, { hnswFile: file }), { code: 'INDEX_MISMATCH' });
    writeFileSync(join(dir, 'junk.usearch'), 'not a graph');
    assert.throws(() => VectorIndex.build(base, DIMS, structure, { hnswFile: join(dir, 'junk.usearch') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('calibration: reaches the target with the cheapest structure it measures; a quantization restricts the candidates', () => {
  const auto = calibrateIndex(base, DIMS, { target: 0.98, sample: 60 });
  assert.ok(auto.calibration.reached);
  assert.ok(auto.calibration.recall >= 1 - 0.02 / 3 - 1e-12);
  assert.equal(auto.index.structure, auto.calibration.structure);
  const binary = calibrateIndex(base, DIMS, { target: 0.95, sample: 60, quantization: 'binary' });
  assert.equal(binary.calibration.structure.quantization, 'binary');
  assert.equal(binary.calibration.bytesPerVector, 8);
  assert.ok(binary.calibration.structure.rescore > 1);
  const none = calibrateIndex(base, DIMS, { target: 0.98, sample: 60, quantization: 'none' });
  assert.deepEqual(none.calibration.structure, { kind: 'exact', quantization: 'none', rescore: 1 }); // below hnswFrom only the scan qualifies
  assert.equal(none.calibration.recall, 1);
});

test('calibration: of each rescore ladder it keeps the least factor that reaches the target (bisection = walking the ladder)', () => {
  const target = 0.95;
  const sample = 60;
  for (const quantization of ['int8', 'binary'] as const) {
    const { calibration } = calibrateIndex(base, DIMS, { target, sample, quantization });
    // the ladder walked step by step, as the calibration defines the sample's recall (leave-one-out)
    const rows = samplePositions(base.length / DIMS, sample);
    const exact = VectorIndex.build(base, DIMS, { kind: 'exact', quantization: 'none', rescore: 1 });
    const top = (ix: VectorIndex, r: number) => {
      const q = base.subarray(r * DIMS, (r + 1) * DIMS);
      return ix
        .search(q, 11, dotScorer(base, q))
        .map((h) => h.row)
        .filter((x) => x !== r)
        .slice(0, 10);
    };
    const truth = rows.map((r) => top(exact, r));
    const recall = (rescore: number, centred?: boolean) => {
      const ix = VectorIndex.build(base, DIMS, { kind: 'exact', quantization, rescore, ...(centred ? { centred } : {}) });
      let hit = 0;
      rows.forEach((r, i) => {
        const found = new Set(top(ix, r));
        for (const t of truth[i]) if (found.has(t)) hit++;
      });
      return hit / (rows.length * 10);
    };
    const required = 1 - (1 - target) / 3;
    const s = calibration.structure;
    assert.equal(s.quantization, quantization);
    assert.ok(recall(s.rescore, s.centred) >= required - 1e-12, `${describeStructure(s)} qualifies`);
    assert.equal(calibration.recall, recall(s.rescore, s.centred));
    if (s.rescore > 1) assert.ok(recall(s.rescore / 2, s.centred) < required, `${s.rescore / 2}× does not (${describeStructure(s)})`);
  }
});

test('calibration: an HNSW graph is tried only when the best scan is slower than graphAboveMs', { skip: !usearch() }, () => {
  const tried = (graphAboveMs: number) => {
    const lines: string[] = [];
    calibrateIndex(base, DIMS, { target: 0.95, sample: 40, hnswFrom: 0, graphAboveMs, efs: [64], log: (l) => lines.push(l) });
    return {
      graph: lines.some((l) => l.includes('"kind":"hnsw"')),
      skipped: lines.some((l) => l.startsWith('calibration: no HNSW graph')),
    };
  };
  assert.deepEqual(tried(1e6), { graph: false, skipped: true }, 'every scan here takes far less than 1,000 s a query');
  assert.deepEqual(tried(0), { graph: true, skipped: false });
});
