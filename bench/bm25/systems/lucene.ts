/**
 * The Lucene 8.7 peer: compiles lucene/LuceneBm25.java into the cache (never committed) against
 * Debian's liblucene8-java jars, writes the dataset as the harness's TSV input, and runs it as its
 * own process. Without `java`/`javac` or the jars, {@link luceneAvailability} says why and the bench
 * shows the row as "not installed".
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCacheDir } from '../cache.ts';
import { readCorpus, readQueries } from '../../../src/eval/beir.ts';
import type { WorkerResult } from '../protocol.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(HERE, '..', 'lucene', 'LuceneBm25.java');
const JARS = ['lucene-core-8.7.0.jar', 'lucene-analyzers-common-8.7.0.jar'];

/** Folder holding the Lucene jars: `$LUCENE_JARS`, default Debian's /usr/share/java. */
export function luceneJarDir(): string {
  return process.env.LUCENE_JARS || '/usr/share/java';
}

/** `null` when Lucene can run here, otherwise why not (shown as "not installed"). `javac` is only
 * needed while the harness for this source is not yet compiled in the cache. */
export function luceneAvailability(): string | null {
  for (const tool of existsSync(join(classDir(readFileSync(SOURCE)), 'LuceneBm25.class')) ? ['java'] : ['java', 'javac']) {
    const r = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${tool} not found`;
  }
  const missing = JARS.filter((j) => !existsSync(join(luceneJarDir(), j)));
  return missing.length ? `missing ${missing.join(', ')} in ${luceneJarDir()} (apt install liblucene8-java)` : null;
}

function classpath(extra: string): string {
  return [...JARS.map((j) => join(luceneJarDir(), j)), extra].join(':');
}

function classDir(source: Buffer): string {
  return join(benchCacheDir(), 'lucene-classes', createHash('sha256').update(source).digest('hex').slice(0, 16));
}

/** Compile the harness once per source version into the cache; returns the class folder. */
export async function compileLucene(): Promise<string> {
  const out = classDir(await readFile(SOURCE));
  if (existsSync(join(out, 'LuceneBm25.class'))) return out;
  await mkdir(out, { recursive: true });
  const r = spawnSync('javac', ['-nowarn', '-cp', classpath(''), '-d', out, SOURCE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`javac failed: ${r.stderr || r.error}`);
  return out;
}

const flat = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/** The dataset as the harness's TSV input (docs.tsv, queries.tsv), cached by path and mtime. */
async function prepareInput(dataset: string): Promise<{ docs: string; queries: string }> {
  const corpus = join(dataset, 'corpus.jsonl');
  const st = await stat(corpus);
  const key = createHash('sha256')
    .update(`${resolve(dataset)}|${st.size}|${st.mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(benchCacheDir(), 'lucene-input', key);
  const docs = join(dir, 'docs.tsv');
  const queries = join(dir, 'queries.tsv');
  if (existsSync(join(dir, 'done'))) return { docs, queries };
  await mkdir(dir, { recursive: true });
  await writeLines(docs, readCorpus(corpus), (d) => `${flat(d.id)}\t${flat(d.title ? `${d.title} ${d.text}` : d.text)}`);
  const qs = await readQueries(join(dataset, 'queries.jsonl'));
  await writeLines(
    queries,
    (async function* () {
      yield* qs;
    })(),
    (q) => `${flat(q.id)}\t${flat(q.text)}`,
  );
  await writeLines(join(dir, 'done'), (async function* () {})(), () => '');
  return { docs, queries };
}

async function writeLines<T>(path: string, rows: AsyncIterable<T>, line: (row: T) => string): Promise<void> {
  const out = createWriteStream(path, 'utf8');
  for await (const row of rows) if (!out.write(line(row) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
}

/** Options of one Lucene run. */
export interface LuceneRunOptions {
  dataset: string;
  depths: number[];
  runPath: string;
  warmupDocs: number;
  repeats: number;
  k1?: number;
  b?: number;
  timeoutMs: number;
}

/** Index and query `dataset` with Lucene in a fresh JVM; same result shape as a JS worker. */
export async function runLucene(o: LuceneRunOptions): Promise<WorkerResult> {
  const classes = await compileLucene();
  const input = await prepareInput(o.dataset);
  const args = [
    '-cp',
    classpath(classes),
    'LuceneBm25',
    input.docs,
    input.queries,
    o.runPath || '/dev/null',
    String(o.k1 ?? 0.9),
    String(o.b ?? 0.4),
    o.depths.join(','),
    String(o.warmupDocs),
    String(o.repeats),
  ];
  const { spawn } = await import('node:child_process');
  return new Promise((res, rej) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return rej(new Error(signal === 'SIGKILL' ? 'timeout' : `killed by ${signal}`));
      if (code !== 0) return rej(new Error(`java exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      try {
        res(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult);
      } catch {
        rej(new Error(`unreadable Lucene output: ${out.slice(-200)}`));
      }
    });
  });
}
