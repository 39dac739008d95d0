/**
 * TREC run and qrels files, the formats trec_eval reads.
 *
 * - run:   `qid Q0 docid rank score tag`, one retrieved document per line (whitespace separated);
 *          text after the sixth field is ignored, as trec_eval ignores it (its own test file
 *          `results.trunc` has such lines)
 * - qrels: `qid 0 docid grade`, one judgment per line
 *
 * Both readers accept gzip-compressed files (detected by their magic bytes, so `.gz` or not), skip
 * blank lines and `#` comment lines (as trec_eval does for qrels), and throw INVALID_INPUT at
 * `file:line` for a malformed line. Scores are read as IEEE doubles like trec_eval's `atof`, so
 * ties in the file stay ties here; the rank column is ignored (trec_eval re-sorts by score).
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { readLineBatches } from '../core/jsonl.ts';
import { ShortlistError } from '../core/errors.ts';
import type { Qrels, Run, RunEntry } from './types.ts';

/** What to do when a (query, document) pair appears twice in a qrels file. */
export type QrelsDuplicatePolicy = 'error' | 'last';

/** Options for the qrels readers. */
export interface QrelsReadOptions {
  /**
   * A repeated (query, document) judgment: `'error'` throws DUPLICATE_ID naming both lines
   * (trec_eval refuses such files too); `'last'` keeps the later grade.
   * @default 'error'
   */
  onDuplicate?: QrelsDuplicatePolicy;
}

/** Options for {@link writeTrecRun} and {@link formatTrecRun}. */
export interface TrecRunWriteOptions {
  /**
   * The run tag written in the last column (no whitespace).
   * @default 'shortlist'
   */
  tag?: string;
}

const WS = /\s+/;

function fields(text: string): string[] | undefined {
  const t = text.trim();
  if (t.length === 0 || t.charCodeAt(0) === 35 /* # */) return undefined;
  return t.split(WS);
}

/** Parses a score like C's `atof` on a well-formed number (also `inf`, `-inf`); NaN if it is not one. */
export function parseScore(s: string): number {
  const n = Number(s);
  if (!Number.isNaN(n) && s.length > 0) return n;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number.NaN;
}

/** Parses a relevance grade: an integer (`1`, `-1`, `2.0`); NaN if it is not one. */
export function parseGrade(s: string): number {
  const n = s.length > 0 ? Number(s) : Number.NaN;
  return Number.isInteger(n) ? n : Number.NaN;
}

/**
 * Reads a TREC run file (plain or gzip). Entries keep file order per query; the rank column is
 * ignored. A document listed twice for one query throws INVALID_INPUT naming both lines.
 */
export async function readTrecRun(file: string): Promise<Run> {
  const run: Run = new Map();
  const seen = new Map<string, Map<string, number>>();
  for await (const { lines, firstLine } of readLineBatches(file)) {
    for (let i = 0; i < lines.length; i++) {
      const f = fields(lines[i]);
      if (f === undefined) continue;
      const line = firstLine + i;
      if (f.length < 6) {
        throw new ShortlistError(
          'INVALID_INPUT',
          `expected 6 whitespace-separated fields \`qid Q0 docid rank score tag\` (text after them is ignored), found ${f.length}: "${clip(lines[i])}"`,
          { location: { file, line } },
        );
      }
      const [qid, , docid, , scoreText] = f;
      const score = parseScore(scoreText);
      if (Number.isNaN(score)) {
        throw new ShortlistError(
          'INVALID_INPUT',
          `score "${clip(scoreText)}" is not a number (5th field of \`qid Q0 docid rank score tag\`)`,
          {
            location: { file, line, field: 'score' },
          },
        );
      }
      let entries = run.get(qid);
      let docs = seen.get(qid);
      if (entries === undefined || docs === undefined) {
        entries = [];
        docs = new Map();
        run.set(qid, entries);
        seen.set(qid, docs);
      }
      const before = docs.get(docid);
      if (before !== undefined) {
        throw new ShortlistError(
          'INVALID_INPUT',
          `document "${docid}" is listed twice for query "${qid}" (lines ${before} and ${line}); trec_eval rejects this too, keep one line per document`,
          { location: { file, line, field: 'docid' } },
        );
      }
      docs.set(docid, line);
      entries.push({ docid, score });
    }
  }
  return run;
}

/**
 * Reads a TREC qrels file `qid 0 docid grade` (plain or gzip). Grades must be integers.
 */
export async function readTrecQrels(file: string, options: QrelsReadOptions = {}): Promise<Qrels> {
  const builder = new QrelsBuilder(file, options.onDuplicate ?? 'error');
  for await (const { lines, firstLine } of readLineBatches(file)) {
    for (let i = 0; i < lines.length; i++) {
      const f = fields(lines[i]);
      if (f === undefined) continue;
      const line = firstLine + i;
      if (f.length !== 4) {
        throw new ShortlistError(
          'INVALID_INPUT',
          `expected 4 whitespace-separated fields \`qid 0 docid grade\`, found ${f.length}: "${clip(lines[i])}"`,
          { location: { file, line } },
        );
      }
      builder.add(f[0], f[2], f[3], line);
    }
  }
  return builder.qrels;
}

/**
 * Collects qrels lines into a {@link Qrels} map, validating grades and duplicates; shared by the
 * TREC and BEIR qrels readers.
 */
export class QrelsBuilder {
  /** The judgments collected so far. */
  readonly qrels: Qrels = new Map();
  private readonly lines = new Map<string, Map<string, number>>();

  constructor(
    private readonly file: string,
    private readonly onDuplicate: QrelsDuplicatePolicy,
  ) {}

  /** Adds one judgment read at `line`; throws INVALID_INPUT or DUPLICATE_ID. */
  add(qid: string, docid: string, gradeText: string, line: number): void {
    const grade = parseGrade(gradeText);
    if (Number.isNaN(grade)) {
      throw new ShortlistError('INVALID_INPUT', `grade "${clip(gradeText)}" is not an integer (relevance grades are 0, 1, 2, ...)`, {
        location: { file: this.file, line, field: 'grade' },
      });
    }
    let docs = this.qrels.get(qid);
    let at = this.lines.get(qid);
    if (docs === undefined || at === undefined) {
      docs = new Map();
      at = new Map();
      this.qrels.set(qid, docs);
      this.lines.set(qid, at);
    }
    const before = at.get(docid);
    if (before !== undefined && this.onDuplicate === 'error') {
      throw new ShortlistError(
        'DUPLICATE_ID',
        `query "${qid}" judges document "${docid}" twice (lines ${before} and ${line}); remove one, or pass onDuplicate 'last' to keep the later grade`,
        { location: { file: this.file, line } },
      );
    }
    at.set(docid, line);
    docs.set(docid, grade);
  }
}

/** The lines of a TREC run, in each query's array order with rank 1, 2, ...; no trailing newlines. */
export function* formatTrecRun(run: Run, options: TrecRunWriteOptions = {}): Generator<string> {
  const tag = options.tag ?? 'shortlist';
  checkToken(tag, 'run tag');
  for (const [qid, entries] of run) {
    checkToken(qid, 'query id');
    for (let i = 0; i < entries.length; i++) {
      const { docid, score } = entries[i];
      checkToken(docid, 'document id');
      if (Number.isNaN(score)) {
        throw new ShortlistError('INVALID_ARGUMENT', `score of document "${docid}" for query "${qid}" is NaN; a run needs numeric scores`);
      }
      // String(score) is the shortest text that parses back to the same double: ties survive a round trip.
      yield `${qid} Q0 ${docid} ${i + 1} ${String(score)} ${tag}`;
    }
  }
}

/** The lines of a TREC qrels file `qid 0 docid grade`; no trailing newlines. */
export function* formatTrecQrels(qrels: Qrels): Generator<string> {
  for (const [qid, docs] of qrels) {
    checkToken(qid, 'query id');
    for (const [docid, grade] of docs) {
      checkToken(docid, 'document id');
      yield `${qid} 0 ${docid} ${grade}`;
    }
  }
}

/** Writes a TREC run to `file`; gzip-compressed when the name ends in `.gz`. */
export async function writeTrecRun(file: string, run: Run, options: TrecRunWriteOptions = {}): Promise<void> {
  await writeLines(file, formatTrecRun(run, options));
}

/** Writes TREC qrels to `file`; gzip-compressed when the name ends in `.gz`. */
export async function writeTrecQrels(file: string, qrels: Qrels): Promise<void> {
  await writeLines(file, formatTrecQrels(qrels));
}

/**
 * Builds a {@link Run} from ranked hits per query (e.g. pipeline output); `{id, score}` becomes
 * `{docid, score}`, order kept.
 */
export function toRun(results: Iterable<readonly [string, Iterable<{ id: string; score: number }>]>): Run {
  const run: Run = new Map();
  for (const [qid, hits] of results) {
    const entries: RunEntry[] = [];
    for (const h of hits) entries.push({ docid: h.id, score: h.score });
    run.set(qid, entries);
  }
  return run;
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    for (const l of lines) {
      buf.push(l);
      if (buf.length === 4096) {
        yield buf.join('\n') + '\n';
        buf = [];
      }
    }
    if (buf.length > 0) yield buf.join('\n') + '\n';
  }
  const out = createWriteStream(file);
  try {
    if (file.endsWith('.gz')) await pipeline(Readable.from(chunks()), createGzip(), out);
    else await pipeline(Readable.from(chunks()), out);
  } catch (err) {
    if (err instanceof ShortlistError) throw err;
    throw new ShortlistError('INVALID_ARGUMENT', `cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function checkToken(value: string, what: string): void {
  if (value.length === 0 || WS.test(value)) {
    throw new ShortlistError('INVALID_ARGUMENT', `${what} "${value}" is empty or contains whitespace, which TREC files cannot hold`);
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
