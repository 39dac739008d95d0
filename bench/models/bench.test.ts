/**
 * Unit tests of the model bench's pure parts (no ../shared needed): the FLOP formula, statistics,
 * the MatMul probe graph, query/document selection, the missing-dataset path and the report.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { SHAPES } from '../../scripts/models/shapes.ts';
import { median, pearson, ranks, spearman } from '../common/stats.ts';
import { loadBenchData, pickQuery, scifactDir } from './data.ts';
import { matmulFlops, usefulFlops } from './flops.ts';
import { matmulModel, MatMulPeak } from './matmul-peak.ts';
import { buildReport, type Measurements } from './report.ts';
import { SYSTEMS } from './systems.ts';

describe('usefulFlops', () => {
  it('counts 2·matmul params per token plus 4·T²·H attention per layer', () => {
    const shape = { layers: 1, hidden: 4, heads: 1, intermediate: 8 };
    // dense: 2·T·(4·16 + 2·32) = 256·T; attention 4·T²·4 = 16·T²; T = 3 → 768 + 144
    assert.equal(usefulFlops(shape, [3], 'encoder'), 912);
    assert.equal(usefulFlops(shape, [3], 'classifier'), 912 + 2 * (16 + 4));
    assert.equal(usefulFlops(shape, [3, 3], 'encoder'), 2 * 912);
  });

  it('gives the issue-3 scale: ≈15.4k MiniLM-L6 tokens in 50 pairs ≈ 363 GFLOP', () => {
    const gflop = usefulFlops(SHAPES['minilm-l6'], new Array(50).fill(308), 'classifier') / 1e9;
    assert.ok(gflop > 355 && gflop < 375, `${gflop}`);
  });

  it('matmulFlops is 2mkn', () => assert.equal(matmulFlops(2, 3, 4), 48));
});

describe('stats', () => {
  it('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
  it('ranks share ties', () => assert.deepEqual(ranks([10, 20, 10, 5]), [2.5, 4, 2.5, 1]));
  it('pearson and spearman', () => {
    assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
    assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
    assert.ok(Math.abs(spearman([1, 2, 3, 4], [1, 8, 27, 64]) - 1) < 1e-12);
    assert.ok(pearson([1, 2, 3, 4], [1, 8, 27, 64]) < 1);
  });
});

describe('MatMul probe', () => {
  it('the one-node graph multiplies A by its constant B', async () => {
    const session = await ort.InferenceSession.create(matmulModel(2, 3, 4), { intraOpNumThreads: 1 });
    try {
      const a = Float32Array.of(1, 0, 0, 0, 1, 1);
      const y = (await session.run({ A: new ort.Tensor('float32', a, [2, 3]) })).Y;
      assert.deepEqual(y.dims, [2, 4]);
      const data = y.data as Float32Array;
      assert.ok(data.some((x) => x !== 0));
      // Row 1 = B[1] + B[2]; row 0 = B[0]: not equal for the seeded B.
      assert.notDeepEqual(Array.from(data.slice(0, 4)), Array.from(data.slice(4, 8)));
    } finally {
      await session.release();
    }
  });

  it('measures positive sustained GFLOP/s for every shape', async () => {
    const peak = await MatMulPeak.create(1);
    try {
      const out = await peak.measure(60);
      assert.equal(Object.keys(out).length, 3);
      for (const v of Object.values(out)) assert.ok(v.wall > 0 && v.cpu > 0);
    } finally {
      await peak.dispose();
    }
  });
});

describe('data', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

  it('picks the first 10-word query, else the closest', () => {
    assert.equal(pickQuery([words(3), words(10), words(10) + ' x']), words(10));
    assert.equal(pickQuery([words(3), words(12), words(9)]), words(9));
    assert.equal(pickQuery([words(3), words(11), words(9)]), words(11));
  });

  it('is absent without the dataset, and picks 150–250-word documents in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-models-'));
    assert.equal(scifactDir(dir), undefined);
    const scifact = join(dir, 'datasets', 'scifact');
    const corpus = [
      { _id: 'a', title: 'short', text: words(20) },
      { _id: 'b', title: 'T', text: words(199) },
      { _id: 'c', title: '', text: words(300) },
      { _id: 'd', title: 'U', text: words(160) },
    ];
    mkdirSync(scifact, { recursive: true });
    writeFileSync(join(scifact, 'corpus.jsonl'), corpus.map((c) => JSON.stringify(c)).join('\n'));
    writeFileSync(join(scifact, 'queries.jsonl'), JSON.stringify({ _id: 'q', text: words(10) }));
    assert.equal(scifactDir(dir), scifact);
    const data = loadBenchData(scifact, 2);
    assert.deepEqual(data.ids, ['b', 'd']);
    assert.equal(data.docs[0], `T\n${words(199)}`);
    assert.throws(() => loadBenchData(scifact, 3), /only 2 documents/);
  });
});

describe('report', () => {
  it('derives ratios, % of peak, waste, correlations and acceptance', () => {
    const shape = SHAPES['minilm-l6'];
    const lengths = [300, 200];
    const flops = usefulFlops(shape, lengths, 'classifier');
    const m: Measurements = {
      times: {
        'shortlist@2': [100, 110, 90],
        'transformers.js@2': [300, 310, 290],
        'shortlist-int8@2': [50, 60, 40],
        'ort-padded@2': [200, 200, 200],
      },
      cpuTimes: {
        'shortlist@2': [200, 200, 200],
        'transformers.js@2': [600, 600, 600],
        'shortlist-int8@2': [100, 100, 100],
        'ort-padded@2': [400, 400, 400],
      },
      values: { 'shortlist@2': [1, 2], 'shortlist-int8@2': [1.1, 2.1], 'transformers.js@2': [1, 2.00001] },
      padded: { 'shortlist@2': 500, 'transformers.js@2': 600 },
      tokens: {},
      loadMs: {},
      maxRssMB: { shortlist: 123 },
      peak: { '512x384x1536': [flops / 100 / 1e6, flops / 75 / 1e6, flops / 50 / 1e6] },
      peakCpu: { '512x384x1536': [flops / 200 / 1e6] },
      failures: {},
    };
    const report = buildReport({
      cli: { docs: [2], runs: 3, warmup: 0, threads: 2 },
      machine: { cpus: 2, cpu: 'test', loadBefore: [0, 0, 0], loadAfter: [0, 0, 0], node: 'v0' },
      data: { source: 'test', query: 'q', ids: ['a', 'b'] },
      models: { rerank: { folder: 'f', shape, head: 'classifier' }, embed: { folder: 'g', shape: SHAPES['bge-small'], head: 'encoder' } },
      lengths: { rerank: lengths, embed: lengths },
      systems: SYSTEMS.filter((s) => s.task === 'rerank'),
      measurements: m,
    });
    const section = report.sections[0];
    assert.equal(report.sections.length, 1);
    assert.equal(section.tokens, 500);
    assert.ok(Math.abs(section.paddedToLongestWaste - (1 - 500 / 600)) < 1e-12);
    const row = section.rows.find((r) => r.id === 'shortlist')!;
    assert.equal(row.medianMs, 100);
    assert.equal(row.vsTransformers, 3);
    assert.equal(row.vsOrtPadded, 2);
    assert.equal(row.paddingWaste, 0);
    assert.equal(row.maxRssMB, 123);
    // peak median = flops / 75 ms; shortlist median 100 ms → 75%; best 90 ms vs best flops / 50 ms → 5/9.
    assert.ok(Math.abs(row.ofPeak - 0.75) < 1e-9);
    assert.ok(Math.abs(row.ofPeakBest - 50 / 90) < 1e-9);
    assert.ok(Math.abs(row.ofPeakCpu - 1) < 1e-9);
    assert.equal(report.quality['int8_vs_fp32_pearson@2'], 1);
    const checks = Object.fromEntries(report.acceptance.map((c) => [c.name.split(':')[1].trim(), c]));
    assert.deepEqual(checks['shortlist fp32 speed vs transformers.js'].pass, { median: true, best: true, cpu: true });
    assert.equal(checks['shortlist fp32 speed vs transformers.js'].values.best, '3.22x');
    assert.deepEqual(checks['int8 speed vs fp32 (shortlist)'].pass, { median: true, best: true, cpu: true });
    assert.deepEqual(checks['shortlist padding waste'].pass, { exact: true });
  });
});
