/**
 * ANN benchmark: Recall@10 against exact search, build time, queries/s (one thread) and peak
 * memory of shortlist's LanceDB ANN, shortlist's exact scan, usearch and hnswlib-node, each in its
 * own child process over the same vectors.
 *
 *   node --import tsx bench/ann/run.ts [--n 100000] [--dims 384] [--queries 1000] [--exact-queries 200] [--scifact] [--scifact-docs 5183] [--scifact-max-length 256] [--systems exact,lance,usearch,hnswlib] [--lance-efs 600,2000] [--json]
 */
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCacheDir } from '../common/cache.ts';
import { cached, exactTopK, randomNormal, recallAtK } from './data.ts';
import { SYSTEMS, available } from './systems.ts';
import type { WorkerResult } from './worker.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const K = 10;

/** One row of the report. */
export interface AnnRow {
  system: string;
  settings: string;
  buildS: number;
  recall: number;
  qps: number;
  queries: number;
  peakRssMb: number;
}

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '1000' },
    'exact-queries': { type: 'string', default: '200' },
    scifact: { type: 'boolean', default: false },
    'scifact-docs': { type: 'string', default: '5183' },
    'scifact-max-length': { type: 'string', default: '256' },
    systems: { type: 'string', default: 'exact,lance,usearch,hnswlib' },
    'lance-efs': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);

const root = join(benchCacheDir(), 'ann');
let base: Float32Array, queries: Float32Array, dims: number, label: string, basePath: string, queryPath: string;
if (args.scifact) {
  const { scifactVectors } = await import('./scifact.ts');
  const maxLength = Number(args['scifact-max-length']);
  ({ base, queries, dims, basePath, queryPath } = await scifactVectors(Number(args['scifact-docs']), maxLength, log));
  label = `scifact (${base.length / dims} docs cut to ${maxLength} tokens, ${queries.length / dims} queries; bge-small shape, random weights)`;
} else {
  const n = Number(args.n);
  dims = Number(args.dims);
  const nq = Number(args.queries);
  base = cached(join(root, `normal-${n}x${dims}-s1.f32`), () => randomNormal(n, dims, 1), Float32Array);
  queries = cached(join(root, `normal-${nq}x${dims}-s2.f32`), () => randomNormal(nq, dims, 2), Float32Array);
  label = `random normal, L2-normalised (${n} × ${dims}, ${nq} queries)`;
  basePath = join(root, `normal-${n}x${dims}-s1.f32`);
  queryPath = join(root, `normal-${nq}x${dims}-s2.f32`);
}
const tag = args.scifact ? `scifact-${base.length / dims}-t${args['scifact-max-length']}` : `normal-${base.length / dims}x${dims}`;
const t0 = performance.now();
const truth = cached(join(root, `truth-${tag}-q${queries.length / dims}-k${K}.i32`), () => exactTopK(base, queries, dims, K), Int32Array);
log(`ground truth ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

if (args['lance-efs']) process.env.SHORTLIST_BENCH_LANCE_EFS = args['lance-efs'];
const rows: AnnRow[] = [];
const skipped: string[] = [];
for (const key of args.systems.split(',')) {
  const system = SYSTEMS[key];
  if (!system) throw new Error(`unknown system ${key}; use ${Object.keys(SYSTEMS).join(', ')}`);
  if (!available(key)) {
    skipped.push(`${system.name}: package does not load (for hnswlib-node run \`npm rebuild hnswlib-node\`)`);
    continue;
  }
  const nq = Math.min(queries.length / dims, key === 'exact' ? Number(args['exact-queries']) : Infinity);
  log(`running ${system.name} on ${nq} queries…`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'worker.ts'), key, basePath, queryPath, String(dims), String(K), String(nq)], {
    encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) {
    skipped.push(`${system.name}: worker exited ${child.status}`);
    continue;
  }
  const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as WorkerResult;
  for (const p of r.passes) {
    const settings = p.ef === undefined ? r.settings : `${r.settings}, ef ${p.ef}`;
    rows.push({ system: system.name, settings, buildS: r.buildS, recall: recallAtK(p.found, truth, K), qps: p.qps, queries: nq, peakRssMb: r.peakRssMb });
  }
}

if (args.json) {
  process.stdout.write(JSON.stringify({ dataset: label, k: K, rows, skipped }, null, 2) + '\n');
} else {
  const ours = rows.find((r) => r.system.startsWith('shortlist ANN')); // the first (configured) beam
  console.log(`ANN benchmark — ${label}; Recall@${K} vs exact; one query at a time, one thread`);
  console.log(`| system | settings | build s | Recall@${K} | queries/s | × shortlist ANN q/s | peak RSS MB |`);
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = ours ? (r.qps / ours.qps).toFixed(2) : '–';
    console.log(`| ${r.system} | ${r.settings} | ${r.buildS.toFixed(1)} | ${r.recall.toFixed(4)} | ${r.qps.toFixed(0)} (${r.queries} q) | ${ratio} | ${r.peakRssMb.toFixed(0)} |`);
  }
  for (const s of skipped) console.log(`skipped: ${s}`);
  if (ours) console.log(`acceptance (shortlist ANN Recall@${K} ≥ 0.98): ${ours.recall >= 0.98 ? 'PASS' : 'FAIL'} (${ours.recall.toFixed(4)})`);
}
