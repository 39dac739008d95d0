/**
 * The server process the load generator talks to: shortlist's own server (`createServer`, as
 * `shortlist serve` runs it) with one cross-encoder behind its rerank routes. Prints
 * `{"port": n}` on stdout when listening; closes gracefully on SIGTERM.
 *
 * `--batching` picks how requests reach the model:
 * - `on`: cross-request batching (the queue merges concurrent requests up to `--max-batch-tokens`);
 * - `off`: batching disabled — every request runs its own model call as soon as it arrives,
 *   concurrently with the others (what a server without a batching queue does);
 * - `serial`: the queue with `maxRequestsPerBatch: 1` — one request at a time in arrival order,
 *   never merged; separates what merging buys from what running one batch at a time buys.
 *
 *   node --import tsx bench/server/serve.ts --model <folder> [--threads 2] [--batching on|off|serial]
 */
import { parseArgs } from 'node:util';
import { createServer, type ServerBatching } from '../../src/server/index.ts';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    threads: { type: 'string', default: '2' },
    'max-length': { type: 'string', default: '512' },
    batching: { type: 'string', default: 'on' },
    'max-batch-tokens': { type: 'string' },
    'max-wait-ms': { type: 'string' },
    'max-queued': { type: 'string' },
  },
});
if (!args.model) throw new Error('--model <folder> is required');
if (!['on', 'serial', 'off'].includes(args.batching!)) throw new Error(`--batching must be on, off or serial, got ${args.batching}`);

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const batching = {
  enabled: args.batching !== 'off',
  maxBatchTokens: num(args['max-batch-tokens']),
  maxWaitMs: num(args['max-wait-ms']),
  maxQueued: num(args['max-queued']),
  // a BatchQueue option the server's own batching settings do not list; passed through as is
  ...(args.batching === 'serial' ? { maxRequestsPerBatch: 1 } : {}),
} as Partial<ServerBatching>;
const server = await createServer({
  rerankModel: args.model,
  rerankPreset: { activation: 'sigmoid', maxLength: Number(args['max-length']) },
  threads: Number(args.threads),
  port: 0,
  quiet: true,
  batching,
  limits: { timeoutMs: 600_000, documents: 1000 },
});
process.stdout.write(JSON.stringify({ port: server.port }) + '\n');
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
