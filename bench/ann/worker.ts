/**
 * One ANN system in its own process: `node --import tsx bench/ann/worker.ts <key> <base.f32> <queries.f32> <dims> <k> <nq>`.
 * Prints one JSON line: build seconds, peak RSS and, per search beam, queries/s and the ids found per query.
 */
import { readFileSync } from 'node:fs';
import { SYSTEMS } from './systems.ts';

/** What a worker reports. */
export interface WorkerResult {
  key: string;
  /** The system's settings line as the worker saw them (after environment overrides). */
  settings: string;
  buildS: number;
  peakRssMb: number;
  /** One pass over the queries per search beam. */
  passes: { ef?: number; settings?: string; qps: number; found: number[][] }[];
}

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const [key, basePath, queryPath, dimsArg, kArg, nqArg] = process.argv.slice(2);
const dims = Number(dimsArg);
const k = Number(kArg);
const system = SYSTEMS[key];
const base = f32(basePath);
const queries = f32(queryPath).subarray(0, Number(nqArg) * dims);
const t0 = performance.now();
const index = await system.build(base, dims);
const buildS = (performance.now() - t0) / 1000;
const nq = queries.length / dims;
const passes: WorkerResult['passes'] = [];
for (const ef of system.efs ?? [undefined]) {
  if (ef !== undefined) await index.setEf?.(ef);
  await index.search(queries.subarray(0, dims), k); // warm-up
  const found: number[][] = [];
  const t1 = performance.now();
  for (let q = 0; q < nq; q++) found.push(await index.search(queries.subarray(q * dims, (q + 1) * dims), k));
  const qps = nq / ((performance.now() - t1) / 1000);
  passes.push({ ef, ...(index.describe ? { settings: await index.describe() } : {}), qps, found });
}
await index.close();
const result: WorkerResult = { key, settings: system.settings, buildS, peakRssMb: process.resourceUsage().maxRSS / 1024, passes };
process.stdout.write(JSON.stringify(result) + '\n');
