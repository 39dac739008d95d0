/**
 * Server load test: rerank requests of 50 documents of varied lengths against a MiniLM-L6-shaped
 * cross-encoder (generated, random weights) on loopback, driven by autocannon at several
 * concurrencies, with cross-request batching on and off. Prints throughput, p50/p99 latency,
 * errors and non-2xx replies per run, the mean batch size, and the on/off throughput ratio per
 * concurrency.
 *
 * Every mode runs in its own server process (bench/server/serve.ts), all started before the first
 * run; runs are interleaved (for each concurrency, every mode in turn) so that load drifting on a
 * shared machine hits the modes alike. Each run sends `--rounds` × concurrency requests (at least
 * `--min-requests`), each with a fresh body; every server answers 4 warm-up requests first.
 *
 *   node --import tsx bench/server/run.ts [--concurrency 1,8,32] [--modes on,off,serial] [--dtype int8]
 *     [--threads 2] [--max-batch-tokens 16384] [--max-wait-ms 2] [--rounds 3] [--docs 50] [--model <folder>] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_MODELS, benchModel } from '../models/models.ts';
import { rerankBodies } from './corpus.ts';

/** One autocannon run. */
export interface ServerRunRow {
  mode: string;
  concurrency: number;
  requests: number;
  /** Successful replies per second over the run's wall time. */
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Mean items per model batch during the run (queue modes only). */
  meanBatch?: number;
}

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '1,8,32' },
    modes: { type: 'string', default: 'on,off' },
    dtype: { type: 'string', default: 'int8' },
    threads: { type: 'string', default: '2' },
    'max-length': { type: 'string', default: '512' },
    'max-batch-tokens': { type: 'string' },
    'max-wait-ms': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'min-requests': { type: 'string', default: '12' },
    docs: { type: 'string', default: '50' },
    model: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const concurrencies = args.concurrency!.split(',').map(Number);
const modes = args.modes!.split(',');
const docs = Number(args.docs);
const model = dtypeView(args.model ?? (await benchModel(BENCH_MODELS.rerank, log)), args.dtype!);
const loadBefore = loadavg();

/** Start one server process and wait for its port. */
async function startServer(mode: string): Promise<{ child: ChildProcess; url: string }> {
  const extra = (['max-batch-tokens', 'max-wait-ms', 'max-length'] as const).flatMap((k) => (args[k] ? [`--${k}`, args[k]!] : []));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./serve.ts', import.meta.url)),
      '--model',
      model,
      '--threads',
      args.threads!,
      '--batching',
      mode,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let buffered = '';
  for await (const chunk of child.stdout!) {
    buffered += chunk;
    const line = buffered.split('\n').find((l) => l.startsWith('{'));
    if (line) return { child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` };
  }
  throw new Error(`server (${mode}) exited before listening`);
}

/**
 * The server loads `onnx/model.onnx`; for int8 this returns a sibling folder whose `onnx/model.onnx`
 * links to the generated `model_quantized.onnx` (the other files link to the originals).
 */
function dtypeView(folder: string, dtype: string): string {
  if (dtype === 'fp32') return folder;
  if (dtype !== 'int8') throw new Error(`--dtype must be fp32 or int8, got ${dtype}`);
  const view = `${folder.replace(/\/+$/, '')}-int8-view`;
  if (!existsSync(join(view, 'onnx', 'model.onnx'))) {
    mkdirSync(join(view, 'onnx'), { recursive: true });
    for (const f of readdirSync(folder)) if (f !== 'onnx' && !existsSync(join(view, f))) symlinkSync(join(folder, f), join(view, f));
    symlinkSync(join(folder, 'onnx', 'model_quantized.onnx'), join(view, 'onnx', 'model.onnx'));
  }
  return view;
}

let seed = 1;
/** One autocannon run of `amount` requests with fresh bodies over `connections` connections. */
async function load(url: string, connections: number, amount: number): Promise<{ result: autocannon.Result; wallS: number }> {
  const bodies = rerankBodies(amount, docs, seed++).map((b) => JSON.stringify({ ...b, top_n: 10 }));
  let next = 0;
  const t0 = performance.now();
  const result = await autocannon({
    url: `${url}/v1/rerank`,
    connections,
    amount,
    timeout: 600,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
  return { result, wallS: (performance.now() - t0) / 1000 };
}

/** Batches and items so far, from the server's /metrics (`shortlist_batch_size` histogram). */
async function stats(url: string): Promise<{ batches: number; items: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}\\{queue="rerank"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { batches: read('shortlist_batch_size_count'), items: read('shortlist_batch_size_sum') };
}

const servers = new Map<string, { child: ChildProcess; url: string }>();
for (const mode of modes) {
  const server = await startServer(mode);
  servers.set(mode, server);
  await load(server.url, 2, 4); // warm-up: the first runs of a session are slower
}
const rows: ServerRunRow[] = [];
try {
  for (const c of concurrencies) {
    const amount = Math.max(Number(args['min-requests']), c * Number(args.rounds));
    for (const mode of modes) {
      const { url } = servers.get(mode)!;
      const before = await stats(url);
      const { result, wallS } = await load(url, c, amount);
      const after = await stats(url);
      const ok = result['2xx'];
      const batches = after.batches - before.batches;
      rows.push({
        mode,
        concurrency: c,
        requests: amount,
        reqPerSec: ok / wallS,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx,
        meanBatch: batches === 0 ? undefined : (after.items - before.items) / batches,
      });
      log(
        `c=${c} ${mode}: ${(ok / wallS).toFixed(2)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors} errors, ${result.non2xx} non-2xx`,
      );
    }
  }
} finally {
  for (const { child } of servers.values()) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const ratio = (c: number, mode: string) => {
  const on = rows.find((r) => r.concurrency === c && r.mode === 'on');
  const other = rows.find((r) => r.concurrency === c && r.mode === mode);
  return on && other ? on.reqPerSec / other.reqPerSec : undefined;
};
const baselines = modes.filter((m) => m !== 'on');
const report = {
  model: `MiniLM-L6 shape (generated), ${args.dtype}, ${args.threads} ORT threads, max ${args['max-length']} tokens`,
  docsPerRequest: docs,
  loadavg: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadavg().map((x) => +x.toFixed(2)) },
  rows,
  ratios: concurrencies.map((c) => ({ concurrency: c, ...Object.fromEntries(baselines.map((m) => [`on/${m}`, ratio(c, m)])) })),
};

if (args.json) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  console.log(`Server benchmark — POST /v1/rerank, ${docs} documents per request; ${report.model}`);
  console.log(`load average (1/5/15 min) before: ${report.loadavg.before.join(' ')}, after: ${report.loadavg.after.join(' ')}\n`);
  console.log('| concurrency | batching | requests | req/s | p50 ms | p99 ms | errors | non-2xx | mean batch (docs) |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.concurrency} | ${r.mode} | ${r.requests} | ${r.reqPerSec.toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.meanBatch?.toFixed(0) ?? '–'} |`,
    );
  }
  console.log(`\n| concurrency | ${baselines.map((m) => `on / ${m} (req/s)`).join(' | ')} |`);
  console.log(`|---:|${baselines.map(() => '---:').join('|')}|`);
  for (const r of report.ratios) {
    console.log(
      `| ${r.concurrency} | ${baselines.map((m) => ((r as Record<string, number | undefined>)[`on/${m}`]?.toFixed(2) ?? '–') + '×').join(' | ')} |`,
    );
  }
}
