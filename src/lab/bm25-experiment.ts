/**
 * BM25 experiments on a BEIR dataset, as `shortlist eval` runs them:
 * 1. open the dataset → 2. reuse the cached index for this corpus + analyzer, or build and cache it
 * → 3. run every judged query at `depth` → 4. score the run with trec_eval's definitions, and
 * report what did not line up (qrels naming unknown queries or documents).
 * The cache lives in the user's cache directory, never inside the dataset folder.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cacheDir } from '../core/paths.ts';
import { countLines } from '../core/jsonl.ts';
import { Bm25Index, type Bm25Params } from '../retrieve/bm25/index.ts';
import { FORMAT_VERSION } from '../retrieve/bm25/persist.ts';
import { documentTexts, resolveAnalyzer } from '../text/detect.ts';
import { openBeir, judgedQueries, type DuplicatePolicy } from '../eval/beir.ts';
import { checkQrels, evaluate, type EvalResult, type QrelsCheck } from '../eval/evaluate.ts';
import type { Run } from '../eval/types.ts';

/** Options for {@link runBm25Experiment}. */
export interface Bm25ExperimentOptions extends Bm25Params {
  /** Qrels split (`qrels/<split>.tsv`). @default 'test' */
  split?: string;
  /** Metrics to report. @default ['ndcg@10', 'recall@100', 'map'] */
  metrics?: string[];
  /** How many documents each query retrieves. @default 1000 */
  depth?: number;
  /** Analyzer name. @default 'english' */
  analyzer?: string;
  /** Duplicate document ids: fail, or keep the last. @default 'error' */
  onDuplicate?: DuplicatePolicy;
  /** Reuse (and store) the index in the cache. @default true */
  cache?: boolean;
  /** Called while the index builds, with documents done and the total (corpus lines; 0 when unknown). */
  onProgress?: (done: number, total: number) => void;
}

/** What one experiment produced. */
export interface Bm25Experiment {
  dataset: string;
  split: string;
  documents: number;
  queries: number;
  /** Where the index is cached, and whether it was reused. */
  index: { dir: string | null; reused: boolean; ms: number };
  search: { ms: number; queriesPerSecond: number; depth: number };
  params: Required<Bm25Params> & { analyzer: string };
  run: Run;
  result: EvalResult;
  qrelsCheck: QrelsCheck;
}

export const EXPERIMENT_DEFAULTS = Object.freeze({
  split: 'test',
  metrics: ['ndcg@10', 'recall@100', 'map'],
  depth: 1000,
  analyzer: 'english',
  onDuplicate: 'error' as DuplicatePolicy,
  cache: true,
  k1: 0.9,
  b: 0.4,
});

/** Indexes (or reuses the cached index of) a BEIR dataset, runs its queries and evaluates the run. */
export async function runBm25Experiment(path: string, options: Bm25ExperimentOptions = {}): Promise<Bm25Experiment> {
  const o = { ...EXPERIMENT_DEFAULTS, ...stripUndefined(options) };
  const dataset = await openBeir(path, { split: o.split });
  const { analyzer } = await resolveAnalyzer(o.analyzer, () => documentTexts(dataset.corpus({ onDuplicate: 'last' })));
  const [allQueries, qrels] = await Promise.all([dataset.queries(), dataset.qrels()]);

  const t0 = performance.now();
  const cachePath = o.cache ? await indexCachePath(dataset.corpusPath, analyzer.id, o.onDuplicate) : null;
  let index: Bm25Index;
  let reused = false;
  if (cachePath && existsSync(join(cachePath, 'CURRENT'))) {
    index = await Bm25Index.open(cachePath, { analyzer });
    reused = true;
  } else {
    const total = o.onProgress ? await countLines(dataset.corpusPath) : 0;
    const onProgress = o.onProgress && ((done: number) => o.onProgress!(done, total));
    index = await Bm25Index.build(dataset.corpus({ onDuplicate: o.onDuplicate }), { analyzer, onProgress, progressEvery: 2000 });
    if (cachePath) await index.save(cachePath);
  }
  const indexMs = performance.now() - t0;

  try {
    const queries = judgedQueries(allQueries, qrels);
    const t1 = performance.now();
    const hits = index.searchMany(queries, o.depth, { k1: o.k1, b: o.b });
    const searchMs = performance.now() - t1;
    const run: Run = new Map();
    for (const q of queries)
      run.set(
        q.id,
        (hits.get(q.id) ?? []).map((h) => ({ docid: h.id, score: h.score })),
      );
    const result = evaluate(run, qrels, o.metrics);
    const queryIds = new Set(allQueries.map((q) => q.id));
    const qrelsCheck = checkQrels(qrels, queryIds, { has: (id: string) => index.has(id) });
    return {
      dataset: dataset.dir,
      split: dataset.split,
      documents: index.stats.docCount,
      queries: queries.length,
      index: { dir: cachePath, reused, ms: indexMs },
      search: { ms: searchMs, queriesPerSecond: queries.length / (searchMs / 1000), depth: o.depth },
      params: { k1: o.k1, b: o.b, analyzer: analyzer.id },
      run,
      result,
      qrelsCheck,
    };
  } finally {
    index.close();
  }
}

/** The cache folder of a corpus's index: keyed by its absolute path, size, mtime, analyzer and format. */
async function indexCachePath(corpusPath: string, analyzerId: string, onDuplicate: string): Promise<string> {
  const abs = resolve(corpusPath);
  const s = await stat(abs);
  const key = createHash('sha256')
    .update(JSON.stringify([abs, s.size, s.mtimeMs, analyzerId, onDuplicate, FORMAT_VERSION]))
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir('bm25'), key);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
