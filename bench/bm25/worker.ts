/**
 * One (system, dataset) measurement in its own process, so its peak RSS is its own.
 * Pipeline: 1. load corpus and queries (untimed) 2. warm-up build on a prefix of the corpus
 * 3. timed build of the full index 4. per depth: warm-up searches cycling through the queries (up to 2,000 searches or 3 s;
 * results of the first cycle kept for the run), then timed passes over all queries (at least
 * `repeats` and at least 1 s in total, no new pass after 5 s; results dropped), keeping the fastest
 * pass (the machine may be shared), then any queries the warm-up skipped (untimed)
 * 5. write the TREC run at the last depth 6. write the result JSON (timings, RSS) to `resultPath`.
 * Invoked by run.ts: `node --import tsx bench/bm25/worker.ts '<WorkerArgs as JSON>'`.
 */
import { writeFile } from 'node:fs/promises';
import { loadCorpus, loadQueries } from './dataset.ts';
import { createSystem } from './systems/registry.ts';
import { formatRun, type WorkerArgs, type WorkerResult } from './protocol.ts';

/** Warm-up: cycle through the queries until this many searches ran (small query sets need several passes to warm the JIT)… */
const WARMUP_QUERIES = 2000;
/** …or this much time passed (at least 20 searches); slow peers would otherwise take minutes. */
const WARMUP_MS = 3000;
/** Timed passes: at least `repeats`, and more until they total this long (tiny query sets)… */
const MIN_TIMED_MS = 1000;
/** …but no further pass once they total this long. */
const REPEAT_BUDGET_MS = 5000;

const args = JSON.parse(process.argv[2]) as WorkerArgs;
const docs = await loadCorpus(args.dataset);
const queries = await loadQueries(args.dataset);
const kb = () => process.resourceUsage().maxRSS;
const rssBeforeIndexKb = Math.round(process.memoryUsage().rss / 1024);

if (args.warmupDocs > 0) {
  const warm = await createSystem(args.system);
  await warm.build(docs.slice(0, Math.min(args.warmupDocs, docs.length)));
  for (const q of queries.slice(0, 50)) await warm.search(q.text, 10);
}

const system = await createSystem(args.system);
const t0 = performance.now();
await system.build(docs);
const indexMs = performance.now() - t0;

const queryMs: Record<string, number> = {};
let results: { id: string; score: number }[][] = [];
let sink = 0;
for (const depth of args.depths) {
  // Warm-up (untimed): its results are kept for the run; timed passes consume and drop theirs,
  // so retained result objects do not load the garbage collector during timing.
  results = new Array(queries.length);
  const warmStart = performance.now();
  for (let n = 0; n < 20 || (n < WARMUP_QUERIES && performance.now() - warmStart < WARMUP_MS); n++) {
    const i = n % queries.length;
    const hits = await system.search(queries[i].text, depth);
    if (n < queries.length) results[i] = hits;
  }
  queryMs[depth] = Infinity;
  let timed = 0;
  for (let rep = 0; rep === 0 || ((rep < args.repeats || timed < MIN_TIMED_MS) && timed < REPEAT_BUDGET_MS); rep++) {
    const t1 = performance.now();
    for (const q of queries) sink += (await system.search(q.text, depth)).length;
    const ms = performance.now() - t1;
    timed += ms;
    queryMs[depth] = Math.min(queryMs[depth], ms);
  }
  for (let i = 0; i < queries.length; i++) results[i] ??= await system.search(queries[i].text, depth);
}
if (args.runPath) await writeFile(args.runPath, formatRun(queries, results, args.system));

const result: WorkerResult = {
  docs: docs.length,
  queries: queries.length,
  indexMs,
  queryMs,
  rssBeforeIndexKb,
  peakRssKb: kb(),
  hits: sink,
};
await writeFile(args.resultPath, JSON.stringify(result));
