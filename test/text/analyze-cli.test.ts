/** `shortlist analyze` through the real CLI: one output line per input line, stdin or a file, clear errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.ts';

test('analyze reads stdin and prints one line of terms per input line, empty lines kept', async () => {
  const r = await runCli(['analyze', '--analyzer', 'ru'], { input: 'Книги читали\n\nи в доме\n' });
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'книг чита\n\nдом\n');
});

test('analyze reads a file; names and versioned ids select the same analyzer; english by default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'analyze-cli-'));
  try {
    const file = join(dir, 'in.txt');
    writeFileSync(file, "Türkiye'den İstanbul'a\r\nThe running dogs\n");
    const byName = await runCli(['analyze', '--analyzer', 'turkish', file]);
    const byId = await runCli(['analyze', '--analyzer', 'turkish@1', file]);
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(byName.stdout, 'türki istanbul\nthe runningi dogs\n'); // as Lucene's TurkishAnalyzer
    assert.equal(byId.stdout, byName.stdout);
    const english = await runCli(['analyze', file]);
    assert.equal(english.stdout.split('\n')[1], 'run dog');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('analyze fails clearly on an unknown analyzer or a missing file', async () => {
  const bad = await runCli(['analyze', '--analyzer', 'klingon'], { input: 'x\n' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown analyzer "klingon"; valid analyzers: english, plain, .*russian/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
  const missing = await runCli(['analyze', '--analyzer', 'ru', 'no-such-file.txt']);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /no such file: no-such-file\.txt/);
});
