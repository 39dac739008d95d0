/**
 * What pipeline evaluation and sweeps share: open a BEIR dataset, build (or reuse) a collection of
 * its corpus for a pipeline — in a temporary directory unless a location (a directory or a
 * `postgres://` URL) is given — and hand over the
 * collection with the split's judged queries and qrels; the temporary directory is removed after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBeir, judgedQueries, type BeirDataset } from '../eval/beir.ts';
import type { Qrels } from '../eval/types.ts';
import type { Query } from '../core/types.ts';
import { resolvePipeline, type ResolvedPipeline } from '../pipeline/config.ts';
import { ShortlistError } from '../core/errors.ts';
import { Collection } from '../engine/collection.ts';
import { isPostgresUrl, postgresChildLocation } from '../store/postgres/url.ts';

/** Where and how to build the evaluation collection. */
export interface EvalCollectionOptions {
  /** Qrels split. @default 'test' */
  split?: string;
  /** Reuse (or create) the collection at this location (a directory or a `postgres://…?schema=` URL) instead of a temporary directory. */
  collection?: string;
  /**
   * Build the temporary collection in this database instead of a temporary directory: a
   * `postgres://` URL without `?schema=` (connection settings such as `poolMax` may ride on it);
   * a fresh schema is created and dropped after. Ignored when `collection` is given.
   */
  store?: string;
  /** Progress of adding the corpus. */
  onProgress?: (phase: 'add', done: number, total: number) => void;
  /** Apply the collection's stored query adapter (`shortlist adapt`); false evaluates without it. @default true */
  adapter?: boolean;
}

/** What {@link withEvalCollection} hands to its callback. */
export interface EvalContext {
  collection: Collection;
  dataset: BeirDataset;
  qrels: Qrels;
  /** Queries of the split that have judgments. */
  queries: Query[];
}

/** Runs `fn` over a collection of the dataset at `path` built for `pipeline`; closes and cleans up after. */
export async function withEvalCollection<T>(
  path: string,
  pipeline: ResolvedPipeline,
  options: EvalCollectionOptions,
  fn: (ctx: EvalContext) => Promise<T>,
): Promise<T> {
  const dataset = await openBeir(path, { split: options.split ?? 'test' });
  const inDb = !options.collection && options.store !== undefined ? temporarySchema(options.store) : undefined;
  const temp = options.collection || inDb ? undefined : mkdtempSync(join(tmpdir(), 'shortlist-eval-'));
  const dir = options.collection ?? inDb ?? join(temp!, 'collection');
  try {
    const c = (await Collection.exists(dir))
      ? await Collection.open(dir, { pipeline, adapter: options.adapter })
      : await Collection.create(dir, pipeline);
    try {
      await c.add(dataset.dir, { onProgress: options.onProgress && ((d, t) => options.onProgress!('add', d, t)) });
      const [allQueries, qrels] = await Promise.all([dataset.queries(), dataset.qrels()]);
      return await fn({ collection: c, dataset, qrels, queries: judgedQueries(allQueries, qrels) });
    } finally {
      await c.close();
    }
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
    if (inDb) await (await import('../engine/home/postgres.ts')).PostgresHome.drop(inDb);
  }
}

/** A new schema's location in the database at `url` (which must name no schema). */
function temporarySchema(url: string): string {
  if (!isPostgresUrl(url))
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `--store takes a postgres:// URL, got "${url}"; keep a directory collection with --collection <dir>`,
      { location: { field: 'store' } },
    );
  if (new URL(url).searchParams.has('schema')) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      '--store builds a temporary schema and drops it after; to keep (and reuse) a named schema give --collection postgres://…?schema=name instead',
      { location: { field: 'store' } },
    );
  }
  return postgresChildLocation(url, `shortlist_eval_${process.pid}_${Date.now().toString(36)}`);
}

/** `p` retrieving `depth` candidates, each rerank stage keeping at most `depth`. */
export function atDepth(p: ResolvedPipeline, depth: number): ResolvedPipeline {
  return resolvePipeline({
    ...p,
    depth,
    rerank: p.rerank.map((s) => ({ ...s, keep: s.keep === undefined ? undefined : Math.min(s.keep, depth) })),
  });
}
