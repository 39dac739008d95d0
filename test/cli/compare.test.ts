/**
 * `shortlist compare` end to end in a child process: a fresh commander program with only this
 * command registered. Runs and qrels are generated in a temp folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const COMMAND = fileURLToPath(new URL('../../src/cli/commands/compare.ts', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'shortlist-compare-'));
const QUERIES = 30;

/** A run where query i has its relevant document `r` at rank rankOf(i) among 10. */
function writeRun(file: string, rankOf: (i: number) => number, tag: string): void {
  const lines: string[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const rank = rankOf(i);
    for (let k = 1; k <= 10; k++) lines.push(`q${i} Q0 ${k === rank ? 'r' : `d${k}`} ${k} ${(20 - k).toFixed(2)} ${tag}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

const runA = join(dir, 'a.run');
const runB = join(dir, 'b.run');
const qrelsTrec = join(dir, 'qrels.txt');
const qrelsBeir = join(dir, 'test.tsv');
writeRun(runA, (i) => 1 + (i % 5), 'A');
writeRun(runB, (i) => (i % 3 === 0 ? 2 : 1), 'B');
writeFileSync(qrelsTrec, Array.from({ length: QUERIES }, (_, i) => `q${i} 0 r 1\nq${i} 0 d9 0`).join('\n') + '\n');
writeFileSync(qrelsBeir, 'query-id\tcorpus-id\tscore\n' + Array.from({ length: QUERIES }, (_, i) => `q${i}\tr\t1`).join('\n') + '\n');

/**
 * Runs `shortlist compare ...args` in a child process with a program holding only this command
 * (independent of the command table), errors mapped to exit codes like the real entry point.
 */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    const { Command } = await import('commander');
    const { register } = await import(${JSON.stringify(COMMAND)});
    const program = new Command('shortlist').exitOverride();
    register(program);
    try { await program.parseAsync(process.argv.slice(1), { from: 'user' }); }
    catch (e) { process.stderr.write(String(e.code) + ': ' + e.message + '\\n'); process.exitCode = e.exitCode ?? 1; }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('compare --json: one object with every metric, same result for TREC and BEIR qrels', async () => {
  const j = JSON.parse(await ok(['compare', runA, runB, '--qrels', qrelsTrec, '--metrics', 'mrr,ndcg@10,recall@1', '--json']));
  assert.equal(j.qrelsFormat, 'trec');
  assert.equal(j.queries, QUERIES);
  assert.equal(j.permutations, 10000);
  assert.equal(j.seed, 1);
  assert.deepEqual(j.metrics, ['mrr', 'ndcg@10', 'recall@1']);
  const mrr = j.comparisons[0];
  // A: ranks 1..5 cycling → mean RR (1 + 1/2 + 1/3 + 1/4 + 1/5)/5; B: rank 2 on every third query.
  const meanA = (1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5) / 5;
  const meanB = (20 * 1 + 10 * 0.5) / 30;
  assert.ok(Math.abs(mrr.meanA - meanA) < 1e-12);
  assert.ok(Math.abs(mrr.meanB - meanB) < 1e-12);
  assert.ok(Math.abs(mrr.delta - (meanB - meanA)) < 1e-12);
  assert.equal(mrr.exact, false);
  assert.ok(mrr.randomizationP < 0.01, `B is clearly better, p = ${mrr.randomizationP}`);
  assert.ok(mrr.tTestP < 0.01);
  // Per query: B wins where A's rank > B's rank, ties where equal.
  let wins = 0,
    ties = 0,
    losses = 0;
  for (let i = 0; i < QUERIES; i++) {
    const ra = 1 + (i % 5),
      rb = i % 3 === 0 ? 2 : 1;
    if (rb < ra) wins++;
    else if (rb === ra) ties++;
    else losses++;
  }
  assert.deepEqual([mrr.wins, mrr.ties, mrr.losses], [wins, ties, losses]);

  const beir = JSON.parse(await ok(['compare', runA, runB, '--qrels', qrelsBeir, '--metrics', 'mrr,ndcg@10,recall@1', '--json']));
  assert.equal(beir.qrelsFormat, 'beir');
  assert.deepEqual(beir.comparisons, j.comparisons);
});

test('compare prints a table; identical runs give zero deltas and p = 1', async () => {
  const text = await ok(['compare', runA, runA, '--qrels', qrelsTrec, '--permutations', '500', '--seed', '7']);
  assert.match(text, /^metric\s+A\s+B\s+B − A\s+p \(rand\)\s+p \(t-test\)\s+win\s+tie\s+loss$/m);
  assert.match(text, /500 permutations, seed 7/);
  for (const m of ['ndcg@10', 'map', 'recall@100']) {
    assert.match(text, new RegExp(`^${m}\\s+[\\d.]+\\s+[\\d.]+\\s+\\+0\\.0000\\s+1\\.0000\\s+1\\.0000\\s+0\\s+${QUERIES}\\s+0$`, 'm'));
  }
});

test('compare rejects a bad metric, a bad seed and a missing qrels file', async () => {
  const metric = await cli(['compare', runA, runB, '--qrels', qrelsTrec, '--metrics', 'bogus@3']);
  assert.equal(metric.code, 2);
  assert.match(metric.stderr, /INVALID_ARGUMENT: .*bogus/);
  const seed = await cli(['compare', runA, runB, '--qrels', qrelsTrec, '--seed', '1.5']);
  assert.equal(seed.code, 2);
  assert.match(seed.stderr, /--seed must be a whole number/);
  const missing = await cli(['compare', runA, runB, '--qrels', join(dir, 'nope.txt')]);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /NOT_FOUND: .*nope\.txt/);
});
