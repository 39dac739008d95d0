/**
 * BEIR-format datasets: a folder with `corpus.jsonl`, `queries.jsonl` and `qrels/<split>.tsv`.
 *
 * - corpus line:  `{"_id": "d1", "title": "...", "text": "...", "metadata": {...}}`
 * - queries line: `{"_id": "q1", "text": "...", "metadata": {...}}`
 * - qrels:        TSV with header `query-id  corpus-id  score`
 *
 * Files may be gzip-compressed (`corpus.jsonl.gz` is found too). Every error names the file,
 * the line and the field, and says how to fix it.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isBlank, readJsonl, readLineBatches } from '../core/jsonl.ts';
import { ShortlistError } from '../core/errors.ts';
import type { Document, Query } from '../core/types.ts';
import { parseGrade, QrelsBuilder, type QrelsReadOptions } from './trec.ts';
import type { Qrels } from './types.ts';

/** What to do when two corpus lines share an `_id`. */
export type DuplicatePolicy = 'error' | 'last';

/** Options for {@link readCorpus}. */
export interface CorpusReadOptions {
  /**
   * Two documents with the same `_id`: `'error'` throws DUPLICATE_ID naming both lines;
   * `'last'` yields both, in file order, and the consumer upserts, so the later one wins.
   * Either way the reader keeps one `id → line` entry per document in memory.
   * @default 'error'
   */
  onDuplicate?: DuplicatePolicy;
}

/** Options for {@link openBeir}. */
export interface BeirOpenOptions {
  /**
   * Which qrels file to use: `qrels/<split>.tsv`.
   * @default 'test'
   */
  split?: string;
}

/** A BEIR dataset on disk: resolved paths and loaders for its parts. */
export interface BeirDataset {
  /** The dataset folder. */
  dir: string;
  /** The split whose qrels are loaded. */
  split: string;
  /** Splits present in `qrels/` (file names without `.tsv`), sorted. */
  splits: string[];
  /** `corpus.jsonl` (or `.jsonl.gz`). */
  corpusPath: string;
  /** `queries.jsonl` (or `.jsonl.gz`). */
  queriesPath: string;
  /** `qrels/<split>.tsv` (or `.tsv.gz`). */
  qrelsPath: string;
  /** Streams the corpus; see {@link readCorpus}. */
  corpus(options?: CorpusReadOptions): AsyncGenerator<Document>;
  /** All queries of `queries.jsonl` (every split); see {@link judgedQueries} to keep this split's. */
  queries(): Promise<Query[]>;
  /** The split's qrels. */
  qrels(options?: QrelsReadOptions): Promise<Qrels>;
}

const ON_DUPLICATE_HINT = "pass --on-duplicate last (onDuplicate: 'last') to keep the later one";

/**
 * Streams the documents of a BEIR `corpus.jsonl`. `_id` may be a string or a number (read as its
 * decimal text); `text` must be a string; `title` is optional. An empty file throws EMPTY_INPUT.
 */
export async function* readCorpus(file: string, options: CorpusReadOptions = {}): AsyncGenerator<Document> {
  const policy = options.onDuplicate ?? 'error';
  const seen = new Map<string, number>();
  for await (const { value, line } of readJsonl(file)) {
    const rec = asObject(value, file, line, 'document');
    const id = readId(rec, file, line);
    const text = rec.text;
    if (typeof text !== 'string') {
      throw new ShortlistError('INVALID_INPUT', `field "text" must be a string, found ${describe(text)}`, {
        location: { file, line, field: 'text' },
      });
    }
    const before = seen.get(id);
    if (before !== undefined && policy === 'error') {
      throw new ShortlistError(
        'DUPLICATE_ID',
        `document id "${id}" appears twice (lines ${before} and ${line}); fix the corpus, or ${ON_DUPLICATE_HINT}`,
        { location: { file, line, field: '_id' } },
      );
    }
    seen.set(id, line);
    const doc: Document = { id, text };
    if (rec.title !== undefined && rec.title !== null) {
      if (typeof rec.title !== 'string') {
        throw new ShortlistError('INVALID_INPUT', `field "title" must be a string when present, found ${describe(rec.title)}`, {
          location: { file, line, field: 'title' },
        });
      }
      doc.title = rec.title;
    }
    const metadata = readMetadata(rec, file, line);
    if (metadata !== undefined) doc.metadata = metadata;
    yield doc;
  }
  if (seen.size === 0) {
    throw new ShortlistError('EMPTY_INPUT', `${file} holds no documents; expected one JSON object per line with "_id" and "text"`);
  }
}

/**
 * Reads a BEIR `queries.jsonl`: `_id` (string or number) and `text` (string) per line. Duplicate
 * ids throw DUPLICATE_ID; an empty file throws EMPTY_INPUT.
 */
export async function readQueries(file: string): Promise<Query[]> {
  const queries: Query[] = [];
  const seen = new Map<string, number>();
  for await (const { value, line } of readJsonl(file)) {
    const rec = asObject(value, file, line, 'query');
    const id = readId(rec, file, line);
    if (typeof rec.text !== 'string') {
      throw new ShortlistError('INVALID_INPUT', `field "text" must be a string, found ${describe(rec.text)}`, {
        location: { file, line, field: 'text' },
      });
    }
    const before = seen.get(id);
    if (before !== undefined) {
      throw new ShortlistError('DUPLICATE_ID', `query id "${id}" appears twice (lines ${before} and ${line}); keep one`, {
        location: { file, line, field: '_id' },
      });
    }
    seen.set(id, line);
    queries.push({ id, text: rec.text });
  }
  if (queries.length === 0) {
    throw new ShortlistError('EMPTY_INPUT', `${file} holds no queries; expected one JSON object per line with "_id" and "text"`);
  }
  return queries;
}

/**
 * Reads a BEIR qrels TSV (`query-id corpus-id score`, tab- or space-separated). The first line
 * is taken as a header when its score column is not a number. Scores must be integers.
 */
export async function readBeirQrels(file: string, options: QrelsReadOptions = {}): Promise<Qrels> {
  const builder = new QrelsBuilder(file, options.onDuplicate ?? 'error');
  let sawData = false;
  let first = true;
  for await (const { lines, firstLine } of readLineBatches(file)) {
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      if (isBlank(text)) continue;
      const line = firstLine + i;
      const f = text.includes('\t') ? text.split('\t').map((s) => s.trim()) : text.trim().split(/\s+/);
      if (first) {
        first = false;
        // The header (`query-id corpus-id score` in BEIR; any names whose score column is not a number).
        if (f.length === 3 && Number.isNaN(parseGrade(f[2])) && Number.isNaN(Number(f[2]))) continue;
      }
      if (f.length !== 3) {
        throw new ShortlistError(
          'INVALID_INPUT',
          `expected 3 tab-separated fields \`query-id corpus-id score\`, found ${f.length}: "${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`,
          { location: { file, line } },
        );
      }
      builder.add(f[0], f[1], f[2], line);
      sawData = true;
    }
  }
  if (!sawData) throw new ShortlistError('EMPTY_INPUT', `${file} holds no judgments; expected lines \`query-id<TAB>corpus-id<TAB>score\``);
  return builder.qrels;
}

/**
 * Resolves the corpus file of a dataset path: a folder gives `<dir>/corpus.jsonl` (or
 * `corpus.jsonl.gz`); a file is taken as the corpus itself. Throws NOT_FOUND otherwise.
 */
export async function resolveCorpusPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ShortlistError('NOT_FOUND', `${path} does not exist; give a BEIR dataset folder or a corpus.jsonl file`);
  if (info.isFile()) return path;
  return findFile(path, 'corpus.jsonl', 'a BEIR corpus file');
}

/**
 * Opens a BEIR dataset folder (or a `corpus.jsonl` inside one): checks that the corpus, the
 * queries and `qrels/<split>.tsv` exist, with NOT_FOUND errors naming the missing file and
 * listing the splits present.
 */
export async function openBeir(path: string, options: BeirOpenOptions = {}): Promise<BeirDataset> {
  const split = options.split ?? 'test';
  const corpusPath = await resolveCorpusPath(path);
  const dir = corpusPath === path ? dirname(path) : path;
  const queriesPath = await findFile(dir, 'queries.jsonl', 'the BEIR queries file');
  const splits = await listSplits(dir);
  const qrelsDir = join(dir, 'qrels');
  const candidates = [`${split}.tsv`, `${split}.tsv.gz`];
  const found = candidates.map((n) => join(qrelsDir, n)).find((_, i) => splits.files.includes(candidates[i]));
  if (found === undefined) {
    const present = splits.names.length > 0 ? `splits present: ${splits.names.join(', ')}` : `no qrels/*.tsv files in ${dir}`;
    throw new ShortlistError(
      'NOT_FOUND',
      `qrels for split "${split}" not found: ${join(qrelsDir, `${split}.tsv`)} (${present}); choose one with --split`,
    );
  }
  return {
    dir,
    split,
    splits: splits.names,
    corpusPath,
    queriesPath,
    qrelsPath: found,
    corpus: (o?: CorpusReadOptions) => readCorpus(corpusPath, o),
    queries: () => readQueries(queriesPath),
    qrels: (o?: QrelsReadOptions) => readBeirQrels(found, o),
  };
}

/** The queries that have at least one judgment in `qrels`, in their original order. */
export function judgedQueries(queries: readonly Query[], qrels: Qrels): Query[] {
  return queries.filter((q) => qrels.has(q.id));
}

async function findFile(dir: string, name: string, what: string): Promise<string> {
  for (const candidate of [name, `${name}.gz`]) {
    const p = join(dir, candidate);
    const info = await stat(p).catch(() => undefined);
    if (info?.isFile()) return p;
  }
  const entries = await readdir(dir).catch(() => undefined);
  if (entries === undefined) throw new ShortlistError('NOT_FOUND', `dataset folder ${dir} does not exist or cannot be read`);
  const present = entries.length > 0 ? `; the folder holds: ${entries.slice(0, 10).sort().join(', ')}` : '; the folder is empty';
  throw new ShortlistError('NOT_FOUND', `${what} not found: ${join(dir, name)}${present}`);
}

async function listSplits(dir: string): Promise<{ names: string[]; files: string[] }> {
  const files = (await readdir(join(dir, 'qrels')).catch(() => [] as string[])).filter((f) => /\.tsv(\.gz)?$/.test(f));
  const names = [...new Set(files.map((f) => basename(f).replace(/\.tsv(\.gz)?$/, '')))].sort();
  return { names, files };
}

function asObject(value: unknown, file: string, line: number, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShortlistError('INVALID_INPUT', `expected a JSON object per ${what}, found ${describe(value)}`, { location: { file, line } });
  }
  return value as Record<string, unknown>;
}

function readId(rec: Record<string, unknown>, file: string, line: number): string {
  const raw = rec._id;
  const id = typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : undefined;
  if (id === undefined || id.length === 0) {
    const found = raw === undefined ? 'it is missing' : `found ${describe(raw)}`;
    throw new ShortlistError('INVALID_INPUT', `field "_id" must be a non-empty string or a number; ${found}`, {
      location: { file, line, field: '_id' },
    });
  }
  return id;
}

function readMetadata(rec: Record<string, unknown>, file: string, line: number): Record<string, unknown> | undefined {
  const m = rec.metadata;
  if (m === undefined || m === null) return undefined;
  if (typeof m !== 'object' || Array.isArray(m)) {
    throw new ShortlistError('INVALID_INPUT', `field "metadata" must be a JSON object when present, found ${describe(m)}`, {
      location: { file, line, field: 'metadata' },
    });
  }
  return m as Record<string, unknown>;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return `${typeof v === 'object' ? 'an object' : `the ${typeof v} ${String(v)}`}`;
}
