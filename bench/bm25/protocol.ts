/** What run.ts hands a measurement process and what it gets back (the Lucene harness prints the same). */
import type { BenchQuery } from './dataset.ts';

/** Arguments of one worker process. */
export interface WorkerArgs {
  system: string;
  /** BEIR folder to index and query. */
  dataset: string;
  /** Depths to time, each with its own warm-up pass; the run is written at the last one. */
  depths: number[];
  /** Documents indexed in the untimed warm-up build (0: none). */
  warmupDocs: number;
  /** Timed passes over all queries per depth; the fastest counts. */
  repeats: number;
  /** Where to write the TREC run ('' = don't). */
  runPath: string;
  /** Where to write the {@link WorkerResult} JSON. */
  resultPath: string;
}

/** Raw measurements of one (system, dataset). */
export interface WorkerResult {
  docs: number;
  queries: number;
  indexMs: number;
  /** Milliseconds for one pass over all queries (fastest of the repeats), keyed by depth. */
  queryMs: Record<string, number>;
  /** Resident set size once the corpus is loaded, before indexing (KiB). */
  rssBeforeIndexKb: number;
  /** Peak resident set size of the whole process (KiB). */
  peakRssKb: number;
  /** Hits returned over all timed passes (keeps the timed work observable). */
  hits?: number;
}

/** A TREC run: `qid Q0 docid rank score tag`, one line per hit. */
export function formatRun(queries: readonly BenchQuery[], results: readonly { id: string; score: number }[][], tag: string): string {
  const lines: string[] = [];
  queries.forEach((q, i) => results[i].forEach((h, r) => lines.push(`${q.id} Q0 ${h.id} ${r + 1} ${h.score} ${tag}`)));
  return lines.length ? lines.join('\n') + '\n' : '';
}
