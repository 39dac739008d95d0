/**
 * The calibration's HNSW probe: a graph built (or viewed) without some rows never returns them, so
 * that they are fresh queries to it; the graph extended from the probe's file holds every row again
 * and finds each left-out row from its own vector. The calibrated graph holds every row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { calibrateIndex, dotScorer } from '../../src/retrieve/ann/calibrate.ts';
import { usearch } from '../../src/retrieve/ann/usearch.ts';
import { clustered } from '../dense/vectors.ts';

const DIMS = 24;
const skip = usearch() ? false : 'usearch does not load on this platform';
const hnsw = (ef: number) => ({ kind: 'hnsw', quantization: 'none', rescore: 1, ef }) as const;

test('a probe graph leaves rows out; extended from its file, it holds them again', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-probe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const n = 1500;
  const vectors = clustered(n, DIMS, 8, 11);
  const out = Array.from({ length: 50 }, (_, i) => i * 29);
  const gone = new Set(out);
  const own = (r: number) => vectors.subarray(r * DIMS, (r + 1) * DIMS);
  const probe = VectorIndex.build(vectors, DIMS, hnsw(200), { leaveOut: out });
  for (const r of out) {
    const hits = probe.search(own(r), 20, dotScorer(vectors, own(r)));
    assert.equal(hits.length, 20);
    assert.ok(!hits.some((h) => gone.has(h.row)), `row ${r}: a left-out row was returned`);
  }
  const file = join(dir, 'probe.usearch');
  probe.saveGraph(file);
  const viewed = VectorIndex.build(vectors, DIMS, hnsw(200), { hnswFile: file, leaveOut: out });
  assert.ok(!out.some((r) => gone.has(viewed.search(own(r), 1, dotScorer(vectors, own(r)))[0].row)));
  assert.throws(() => VectorIndex.build(vectors, DIMS, hnsw(200), { hnswFile: file }), /holds 1450 vectors/);
  const whole = VectorIndex.build(vectors, DIMS, hnsw(200), { extendFrom: file });
  for (const r of out) assert.equal(whole.search(own(r), 1, dotScorer(vectors, own(r)))[0].row, r, `row ${r} is back`);
});

test('the calibrated HNSW graph (measured on a probe) holds every row, in memory and in its saved file', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-probe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const n = 2500;
  const vectors = clustered(n, DIMS, 8, 12);
  const graphFile = join(dir, 'graph.usearch');
  const lines: string[] = [];
  // only HNSW and the float32 scan compete; whichever wins, an HNSW index must hold all rows
  const { calibration, index } = calibrateIndex(vectors, DIMS, {
    quantization: 'none',
    hnswFrom: 0,
    graphAboveMs: 0,
    efs: [32, 64],
    sample: 60,
    graphFile,
    log: (l) => lines.push(l),
  });
  assert.ok(
    lines.some((l) => l.includes('"kind":"hnsw"')),
    'HNSW was measured',
  );
  if (calibration.structure.kind === 'hnsw') {
    assert.equal(index.size, n);
    const reopened = VectorIndex.build(vectors, DIMS, calibration.structure, { hnswFile: graphFile });
    let self = 0;
    for (let r = 0; r < n; r += 7) {
      const q = vectors.subarray(r * DIMS, (r + 1) * DIMS);
      if (reopened.search(q, 1, dotScorer(vectors, q))[0].row === r) self++;
    }
    assert.ok(self / Math.ceil(n / 7) >= 0.99, `rows found from their own vectors: ${self}`);
  } else t.diagnostic(`the float32 scan was faster here (${calibration.ms.toFixed(3)} ms/query); the HNSW probe was measured`);
});
