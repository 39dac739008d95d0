/**
 * Bench inputs from scifact (BEIR format under `../shared/datasets/scifact`): one query of about ten
 * words and documents of 150–250 words (title + "\n" + text), picked deterministically: the first
 * query in file order with exactly 10 words (else the one closest to 10), and the first documents in
 * corpus order whose title + text has 150–250 words. The 50-document set is the first half of the
 * 100-document set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShortlistError } from '../../src/core/errors.ts';

/** The repository's sibling `shared/` folder (datasets, vocabularies). */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');

/** Document length window, in whitespace-separated words of title + text. */
export const DOC_WORDS = Object.freeze({ min: 150, max: 250 });

/** A query and documents for the bench. */
export interface BenchData {
  /** Where the data came from. */
  source: string;
  query: string;
  /** Document texts (`title\ntext`), as many as asked for. */
  docs: string[];
  /** Corpus ids of `docs`. */
  ids: string[];
}

/** The scifact folder, or `undefined` when `../shared` is absent. */
export function scifactDir(shared = SHARED_DIR): string | undefined {
  const dir = join(shared, 'datasets', 'scifact');
  return existsSync(join(dir, 'corpus.jsonl')) && existsSync(join(dir, 'queries.jsonl')) ? dir : undefined;
}

/** Load the query and the first `count` qualifying documents from `dir`. */
export function loadBenchData(dir: string, count: number): BenchData {
  const query = pickQuery(readJsonl(join(dir, 'queries.jsonl')).map((q) => String(q.text)));
  const docs: string[] = [];
  const ids: string[] = [];
  for (const d of readJsonl(join(dir, 'corpus.jsonl'))) {
    const text = d.title ? `${d.title}\n${d.text}` : String(d.text);
    const words = wordCount(text);
    if (words < DOC_WORDS.min || words > DOC_WORDS.max) continue;
    docs.push(text);
    ids.push(String(d._id));
    if (docs.length === count) break;
  }
  if (docs.length < count) {
    throw new ShortlistError(
      'INVALID_INPUT',
      `${dir}/corpus.jsonl has only ${docs.length} documents of ${DOC_WORDS.min}–${DOC_WORDS.max} words, ${count} needed; ask for fewer with --docs`,
    );
  }
  return { source: dir, query, docs, ids };
}

/** The first query with exactly 10 words, else the first closest to 10. */
export function pickQuery(queries: readonly string[]): string {
  let bestQuery = queries[0];
  let bestGap = Infinity;
  for (const q of queries) {
    const gap = Math.abs(wordCount(q) - 10);
    if (gap < bestGap) [bestQuery, bestGap] = [q, gap];
    if (gap === 0) break;
  }
  return bestQuery;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function readJsonl(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
