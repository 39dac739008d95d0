/**
 * trec_eval's own test suite (`../shared/golden/trec_eval-suite/`, copied from usnistgov/trec_eval)
 * reproduced by `shortlist eval --run … --qrels …` through the real CLI: every measure shortlist
 * supports, per query and `all`, to trec_eval's 4 printed decimals. Skips visibly without ../shared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.ts';

const SUITE = fileURLToPath(new URL('../../../shared/golden/trec_eval-suite/', import.meta.url));
const skip = existsSync(join(SUITE, 'out.test.aq')) ? false : `trec_eval's suite is not at ${SUITE} (needs ../shared)`;

const CUTS = [5, 10, 15, 20, 30, 100, 200, 500, 1000];
/** Every shortlist measure trec_eval's all_trec prints (judged@k as 1 - unj_k). */
const MEASURES = [
  'map',
  ...CUTS.map((k) => `map@${k}`),
  'r-prec',
  'bpref',
  'mrr',
  ...CUTS.map((k) => `p@${k}`),
  ...CUTS.map((k) => `recall@${k}`),
  'ndcg',
  ...CUTS.map((k) => `ndcg@${k}`),
  'success@1',
  'success@5',
  'success@10',
  'judged@5',
  'judged@10',
  'judged@20',
];

/** `name qid` → printed value, from trec_eval's output. */
function readExpected(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(SUITE, file), 'utf8').split('\n')) {
    const [name, qid, value] = line.split('\t');
    if (value !== undefined) out.set(`${name.trim()} ${qid}`, value);
  }
  return out;
}

const cases = [
  { expected: 'out.test.aq', args: ['--qrels', 'qrels.test', '--run', 'results.test'], queries: ['301', '302', '303'] },
  { expected: 'out.test.aqc', args: ['-c', '--qrels', 'qrels.test', '--run', 'results.trunc'], queries: ['301', '302', '303'] },
  { expected: 'out.test.aql', args: ['-l2', '--qrels', 'qrels.rel_level', '--run', 'results.test'], queries: ['301', '302', '303'] },
];

for (const c of cases) {
  test(`shortlist eval ${c.args.join(' ')} -q reproduces trec_eval's ${c.expected}`, { skip }, async () => {
    const r = await runCli(['eval', ...c.args, '-q', '--metrics', MEASURES.join(',')], { cwd: SUITE });
    assert.equal(r.code, 0, r.stderr);
    const expected = readExpected(c.expected);
    const lines = r.stdout.trim().split('\n');
    const seen = new Set<string>();
    for (const line of lines) {
      const [padded, qid, value] = line.split('\t');
      const name = padded.trim();
      assert.match(line, /^\S+ *\t\S+\t-?\d+(\.\d{4})?$/, `trec_eval's line format: ${line}`);
      const want = name.startsWith('judged_') ? unjToJudged(expected.get(`unj_${name.slice(7)} ${qid}`)) : expected.get(`${name} ${qid}`);
      assert.ok(want !== undefined, `${c.expected} has no ${name} for ${qid}`);
      assert.equal(value, want, `${name} ${qid}`);
      seen.add(`${name} ${qid}`);
    }
    // every measure for every query and `all`, nothing else
    assert.equal(seen.size, lines.length);
    assert.equal(lines.length, (c.queries.length + 1) * (MEASURES.length + 3) + 1);
    for (const q of [...c.queries, 'all'])
      for (const n of ['num_ret', 'num_rel', 'num_rel_ret', 'map', 'ndcg', 'bpref', 'success_5', 'judged_20'])
        assert.ok(seen.has(`${n} ${q}`), `${n} ${q}`);
    assert.ok(seen.has('num_q all'));
  });
}

/** trec_eval prints unj_k; judged@k is exactly 1 - unj_k, both to 4 decimals. */
function unjToJudged(unj: string | undefined): string | undefined {
  if (unj === undefined) return undefined;
  return (1 - Number(unj)).toFixed(4);
}

test('without -c the mean is over queries in both files; with -c over every qrels query', { skip }, async () => {
  const without = await runCli(['eval', '--qrels', 'qrels.test', '--run', 'results.trunc', '--metrics', 'map'], { cwd: SUITE });
  assert.equal(without.code, 0, without.stderr);
  assert.match(without.stdout, /^num_q\s+\tall\t2$/m); // results.trunc has 301 and 303 only
  const withC = await runCli(['eval', '-c', '--qrels', 'qrels.test', '--run', 'results.trunc', '--metrics', 'map'], { cwd: SUITE });
  assert.match(withC.stdout, /^num_q\s+\tall\t3$/m);
  assert.equal(readExpected('out.test.aqc').get('map all'), /^map\s+\tall\t(\S+)$/m.exec(withC.stdout)?.[1]);
});

test('eval --run/--qrels: bad input names the file and line or the flag (works without ../shared)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-eval-run-'));
  const run = join(dir, 'a.run');
  const qrels = join(dir, 'a.qrels');
  writeFileSync(run, 'q1 Q0 d1 1 2.0 t extra words\nq1 Q0 d2 2 1.0 t\nq2 Q0 d1 1 1 t\n');
  writeFileSync(qrels, 'q1 0 d2 1\nq1 0 d1 0\nq3 0 d1 1\n');
  const ok = await runCli(['eval', '--run', run, '--qrels', qrels, '--metrics', 'mrr,judged@2', '--per-query'], {});
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(
    ok.stdout,
    [
      'num_ret               \tq1\t2',
      'num_rel               \tq1\t1',
      'num_rel_ret           \tq1\t1',
      'recip_rank            \tq1\t0.5000',
      'judged_2              \tq1\t1.0000',
      'num_q                 \tall\t1',
      'num_ret               \tall\t2',
      'num_rel               \tall\t1',
      'num_rel_ret           \tall\t1',
      'recip_rank            \tall\t0.5000',
      'judged_2              \tall\t1.0000',
      '',
    ].join('\n'),
  );
  const json = JSON.parse((await runCli(['eval', '--run', run, '--qrels', qrels, '-c', '--metrics', 'mrr', '--json'])).stdout);
  assert.deepEqual(json.all, { num_ret: 2, num_rel: 2, num_rel_ret: 1, recip_rank: 0.25 });
  assert.equal(json.numQ, 2);

  const short = join(dir, 'short.run');
  writeFileSync(short, 'q1 Q0 d1 1 2.0 t\nq1 Q0 d2 2 1.0\n');
  const bad = await runCli(['eval', '--run', short, '--qrels', qrels]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /short\.run:2.*expected 6/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const noRun = await runCli(['eval', '--qrels', qrels]);
  assert.match(noRun.stderr, /--qrels needs --run/);
  assert.notEqual(noRun.code, 0);
  const level = await runCli(['eval', '--run', run, '--qrels', qrels, '--relevance-level', 'two']);
  assert.match(level.stderr, /--relevance-level must be a whole number/);
  const noData = await runCli(['eval', '--run', run]);
  assert.match(noData.stderr, /BEIR dataset folder, or --run <file> --qrels <file>/);
});
