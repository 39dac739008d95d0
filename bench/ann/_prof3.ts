import { createRequire } from 'node:module';
import { gaussianMixture } from './data.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { dotScorer } from '../../src/retrieve/ann/calibrate.ts';
const require = createRequire(import.meta.url);
const u = require('usearch');
const n = 20000, d = 384, nq = 1000, ef = Number(process.argv[2] ?? 64);
const base = gaussianMixture(n, d, 1000, 1);
const qs = gaussianMixture(nq, d, 1000, 2);
const raw = new u.Index({ dimensions: d, metric: u.MetricKind.IP, quantization: u.ScalarKind.F32, connectivity: 16, expansion_add: 128, expansion_search: ef, multi: false });
raw.view('/tmp/p17/g.usearch');
const viewed = VectorIndex.build(base, d, { kind: 'hnsw', quantization: 'none', rescore: 1, ef }, { hnswFile: '/tmp/p17/g.usearch' });
const fs = {
  raw10: (q: Float32Array) => Array.from(raw.search(q, 10, 1).keys, Number),
  raw26: (q: Float32Array) => Array.from(raw.search(q, 26, 1).keys, Number),
  ours: (q: Float32Array) => viewed.search(q, 10, dotScorer(base, q)),
} as Record<string, (q: Float32Array) => unknown>;
const tot: Record<string, number> = {};
for (let round = 0; round < 5; round++) for (let b = 0; b < nq; b += 50) for (const [name, f] of Object.entries(fs)) {
  const t = performance.now();
  for (let i = b; i < b + 50; i++) f(qs.subarray(i * d, (i + 1) * d));
  tot[name] = (tot[name] ?? 0) + performance.now() - t;
}
console.log(ef, Object.entries(tot).map(([k, v]) => `${k} ${(5 * nq / (v / 1000)).toFixed(0)} (${(tot.raw10 / v).toFixed(2)}x)`).join('  '));
