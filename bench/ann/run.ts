/**
 * ANN benchmark: Recall@10 against exact search, build time, queries/s (one thread) and peak
 * memory of shortlist's dense retriever (the LanceDB store, its ANN search calibrated to the
 * store's target recall at commit), shortlist's exact scan, usearch and hnswlib-node, each in its
 * own child process over the same vectors. One table per data set: random-normal vectors of each
 * size in `--sizes` (e.g. `100k,1m`), and scifact's embeddings with `--scifact` (`--sizes none`
 * for scifact alone).
 *
 * `--clustered 200k,1m` adds Gaussian-mixture sets (1,000 clusters) of those sizes.
 *
 *   node --import tsx bench/ann/run.ts [--sizes 100k] [--clustered 200k] [--dims 384] [--queries 1000] [--exact-queries 200] [--scifact] [--scifact-docs 5183] [--scifact-max-length 256] [--systems exact,flat,lance,usearch,hnswlib] [--lance-efs 600,2000] [--ann-recall 0.98] [--json]
 */
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCacheDir } from '../common/cache.ts';
import { cached, exactTopK, gaussianMixture, randomNormal, recallAtK } from './data.ts';
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
    sizes: { type: 'string', default: '100k' },
    clustered: { type: 'string' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '1000' },
    'exact-queries': { type: 'string', default: '200' },
    scifact: { type: 'boolean', default: false },
    'scifact-docs': { type: 'string', default: '5183' },
    'scifact-max-length': { type: 'string', default: '256' },
    systems: { type: 'string', default: 'exact,flat,lance,usearch,hnswlib' },
    'lance-efs': { type: 'string' },
    'ann-recall': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);

const root = join(benchCacheDir(), 'ann');
if (args['lance-efs']) process.env.SHORTLIST_BENCH_LANCE_EFS = args['lance-efs'];
if (args['ann-recall']) process.env.SHORTLIST_BENCH_ANN_RECALL = args['ann-recall'];

/** One data set: base and query vectors, each also in a file the workers read. */
interface DataSet {
  label: string;
  tag: string;
  base: Float32Array;
  queries: Float32Array;
  dims: number;
  basePath: string;
  queryPath: string;
}

/** `100k` → 100000, `1m` → 1000000, `5000` → 5000. */
function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--sizes: ${s} is not a size like 100k or 1m`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1));
}

function normalSet(n: number): DataSet {
  const dims = Number(args.dims);
  // The exact ground truth costs n × queries × dims in plain JS: fewer queries for a million rows.
  const nq = n >= 1e6 ? Math.min(Number(args.queries), 200) : Number(args.queries);
  const basePath = join(root, `normal-${n}x${dims}-s1.f32`);
  const queryPath = join(root, `normal-${nq}x${dims}-s2.f32`);
  const base = cached(basePath, () => randomNormal(n, dims, 1), Float32Array);
  const queries = cached(queryPath, () => randomNormal(nq, dims, 2), Float32Array);
  return { label: `random normal, L2-normalised (${n} × ${dims}, ${nq} queries)`, tag: `normal-${n}x${dims}`, base, queries, dims, basePath, queryPath };
}

function mixtureSet(n: number): DataSet {
  const dims = Number(args.dims);
  const nq = n >= 1e6 ? Math.min(Number(args.queries), 200) : Number(args.queries);
  const basePath = join(root, `mixture-${n}x${dims}-c1000-s1.f32`);
  const queryPath = join(root, `mixture-${nq}x${dims}-c1000-s2.f32`);
  const base = cached(basePath, () => gaussianMixture(n, dims, 1000, 1), Float32Array);
  const queries = cached(queryPath, () => gaussianMixture(nq, dims, 1000, 2), Float32Array);
  return { label: `Gaussian mixture, 1,000 clusters, L2-normalised (${n} × ${dims}, ${nq} queries)`, tag: `mixture-${n}x${dims}`, base, queries, dims, basePath, queryPath };
}

async function scifactSet(): Promise<DataSet> {
  const { scifactVectors } = await import('./scifact.ts');
  const maxLength = Number(args['scifact-max-length']);
  const { base, queries, dims, basePath, queryPath } = await scifactVectors(Number(args['scifact-docs']), maxLength, log);
  const label = `scifact (${base.length / dims} docs cut to ${maxLength} tokens, ${queries.length / dims} queries; bge-small shape, random weights)`;
  return { label, tag: `scifact-${base.length / dims}-t${maxLength}`, base, queries, dims, basePath, queryPath };
}

/** Runs every system on `set` in its own process; the rows and what was skipped. */
function runSet(set: DataSet): { rows: AnnRow[]; skipped: string[] } {
  const { base, queries, dims } = set;
  const t0 = performance.now();
  const truth = cached(join(root, `truth-${set.tag}-q${queries.length / dims}-k${K}.i32`), () => exactTopK(base, queries, dims, K), Int32Array);
  log(`${set.label}: ground truth ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const rows: AnnRow[] = [];
  const skipped: string[] = [];
  for (const key of args.systems.split(',')) {
    const system = SYSTEMS[key];
    if (!system) throw new Error(`unknown system ${key}; use ${Object.keys(SYSTEMS).join(', ')}`);
    if (!available(key)) {
      skipped.push(`${system.name}: package does not load (run \`npm rebuild usearch hnswlib-node\`)`);
      continue;
    }
    const nq = Math.min(queries.length / dims, key === 'exact' || key === 'flat' ? Number(args['exact-queries']) : Infinity);
    log(`running ${system.name} on ${nq} queries…`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'worker.ts'), key, set.basePath, set.queryPath, String(dims), String(K), String(nq)], {
      encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) {
      skipped.push(`${system.name}: worker exited ${child.status}`);
      continue;
    }
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as WorkerResult;
    for (const p of r.passes) {
      const settings = p.settings ?? (p.ef === undefined ? r.settings : `${r.settings}, ef ${p.ef}`);
      rows.push({ system: system.name, settings, buildS: r.buildS, recall: recallAtK(p.found, truth, K), qps: p.qps, queries: nq, peakRssMb: r.peakRssMb });
    }
  }
  return { rows, skipped };
}

/** The markdown table of one data set, with queries/s as a multiple of shortlist's (calibrated) dense retriever. */
function printSet(label: string, rows: AnnRow[], skipped: string[]): void {
  const ours = rows.find((r) => r.system.startsWith('shortlist index')) ?? rows.find((r) => r.system.startsWith('shortlist dense')); // the first pass: the calibrated setting
  console.log(`\nANN benchmark — ${label}; Recall@${K} vs exact; one query at a time, one thread`);
  console.log(`| system | settings | build s | Recall@${K} | queries/s | × ${ours?.system ?? 'shortlist'} q/s | peak RSS MB |`);
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = ours ? (r.qps / ours.qps).toFixed(2) : '–';
    console.log(`| ${r.system} | ${r.settings} | ${r.buildS.toFixed(1)} | ${r.recall.toFixed(4)} | ${r.qps.toFixed(0)} (${r.queries} q) | ${ratio} | ${r.peakRssMb.toFixed(0)} |`);
  }
  for (const s of skipped) console.log(`skipped: ${s}`);
  if (ours) console.log(`acceptance (${ours.system} Recall@${K} ≥ 0.98): ${ours.recall >= 0.98 ? 'PASS' : 'FAIL'} (${ours.recall.toFixed(4)})`);
  if (ours) {
    // the best peer pass at a recall no lower than ours (equal recall), and the peers' fastest at any recall ≥ 0.98
    const peers = rows.filter((r) => !r.system.startsWith('shortlist'));
    const atEqual = peers.filter((r) => r.recall >= ours.recall - 0.002).sort((a, b) => b.qps - a.qps)[0];
    if (atEqual) console.log(`fastest peer at Recall@${K} ≥ ${(ours.recall - 0.002).toFixed(4)}: ${atEqual.system} ${atEqual.settings} ${atEqual.qps.toFixed(0)} q/s → ${ours.system} is ${(ours.qps / atEqual.qps).toFixed(2)}×`);
    else console.log(`no peer pass reached Recall@${K} ${ours.recall.toFixed(4)}`);
  }
}

const sets: (() => DataSet | Promise<DataSet>)[] = [];
for (const size of args.sizes === 'none' ? [] : args.sizes.split(',')) sets.push(() => normalSet(parseSize(size)));
for (const size of args.clustered ? args.clustered.split(',') : []) sets.push(() => mixtureSet(parseSize(size)));
if (args.scifact) sets.push(scifactSet);
const report: { dataset: string; k: number; rows: AnnRow[]; skipped: string[] }[] = [];
for (const make of sets) {
  const set = await make();
  const { rows, skipped } = runSet(set);
  report.push({ dataset: set.label, k: K, rows, skipped });
  if (!args.json) printSet(set.label, rows, skipped);
}
if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
