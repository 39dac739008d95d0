/**
 * The server benchmark end to end at toy scale: a tiny generated cross-encoder behind the real
 * server, autocannon at two concurrencies, batching on and serial; every request succeeds and the
 * report has a row per run and a ratio per concurrency. Also: the request bodies are deterministic
 * and their document lengths vary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { DOC_LENGTH, rerankBodies } from './corpus.ts';

test('rerankBodies: deterministic, 50 documents of varied lengths per request', () => {
  const [a, b] = [rerankBodies(3, 50, 9), rerankBodies(3, 50, 9)];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, rerankBodies(3, 50, 10));
  const words = a.flatMap((r) => r.documents.map((d) => d.split(' ').length));
  assert.equal(words.length, 150);
  assert.ok(Math.min(...words) >= DOC_LENGTH.minWords && Math.max(...words) <= DOC_LENGTH.maxWords);
  assert.ok(Math.max(...words) > 3 * Math.min(...words), `lengths vary: ${Math.min(...words)}–${Math.max(...words)} words`);
});

test('bench/server/run.ts runs against the real server with a tiny model and reports every run', async () => {
  const model = await tinyModel('classifier');
  const run = fileURLToPath(new URL('./run.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      run,
      '--model',
      model,
      '--dtype',
      'fp32',
      '--threads',
      '1',
      '--max-length',
      '128',
      '--concurrency',
      '1,4',
      '--modes',
      'on,serial',
      '--docs',
      '8',
      '--rounds',
      '1',
      '--min-requests',
      '4',
      '--json',
    ],
    { timeout: 60_000 },
  );
  const report = JSON.parse(stdout) as {
    rows: { mode: string; concurrency: number; requests: number; reqPerSec: number; errors: number; non2xx: number; meanBatch?: number }[];
    ratios: Record<string, number>[];
  };
  assert.deepEqual(
    report.rows.map((r) => `${r.concurrency}/${r.mode}`),
    ['1/on', '1/serial', '4/on', '4/serial'],
  );
  for (const r of report.rows) {
    assert.equal(r.errors + r.non2xx, 0, `${r.mode} at ${r.concurrency}`);
    assert.ok(r.reqPerSec > 0);
    assert.equal(r.requests, 4);
  }
  assert.equal(report.rows.find((r) => r.mode === 'serial' && r.concurrency === 4)?.meanBatch, 8, 'serial never merges');
  assert.deepEqual(
    report.ratios.map((r) => Object.keys(r).sort()),
    [
      ['concurrency', 'on/serial'],
      ['concurrency', 'on/serial'],
    ],
  );
});
