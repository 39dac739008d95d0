/**
 * `shortlist serve` as a child process: it prints its URL, serves, and on SIGTERM stops accepting
 * connections, finishes the request in flight (held in the batch queue by a long batch wait) and
 * exits 0.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { startServe } from '../support/cli.ts';
import { RERANK_PRESET } from './support.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('SIGTERM with a request in flight: the request completes, new connections are refused, exit 0', async () => {
  const model = await tinyModel('classifier');
  const server = await startServe(
    ['--port', '0', '--rerank-model', model, '--rerank-preset', JSON.stringify(RERANK_PRESET), '--threads', '1', '--max-wait-ms', '1500'],
    { cwd: root },
  );
  const { url, child, exited } = server;
  assert.equal((await fetch(`${url}/health`)).status, 200);

  const t0 = performance.now();
  const inFlight = fetch(`${url}/rerank`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ query: 'blood pressure', texts: ['lower blood pressure', 'glucose'] }),
  });
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(fetch(`${url}/health`), 'a stopping server accepts no new connections');
  const res = await inFlight;
  assert.equal(res.status, 200);
  const body = (await res.json()) as { index: number; score: number }[];
  assert.equal(body.length, 2);
  assert.ok(performance.now() - t0 >= 1400, 'the request was still waiting in the queue when SIGTERM came');
  assert.equal(await exited, 0, server.stderr());
  assert.match(server.stderr(), /shutting down/);
  assert.match(server.stderr(), /"msg":"stopped"/);
});
