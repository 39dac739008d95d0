/**
 * Neural-stage benchmark (issue 3, item 7):
 *
 *   node --import tsx bench/models/run.ts [--docs 50,100] [--runs N] [--warmup N] [--threads 2]
 *        [--systems id,id] [--explore] [--peak-ms 600] [--json]
 *   node --import tsx bench/models/run.ts --report saved.json   (print the tables of a saved --json report)
 *
 * Pipeline: 1. a ~10-word scifact query and the first 100 scifact documents of 150–250 words
 * (title + text; ../shared/datasets/scifact, exits 2 when absent) 2. generated models, cached under
 * the bench cache: MiniLM-L6 shape with a one-logit classifier head (fp32 + int8) for reranking,
 * bge-small shape with the encoder head for embeddings 3. one child process per system (so each
 * reports its own peak RSS) plus one for the ONNX Runtime MatMul peak, every one with the same
 * intra-op thread count 4. rounds: each round measures the MatMul peak, then runs every system on
 * every document count, in an order that rotates per round (systems interleave, so machine load
 * hits all alike); the first `--warmup` rounds are not timed 5. median (and best) time per system,
 * docs/s, useful GFLOP/s (flops.ts) and its share of the best MatMul GFLOP/s, padding waste, int8
 * score correlation, the acceptance checks of issue 3; a table, or one JSON object with `--json`.
 *
 * Memory: the padded-to-longest systems (transformers.js, ort-padded) hold ~2.5 GB each at 50
 * documents and 5–7 GB at 100 (attention scores [docs, 12, 459, 459] in fp32); on a shared machine
 * use `--docs 50` if the kernel kills a worker (the run goes on and lists it under FAILED).
 *
 * `--explore` adds raw-ORT rerank variants (batch budgets, one-by-one, memory arena, memory
 * pattern, optimisation level, parallel execution) to find the settings shortlist's encoders
 * should use.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ShortlistError } from '../../src/core/errors.ts';
import { TextTokenizer } from '../../src/models/tokenize/index.ts';
import { loadBenchData, scifactDir, SHARED_DIR } from './data.ts';
import { BENCH_MODELS, benchModel, shapeOf } from './models.ts';
import { PEAK_ID, type FromWorker, type ToWorker } from './protocol.ts';
import { buildReport, printReport, type BenchReport, type Measurements } from './report.ts';
import { exploreSystems, SYSTEMS, type SystemSpec } from './systems.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAX_LENGTH = 512;

interface Cli {
  docs: number[];
  runs: number;
  warmup: number;
  threads: number;
  systems?: string[];
  explore: boolean;
  peakMs: number;
  json: boolean;
  report?: string;
}

function parseCli(argv: string[]): Cli {
  const { values } = parseArgs({
    args: argv,
    options: {
      docs: { type: 'string', default: '50,100' },
      runs: { type: 'string', default: '7' },
      warmup: { type: 'string', default: '1' },
      threads: { type: 'string', default: '2' },
      systems: { type: 'string' },
      explore: { type: 'boolean', default: false },
      'peak-ms': { type: 'string', default: '600' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'usage: node --import tsx bench/models/run.ts [--docs 50,100] [--runs 7] [--warmup 1] [--threads 2] [--systems id,...] [--explore] [--peak-ms 600] [--json] | --report saved.json',
    );
    console.log(`systems: ${[...SYSTEMS, ...exploreSystems()].map((s) => s.id).join(', ')}`);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer ≥ ${min}, got '${v}'`);
    return n;
  };
  const docs = values.docs.split(',').map((d) => int('docs', d.trim(), 1));
  if (Math.max(...docs) > 100) usage('--docs: at most 100 documents');
  return {
    docs,
    runs: int('runs', values.runs, 1),
    warmup: int('warmup', values.warmup, 0),
    threads: int('threads', values.threads, 1),
    systems: values.systems?.split(',').map((s) => s.trim()),
    explore: values.explore,
    peakMs: int('peak-ms', values['peak-ms'], 50),
    json: values.json,
    report: values.report,
  };
}

function usage(message: string): never {
  console.error(`bench/models: ${message}`);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A worker child and a promise-based request helper. */
class Worker {
  readonly child: ChildProcess;
  #waiting: ((m: FromWorker) => void) | undefined;

  constructor(readonly id: string) {
    this.child = fork(join(HERE, 'worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: FromWorker) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.(m);
    });
    this.child.on('exit', (code, signal) => {
      if (this.#waiting)
        this.#waiting({
          type: 'error',
          message: `worker exited (${signal ?? `code ${code}`}${signal === 'SIGKILL' ? ', likely out of memory' : ''})`,
        });
    });
    this.child.on('error', () => {}); // a send to a dead child; the exit handler reports it
  }

  request(message: ToWorker): Promise<FromWorker> {
    if (!this.child.connected) return Promise.reject(new ShortlistError('INTERNAL', `bench worker ${this.id} is gone`));
    return new Promise((resolve, reject) => {
      this.#waiting = (m) =>
        m.type === 'error' ? reject(new ShortlistError('INTERNAL', `bench worker ${this.id} failed: ${m.message}`)) : resolve(m);
      this.child.send(message);
    });
  }
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.report) {
    printReport(JSON.parse(await readFile(cli.report, 'utf8')) as BenchReport);
    return;
  }
  const dir = scifactDir();
  if (!dir) {
    console.error(
      `bench/models needs the scifact dataset at ${join(SHARED_DIR, 'datasets', 'scifact')} (corpus.jsonl, queries.jsonl), which is absent. ` +
        'Place the shared folder next to the repository (../shared) and run again.',
    );
    process.exit(2);
  }
  const data = loadBenchData(dir, Math.max(...cli.docs));
  const folders = { rerank: await benchModel(BENCH_MODELS.rerank, log), embed: await benchModel(BENCH_MODELS.embed, log) };

  // Token counts shortlist's tokenizer gives (the same tokens every system feeds).
  const pairTok = await TextTokenizer.fromFolder(folders.rerank);
  const docTok = await TextTokenizer.fromFolder(folders.embed);
  const lengths = {
    rerank: data.docs.map((d) => pairTok.encodePair(data.query, d, MAX_LENGTH).ids.length),
    embed: data.docs.map((d) => docTok.encode(d, MAX_LENGTH).ids.length),
  };

  let systems: SystemSpec[] = [...SYSTEMS, ...(cli.explore ? exploreSystems() : [])];
  if (cli.systems) {
    const known = new Set(systems.map((s) => s.id));
    const unknown = cli.systems.filter((s) => !known.has(s) && !exploreSystems().some((e) => e.id === s));
    if (unknown.length)
      usage(`unknown system(s) ${unknown.join(', ')}; known: ${[...SYSTEMS, ...exploreSystems()].map((s) => s.id).join(', ')}`);
    systems = [...SYSTEMS, ...exploreSystems()].filter((s) => cli.systems!.includes(s.id));
  }

  const load0 = loadavg();
  log(`query: "${data.query}"; ${data.docs.length} docs; threads ${cli.threads}; load ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  const workers = new Map<string, Worker>();
  const m: Measurements = {
    times: {},
    cpuTimes: {},
    values: {},
    padded: {},
    tokens: {},
    loadMs: {},
    maxRssMB: {},
    peak: {},
    peakCpu: {},
    failures: {},
  };
  try {
    for (const spec of [PEAK_ID, ...systems] as const) {
      const id = typeof spec === 'string' ? spec : spec.id;
      const w = new Worker(id);
      workers.set(id, w);
      const task = typeof spec === 'string' ? 'rerank' : spec.task;
      const ready = await w.request({
        type: 'init',
        spec,
        inputs: { folder: folders[task], threads: cli.threads, maxLength: MAX_LENGTH },
        query: data.query,
        docs: data.docs,
      });
      if (ready.type === 'ready') m.loadMs[id] = ready.loadMs;
      log(`  ready ${id} (${((m.loadMs[id] ?? 0) / 1000).toFixed(1)} s)`);
    }
    const rounds = cli.warmup + cli.runs;
    for (let r = 0; r < rounds; r++) {
      const timed = r >= cli.warmup;
      const peak = await workers.get(PEAK_ID)!.request({ type: 'run', n: cli.peakMs, keep: false });
      if (peak.type === 'result' && peak.peak && timed) {
        for (const [k, v] of Object.entries(peak.peak)) {
          (m.peak[k] ??= []).push(v.wall);
          (m.peakCpu[k] ??= []).push(v.cpu);
        }
      }
      const order = systems.map((_, i) => systems[(i + r) % systems.length]);
      for (const n of cli.docs) {
        for (const spec of order) {
          if (m.failures[spec.id]) continue;
          const res = await workers
            .get(spec.id)!
            .request({ type: 'run', n, keep: r === 0 })
            .catch((err: unknown) => {
              m.failures[spec.id] = `at ${n} docs, round ${r + 1}: ${err instanceof Error ? err.message : String(err)}`;
              log(`  ${spec.id} failed ${m.failures[spec.id]}`);
              return undefined;
            });
          if (res?.type !== 'result') continue;
          const key = `${spec.id}@${n}`;
          if (timed) {
            (m.times[key] ??= []).push(res.ms);
            (m.cpuTimes[key] ??= []).push(res.cpuMs);
          }
          if (res.values) m.values[key] = res.values;
          if (res.paddedTokens !== undefined) m.padded[key] = res.paddedTokens;
          if (res.tokens !== undefined) m.tokens[key] = res.tokens;
          await new Promise((resolve) => setTimeout(resolve, 30)); // let the last run's spinning pool threads sleep
        }
      }
      log(`  round ${r + 1}/${rounds}${timed ? '' : ' (warm-up)'} done; load ${loadavg()[0].toFixed(2)}`);
    }
  } finally {
    for (const [id, w] of workers) {
      if (!w.child.connected) continue;
      const bye = await w.request({ type: 'exit' }).catch(() => undefined);
      if (bye?.type === 'bye') m.maxRssMB[id] = bye.maxRssMB;
    }
  }
  const report = buildReport({
    cli: { docs: cli.docs, runs: cli.runs, warmup: cli.warmup, threads: cli.threads },
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', loadBefore: load0, loadAfter: loadavg(), node: process.version },
    data: { source: data.source, query: data.query, ids: data.ids },
    models: {
      rerank: { folder: folders.rerank, ...BENCH_MODELS.rerank, shape: shapeOf(BENCH_MODELS.rerank) },
      embed: { folder: folders.embed, ...BENCH_MODELS.embed, shape: shapeOf(BENCH_MODELS.embed) },
    },
    lengths,
    systems,
    measurements: m,
  });
  if (cli.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
