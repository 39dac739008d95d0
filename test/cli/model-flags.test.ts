/**
 * The shared model flags take their choices and defaults from the library: `--activation` offers
 * every activation (softmax with `--label-index` included), `--dtype`/`--pooling` the library's
 * lists, `--batch-tokens` names the batching default; `rerank --activation softmax` scores as the
 * library does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { BATCHING_DEFAULTS } from '../../src/models/batching.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';
import { ACTIVATIONS, DTYPES, POOLINGS } from '../../src/models/presets/types.ts';
import { runCli } from '../support/cli.ts';

test('--help of rerank, embed and models inspect lists the library choices and defaults', async () => {
  const [rerank, embed, inspect] = await Promise.all([
    runCli(['rerank', '--help']),
    runCli(['embed', '--help']),
    runCli(['models', 'inspect', '--help']),
  ]);
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  const choices = (list: readonly string[]) => `(choices: ${list.map((x) => `"${x}"`).join(', ')}`;
  assert.ok(flat(rerank.stdout).includes(choices(ACTIVATIONS)), rerank.stdout);
  assert.ok(flat(rerank.stdout).includes('--label-index <n>'), rerank.stdout);
  assert.ok(flat(rerank.stdout).includes(`(default ${BATCHING_DEFAULTS.maxTokens})`), rerank.stdout);
  assert.ok(flat(rerank.stdout).includes(choices(DTYPES)), rerank.stdout);
  assert.ok(flat(embed.stdout).includes(choices(POOLINGS)), embed.stdout);
  assert.ok(flat(inspect.stdout).includes(choices(ACTIVATIONS)), inspect.stdout);
});

test('rerank --activation softmax --label-index 0 scores as the library does; a bad label index names the flag', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-flags-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const model = await tinyModel('classifier');
  const docs = ['blood pressure fell', 'cells in glucose', 'documents per second'];
  writeFileSync(join(dir, 'docs.jsonl'), docs.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  const out = await runCli([
    'rerank',
    '-m',
    model,
    '--activation',
    'softmax',
    '--label-index',
    '0',
    '--max-length',
    '64',
    '-q',
    'blood pressure',
    '-d',
    join(dir, 'docs.jsonl'),
    '--json',
    '--threads',
    '1',
  ]);
  assert.equal(out.code, 0, out.stderr);
  const ranked = JSON.parse(out.stdout) as { index: number; score: number }[];
  const ce = await CrossEncoder.create({ model, preset: { activation: 'softmax', labelIndex: 0, maxLength: 64 }, threads: 1 });
  const scores = await ce.score('blood pressure', docs);
  await ce.dispose();
  assert.equal(ranked.length, docs.length);
  for (const r of ranked) {
    assert.ok(r.score >= 0 && r.score <= 1);
    assert.ok(Math.abs(r.score - scores[r.index].score) < 1e-6);
  }
  const bad = await runCli([
    'rerank',
    '-m',
    model,
    '--activation',
    'softmax',
    '--label-index',
    '-1',
    '-q',
    'q',
    '-d',
    join(dir, 'docs.jsonl'),
  ]);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--label-index must be a non-negative integer, got '-1'/);
});
