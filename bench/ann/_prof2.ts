import { gaussianMixture } from './data.ts';
import { VectorIndex } from '../../src/retrieve/ann/index.ts';
import { dotScorer } from '../../src/retrieve/ann/calibrate.ts';
const n = 20000, d = 384, nq = 1000;
const base = gaussianMixture(n, d, 1000, 1);
const qs = gaussianMixture(nq, d, 1000, 2);
const viewed = VectorIndex.build(base, d, { kind: 'hnsw', quantization: 'none', rescore: 1, ef: 64 }, { hnswFile: '/tmp/p17/g.usearch' });
const t = performance.now();
for (let r = 0; r < 5; r++) for (let i = 0; i < nq; i++) { const q = qs.subarray(i * d, (i + 1) * d); viewed.search(q, 10, dotScorer(base, q)); }
console.log((5 * nq / ((performance.now() - t) / 1000)).toFixed(0));
