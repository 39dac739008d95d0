import { randomNormal } from './data.ts';
import { dotScorer } from '../../src/retrieve/ann/calibrate.ts';
const d = 384, base = randomNormal(20000, d, 1), qs = randomNormal(1000, d, 2);
let sink = 0;
const t = performance.now();
for (let r = 0; r < 20; r++) for (let i = 0; i < 1000; i++) {
  const q = qs.subarray(i * d, (i + 1) * d);
  const rows = Array.from({ length: 10 }, (_, j) => (i * 37 + j * 1931) % 20000);
  const s = dotScorer(base, q)(rows);
  const hits = rows.map((row, k) => ({ row, score: s[k] })).sort((a, b) => b.score - a.score || a.row - b.row);
  sink += hits[0].score;
}
console.log(((performance.now() - t) / 20000 * 1000).toFixed(1), 'µs/query', sink > 0);
