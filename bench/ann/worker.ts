/**
 * One ANN system in its own process: `node --import tsx bench/ann/worker.ts <key> <base.f32> <queries.f32> <dims> <k> <nq> [<add>]`.
 * Prints one JSON line: build seconds, peak RSS and, per search beam (and per variant of a system
 * that has several, timed in interleaved blocks of queries so that a shared machine's load falls on
 * each alike), queries/s and the ids found per query; with `<add>`, the time of adding that many
 * rows to the built index (see `BuiltIndex.add`).
 */
import { readFileSync } from 'node:fs';
import { SYSTEMS, type AddTiming } from './systems.ts';

/** What a worker reports. */
export interface WorkerResult {
  key: string;
  /** The system's settings line as the worker saw them (after environment overrides). */
  settings: string;
  buildS: number;
  peakRssMb: number;
  /** One pass over the queries per search beam and variant. */
  passes: { ef?: number; variant?: string; settings?: string; bytesPerVector?: number; qps: number; found: number[][] }[];
  /** Timings of adding rows after the passes, when asked for and the system can. */
  add?: AddTiming[];
}

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Queries per timed block when variants are interleaved. */
const BLOCK = 25;

const [key, basePath, queryPath, dimsArg, kArg, nqArg, addArg] = process.argv.slice(2);
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
const variants = index.variants ?? [undefined];
for (const ef of system.efs ?? [undefined]) {
  if (ef !== undefined) await index.setEf?.(ef);
  const found = variants.map(() => [] as number[][]);
  const ms = variants.map(() => 0);
  for (let v = 0; v < variants.length; v++) await index.search(queries.subarray(0, dims), k, variants[v]); // warm-up
  for (let b = 0; b < nq; b += BLOCK) {
    // the order turns every block: a variant run second finds the first one's graph nodes in cache
    for (let i = 0; i < variants.length; i++) {
      const v = (i + b / BLOCK) % variants.length;
      const t1 = performance.now();
      for (let q = b; q < Math.min(nq, b + BLOCK); q++)
        found[v].push(await index.search(queries.subarray(q * dims, (q + 1) * dims), k, variants[v]));
      ms[v] += performance.now() - t1;
    }
  }
  const settings = index.describe ? await index.describe() : undefined;
  const bytesPerVector = index.bytesPerVector?.();
  variants.forEach((variant, v) =>
    passes.push({
      ef,
      ...(variant ? { variant } : {}),
      ...(settings ? { settings } : {}),
      ...(bytesPerVector && variant !== 'usearch' ? { bytesPerVector } : {}),
      qps: nq / (ms[v] / 1000),
      found: found[v],
    }),
  );
}
const add = addArg && Number(addArg) > 0 && index.add ? await index.add(Number(addArg)) : undefined;
await index.close();
const result: WorkerResult = {
  key,
  settings: system.settings,
  buildS,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  passes,
  ...(add ? { add } : {}),
};
process.stdout.write(JSON.stringify(result) + '\n');
