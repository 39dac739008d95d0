/**
 * One bench system in its own process, so its peak memory (maxRSS) is its own: build it on
 * `init`, time each `run`, report maxRSS on `exit`. Driven by run.ts over IPC (see protocol.ts).
 */
import { resourceUsage } from 'node:process';
import { MatMulPeak } from './matmul-peak.ts';
import { PEAK_ID, type FromWorker, type ToWorker } from './protocol.ts';
import type { SystemRunner } from './systems.ts';

let runner: SystemRunner | undefined;
let peak: MatMulPeak | undefined;
let query = '';
let docs: string[] = [];

function send(message: FromWorker): void {
  process.send!(message);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    const started = performance.now();
    query = message.query;
    docs = message.docs;
    if (message.spec === PEAK_ID) peak = await MatMulPeak.create(message.inputs.threads);
    else {
      const { buildSystem } = await import('./systems.ts');
      runner = await buildSystem(message.spec, message.inputs);
    }
    send({ type: 'ready', loadMs: performance.now() - started });
  } else if (message.type === 'run') {
    if (peak) {
      const started = performance.now();
      const result = await peak.measure(message.n);
      send({ type: 'result', ms: performance.now() - started, cpuMs: 0, peak: result });
      return;
    }
    const slice = docs.slice(0, message.n);
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const out = await runner!.run(query, slice);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    send({
      type: 'result',
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      values: message.keep ? out.values : undefined,
      paddedTokens: out.paddedTokens,
      tokens: out.tokens,
    });
  } else {
    await runner?.dispose();
    await peak?.dispose();
    send({ type: 'bye', maxRssMB: resourceUsage().maxRSS / 1024 });
    process.disconnect();
  }
}

let queue = Promise.resolve();
process.on('message', (message: ToWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((err: unknown) => {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    });
});
