/**
 * `npm run bench:bm25 -- [beir-dir ...] [--systems shortlist,lucene,wink,minisearch,orama]
 *   [--synthetic [N]] [--synthetic-systems shortlist,lucene,wink] [--json [out.json]] [--skip-beir] [--out dir]
 *   [--timeout s] [--warmup-docs n] [--repeats n]` — or `--report saved.json` to print a saved `--json` report
 *
 * Pipeline: 1. every BEIR folder given (default: each folder of ../shared/datasets) 2. per system, one
 * child process (Lucene: a JVM) indexes title + text as one field, warms up, runs all queries at depth
 * 1000 single-threaded (after warm-up searches; fastest of at least `--repeats` timed passes, default 3, see worker.ts), writes the TREC run and reports index time, query time and peak RSS
 * 3. nDCG@10 and Recall@100 of each run (trec_eval definitions) 4. the synthetic Zipfian scale test
 * (default 200,000 documents so the standard run stays quick; `--synthetic` alone = 1,000,000;
 * `--synthetic 0` skips it), timed at depth 10 and 1000 5. tables with shortlist's ratio to every
 * peer and the acceptance checks of issue 2, or one JSON object with `--json`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCacheDir } from './cache.ts';
import { loadQrels } from './dataset.ts';
import { evaluateRun } from './evaluate.ts';
import type { WorkerArgs, WorkerResult } from './protocol.ts';
import { printReport, type BenchReport, type DatasetReport, type SystemRow } from './report.ts';
import { readReference } from './reference.ts';
import { syntheticDataset } from './synthetic.ts';
import { luceneAvailability, runLucene } from './systems/lucene.ts';
import { ALL_SYSTEMS } from './systems/registry.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');

interface Cli {
  datasets: string[];
  systems: string[];
  synthetic: number;
  syntheticSystems: string[];
  /** Print one JSON object instead of tables; with a path (`--json out.json`), write it there and print the tables too. */
  json: boolean | string;
  out: string;
  timeoutMs: number;
  warmupDocs: number;
  repeats: number;
  /** Skip the BEIR datasets (synthetic test only). */
  skipBeir: boolean;
  /** Print the tables of a saved `--json` report instead of running. */
  report?: string;
}

function parseCli(argv: string[]): Cli {
  const cli: Cli = {
    datasets: [],
    systems: [...ALL_SYSTEMS],
    synthetic: 200_000,
    syntheticSystems: ['shortlist', 'lucene', 'wink'],
    json: false,
    out: join(benchCacheDir(), 'runs'),
    timeoutMs: 600_000,
    warmupDocs: 2000,
    repeats: 3,
    skipBeir: false,
  };
  const list = (v: string | undefined, flag: string) => {
    if (!v) throw new Error(`${flag} needs a comma-separated list of: ${ALL_SYSTEMS.join(', ')}`);
    const names = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = names.filter((n) => !(ALL_SYSTEMS as readonly string[]).includes(n));
    if (bad.length) throw new Error(`${flag}: unknown system ${bad.join(', ')}; valid: ${ALL_SYSTEMS.join(', ')}`);
    return names;
  };
  const num = (v: string | undefined, flag: string) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number ≥ 0, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--systems') cli.systems = list(argv[++i], a);
    else if (a === '--synthetic-systems') cli.syntheticSystems = list(argv[++i], a);
    else if (a === '--synthetic') cli.synthetic = argv[i + 1] !== undefined && /^\d+$/.test(argv[i + 1]) ? num(argv[++i], a) : 1_000_000;
    else if (a === '--json') cli.json = argv[i + 1]?.endsWith('.json') ? resolve(argv[++i]) : true;
    else if (a === '--skip-beir') cli.skipBeir = true;
    else if (a === '--report') cli.report = resolve(argv[++i]);
    else if (a === '--out') cli.out = resolve(argv[++i]);
    else if (a === '--timeout') cli.timeoutMs = num(argv[++i], a) * 1000;
    else if (a === '--warmup-docs') cli.warmupDocs = num(argv[++i], a);
    else if (a === '--repeats') cli.repeats = Math.max(1, num(argv[++i], a));
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else cli.datasets.push(resolve(a));
  }
  if (cli.datasets.length === 0 && !cli.skipBeir) {
    const root = resolve(REPO, '..', 'shared', 'datasets');
    if (existsSync(root)) {
      cli.datasets = readdirSync(root)
        .map((d) => join(root, d))
        .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'corpus.jsonl')))
        .sort();
    }
  }
  return cli;
}

const log = (msg: string) => process.stderr.write(msg + '\n');

/** Run one JS system on one dataset in a child process. */
function runWorker(args: WorkerArgs, timeoutMs: number): Promise<WorkerResult> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=12288', '--import', 'tsx', join(HERE, 'worker.ts'), JSON.stringify(args)],
      {
        cwd: REPO,
        stdio: ['ignore', 'inherit', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      if (signal) return rej(new Error(signal === 'SIGKILL' ? 'timeout' : `killed by ${signal}`));
      if (code !== 0)
        return rej(
          new Error(
            err
              .trim()
              .split('\n')
              .filter((l) => /error/i.test(l))
              .slice(0, 2)
              .join(' | ') || `exit ${code}`,
          ),
        );
      try {
        res(JSON.parse(await readFile(args.resultPath, 'utf8')) as WorkerResult);
      } catch (e) {
        rej(e as Error);
      }
    });
  });
}

async function measure(
  system: string,
  dataset: string,
  name: string,
  depths: number[],
  cli: Cli,
  lucene: string | null,
): Promise<SystemRow> {
  const runPath = join(cli.out, name, `${system}.run`);
  await mkdir(dirname(runPath), { recursive: true });
  if (system === 'lucene' && lucene) return { system, status: 'not installed', note: lucene };
  const t0 = Date.now();
  try {
    const raw =
      system === 'lucene'
        ? await runLucene({ dataset, depths, runPath, warmupDocs: cli.warmupDocs, repeats: cli.repeats, timeoutMs: cli.timeoutMs })
        : await runWorker(
            { system, dataset, depths, warmupDocs: cli.warmupDocs, repeats: cli.repeats, runPath, resultPath: `${runPath}.json` },
            cli.timeoutMs,
          );
    log(`  ${system.padEnd(10)} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const qps: Record<string, number> = {};
    for (const [d, ms] of Object.entries(raw.queryMs)) qps[d] = raw.queries / (ms / 1000);
    return {
      system,
      status: 'ok',
      raw,
      qps,
      indexMs: raw.indexMs,
      peakRssMB: raw.peakRssKb / 1024,
      rssBeforeIndexMB: raw.rssBeforeIndexKb / 1024,
      runPath,
    };
  } catch (e) {
    const msg = (e as Error).message;
    log(`  ${system.padEnd(10)} ${msg === 'timeout' ? 'timeout' : 'failed: ' + msg}`);
    return { system, status: msg === 'timeout' ? 'timeout' : 'failed', note: msg };
  }
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.report) {
    const text = await readFile(cli.report, 'utf8');
    printReport(JSON.parse(text.slice(text.indexOf('{'))) as BenchReport, (s) => process.stdout.write(s + '\n'));
    return;
  }
  const lucene = cli.systems.includes('lucene') || cli.syntheticSystems.includes('lucene') ? luceneAvailability() : 'not requested';
  const report: BenchReport = { machine: machineInfo(), datasets: [], synthetic: undefined };
  for (const dataset of cli.datasets) {
    const name = basename(dataset);
    log(`${name}`);
    const qrels = await loadQrels(dataset);
    const reference = await readReference(join(dirname(dataset), 'lucene-bm25.tsv'), name);
    const rows: SystemRow[] = [];
    for (const system of cli.systems) {
      const row = await measure(system, dataset, name, [1000], cli, lucene);
      if (row.status === 'ok' && row.runPath) row.measures = await evaluateRun(row.runPath, qrels);
      rows.push(row);
    }
    const ds: DatasetReport = {
      name,
      path: dataset,
      docs: rows.find((r) => r.raw)?.raw?.docs ?? 0,
      queries: rows.find((r) => r.raw)?.raw?.queries ?? 0,
      reference,
      rows,
    };
    report.datasets.push(ds);
  }
  if (cli.synthetic > 0) {
    log(`synthetic ${cli.synthetic.toLocaleString('en')} documents`);
    const dir = await syntheticDataset(join(benchCacheDir(), 'synthetic'), { docs: cli.synthetic });
    const rows: SystemRow[] = [];
    for (const system of cli.syntheticSystems) rows.push(await measure(system, dir, basename(dir), [10, 1000], cli, lucene));
    report.synthetic = { name: 'synthetic', path: dir, docs: cli.synthetic, queries: rows.find((r) => r.raw)?.raw?.queries ?? 0, rows };
    await rm(join(cli.out, basename(dir)), { recursive: true, force: true });
  }
  if (typeof cli.json === 'string') await writeFile(cli.json, JSON.stringify(report, null, 2) + '\n');
  if (cli.json === true) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else printReport(report, (s) => process.stdout.write(s + '\n'));
}

function machineInfo(): BenchReport['machine'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = process.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  return { node: process.version, cpus: os?.cpus().length ?? 0, cpu: os?.cpus()[0]?.model ?? '', date: new Date().toISOString() };
}

main().catch((e: Error) => {
  process.stderr.write(`bench:bm25: ${e.message}\n`);
  process.exitCode = 1;
});
