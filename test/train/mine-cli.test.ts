/**
 * `shortlist mine` through the CLI on a generated BEIR folder: the summary (table and --json), files
 * in every layout that fit their schemas, the same bytes for the same seed, and a real (generated,
 * tiny) ONNX cross-encoder as the margin-mse teacher.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { validateRow } from '../../src/lab/export/index.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-mine-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const beir = join(root, 'beir');
writeCollection(beir, { docs: 120, queries: 12, seed: 5 });

test('mine: table summary, seeded random sampling gives identical files, n-tuple rows fit the layout', async () => {
  const args = (out: string, seed: string) => [
    'mine',
    beir,
    '--range-min',
    '1',
    '--range-max',
    '15',
    '--num-negatives',
    '3',
    '--sampling-strategy',
    'random',
    '--seed',
    seed,
    '--format',
    'n-tuple',
    '--out',
    out,
  ];
  const a = await runCli(args(join(root, 'a.jsonl'), '7'));
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /labelled positive\s+36/);
  assert.match(a.stdout, /kept as negatives\s+36/);
  const b = await runCli(args(join(root, 'b.jsonl'), '7'));
  assert.equal(b.code, 0);
  const fa = readFileSync(join(root, 'a.jsonl'), 'utf8');
  assert.equal(fa, readFileSync(join(root, 'b.jsonl'), 'utf8'));
  for (const line of fa.trim().split('\n')) validateRow('n-tuple', JSON.parse(line), 3);
});

test('mine --json with a generated cross-encoder as teacher writes margin-mse rows', async () => {
  const ce = await tinyModel('classifier');
  const out = join(root, 'mmse.jsonl');
  const r = await runCli([
    'mine',
    beir,
    '--range-max',
    '8',
    '--num-negatives',
    '2',
    '--cross-encoder',
    ce,
    '--cross-encoder-max-length',
    '128',
    '--cross-encoder-activation',
    'none',
    '--format',
    'margin-mse',
    '--out',
    out,
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.summary.scorer, 'cross-encoder');
  assert.equal(report.summary.negatives, 24);
  const rows = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(rows.length, report.rows);
  for (const row of rows) validateRow('margin-mse', row, 2);
  assert.ok(rows.some((row) => row.score !== 0));
});

test('mine refuses a margin-mse export without a teacher', async () => {
  const r = await runCli(['mine', beir, '--format', 'margin-mse', '--out', join(root, 'x.jsonl')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--cross-encoder/);
});
