/**
 * End-to-end pipeline latency over scifact: retrieve 100 (BM25, or BM25 + dense fused by RRF with
 * `--hybrid`) then a MiniLM-L6-shaped cross-encoder (generated, random weights) reranks to 10.
 * Reports p50/p95 per stage and end to end, each stage's share of the total time, and the cache
 * hit rates after the query set is run a second time. The collection is built once and cached
 * under `<bench cache>/pipeline/`.
 *
 *   node --import tsx bench/pipeline/run.ts [--queries 20] [--max-length 512] [--threads 2] [--hybrid] [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Collection } from '../../src/engine/collection.ts';
import type { PipelineInput } from '../../src/pipeline/config.ts';
import { benchCacheDir } from '../common/cache.ts';
import { BENCH_MODELS, benchModel } from '../models/models.ts';
import { scifactDir } from '../models/data.ts';
import { quantile } from './quantile.ts';

/** Latency summary of one stage (or `total`). */
export interface StageRow {
  stage: string;
  p50: number;
  p95: number;
  mean: number;
  /** Share of the summed end-to-end time of the cold pass. */
  share: number;
}

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string', default: '20' },
    'max-length': { type: 'string', default: '512' },
    threads: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    hybrid: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);

const dataset = scifactDir();
if (!dataset) throw new Error('scifact not found under ../shared/datasets/scifact');
const threads = Number(args.threads);
const maxLength = Number(args['max-length']);
const rerankFolder = await benchModel(BENCH_MODELS.rerank, log);
const retrievers: PipelineInput['retrievers'] = [{ type: 'bm25' }];
if (args.hybrid) {
  const embedFolder = await benchModel(BENCH_MODELS.embed, log);
  retrievers.push({ type: 'dense', model: embedFolder, pooling: 'cls', normalize: true, maxLength: 256, threads } as never);
}
const pipeline = {
  retrievers,
  ...(args.hybrid ? { fusion: { method: 'rrf' } } : {}),
  depth: 100,
  rerank: [{ type: 'cross-encoder', model: rerankFolder, activation: 'sigmoid', maxLength, threads, keep: 10 }],
  k: 10,
} as PipelineInput;

const dir = join(benchCacheDir(), 'pipeline', `scifact-${args.hybrid ? 'hybrid' : 'bm25'}`);
if (!existsSync(join(dir, 'pipeline.json')) || !existsSync(join(dir, '.complete'))) {
  await rm(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const c = await Collection.create(dir, pipeline);
  await c.add(dataset, { onProgress: (d, t) => log(`embedded ${d}/${t}`) });
  await c.close();
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, '.complete'), '');
  log(`built collection in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${dir}`);
}
const collection = await Collection.open(dir, { pipeline });
const allQueries = readFileSync(join(dataset, 'queries.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { _id: string; text: string });
const queries = allQueries.slice(0, Number(args.queries));

/** Runs every query once; per-query stage timings and end-to-end ms. */
async function pass(): Promise<{ totals: number[]; stages: Map<string, number[]> }> {
  const totals: number[] = [];
  const stages = new Map<string, number[]>();
  for (const q of queries) {
    const t0 = performance.now();
    const r = await collection.search(q.text);
    totals.push(performance.now() - t0);
    for (const t of r.timings) (stages.get(t.stage) ?? stages.set(t.stage, []).get(t.stage)!).push(t.ms);
  }
  return { totals, stages };
}

await collection.search(allQueries.at(-1)!.text); // load models with a query outside the measured set
const warmStats = await collection.cacheStats();
const cold = await pass();
const afterCold = await collection.cacheStats();
const warm = await pass();
const afterWarm = await collection.cacheStats();
await collection.close();

function rows(p: { totals: number[]; stages: Map<string, number[]> }): StageRow[] {
  const sum = p.totals.reduce((a, b) => a + b, 0);
  const out: StageRow[] = [...p.stages].map(([stage, ms]) => {
    const s = ms.reduce((a, b) => a + b, 0);
    return { stage, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), mean: s / ms.length, share: s / sum };
  });
  out.push({ stage: 'end to end', p50: quantile(p.totals, 0.5), p95: quantile(p.totals, 0.95), mean: sum / p.totals.length, share: 1 });
  return out;
}
const rate = (before: { hits: number; misses: number }, after: { hits: number; misses: number }) => {
  const h = after.hits - before.hits;
  const m = after.misses - before.misses;
  return h + m === 0 ? NaN : h / (h + m);
};
const rerankRate = (before: typeof warmStats, after: typeof warmStats) =>
  rate(before.rerank[0] ?? { hits: 0, misses: 0 }, after.rerank[0] ?? { hits: 0, misses: 0 });
const report = {
  dataset: 'scifact',
  first: args.hybrid ? 'hybrid (BM25 + dense, RRF)' : 'BM25',
  queries: queries.length,
  threads,
  maxLength,
  cold: rows(cold),
  repeated: rows(warm),
  cache: {
    rerankHitRateCold: rerankRate(warmStats, afterCold),
    rerankHitRateRepeated: rerankRate(afterCold, afterWarm),
    queryEmbeddingHitRateRepeated: args.hybrid ? rate(afterCold.queryEmbeddings, afterWarm.queryEmbeddings) : undefined,
  },
};

if (args.json) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  console.log(
    `Pipeline benchmark — scifact, ${report.first} retrieve 100 → cross-encoder (MiniLM-L6 shape, fp32, max ${maxLength} tokens) → 10; ${queries.length} queries, ${threads} threads`,
  );
  for (const [name, rs] of [
    ['first pass (cold caches)', report.cold],
    ['same queries again (warm caches)', report.repeated],
  ] as const) {
    console.log(`\n${name}`);
    console.log('| stage | p50 ms | p95 ms | mean ms | share of time |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rs)
      console.log(`| ${r.stage} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.mean.toFixed(1)} | ${(100 * r.share).toFixed(1)} % |`);
  }
  const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)} %`);
  console.log(
    `\nrerank score cache hit rate: first pass ${pct(report.cache.rerankHitRateCold)}, repeated ${pct(report.cache.rerankHitRateRepeated)}; query embedding cache (repeated): ${pct(report.cache.queryEmbeddingHitRateRepeated)}`,
  );
}
