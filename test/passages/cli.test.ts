/**
 * Passages through the real CLI: `search --json` carries each hit's passages (offsets slice the
 * note's text), the terminal output marks the matched words under each result on a terminal only
 * (a real pseudo-terminal from util-linux `script`), plain when piped; `context --budget` stays
 * within its budget in words and holds the top passage; bad flags get clear errors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countWordsIn } from '../../src/pipeline/passages/index.ts';
import { BIN, runCli } from '../support/cli.ts';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { TextTokenizer } from '../../src/models/tokenize/index.ts';
import { writePassageCorpus, type PassageCorpus } from './corpus.ts';

const MARK = '\x1b[1;31m';
const env = { NO_COLOR: '' };
let root: string;
let kb: string;
let corpus: PassageCorpus;

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function ok(...args: string[]): Promise<string> {
  const r = await runCli(args, { env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shortlist-passages-cli-'));
  corpus = writePassageCorpus(join(root, 'notes'), { notes: 6, queries: 6, words: 1500 });
  kb = join(root, 'kb');
  await ok('init', kb, '--pipeline', 'bm25');
  await ok('add', kb, corpus.dir);
});

after(() => rmSync(root, { recursive: true, force: true }));

test('search --json: every hit carries passages whose offsets slice the note exactly; the best holds the answer', async () => {
  for (const q of corpus.queries.slice(0, 2)) {
    const out = JSON.parse(await ok('search', kb, q.query, '--json', '-k', '3'));
    for (const h of out.hits) {
      const text = corpus.docs.find((d) => d.id === h.id)!.text;
      assert.ok(h.passages.length >= 1 && h.passages.length <= 3);
      for (const p of h.passages) {
        assert.deepEqual(Object.keys(p).sort(), ['chunk', 'end', 'score', 'start', 'text']);
        assert.equal(text.slice(p.start, p.end), p.text);
      }
    }
    assert.equal(out.hits[0].id, q.docId);
    assert.ok(out.hits[0].passages[0].text.includes(q.sentence));
  }
});

test('terminal search: the best passage under each result; matched words marked on a TTY only ("replica" marks "replicas")', {
  skip: hasScript() ? false : 'util-linux `script` is not installed (apt-get install bsdutils)',
}, async () => {
  const q = corpus.queries[0];
  const [, , , , , rare, , , second, , third] = q.query.split(' ');
  const query = `${rare} replica ${second} ${third}`; // "replica" where the note says "replicas"
  const piped = await ok('search', kb, query, '-k', '2');
  assert.ok(!piped.includes('\x1b['), 'no escape codes when piped');
  assert.ok(piped.includes('To set up'), piped);
  const tty = await new Promise<string>((resolve, reject) => {
    const cmd = [process.execPath, BIN, 'search', kb, query, '-k', '2'].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '', TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`script exited ${code}: ${out}`))));
    child.stdin.end();
  });
  assert.ok(tty.includes(`${MARK}replicas\x1b[0m`), JSON.stringify(tty.slice(0, 600)));
  assert.ok(tty.includes(`${MARK}${rare}\x1b[0m`));
  const untimed = (t: string) => t.replace(/\d+ results in .*\n$/, '');
  assert.equal(untimed(tty.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '')), untimed(piped), 'same text, only marked');
});

test('context --budget N: at most N words, the top passage first, ranges of a note never overlap', async () => {
  for (const [budget, q] of [
    [40, corpus.queries[0]],
    [700, corpus.queries[1]],
  ] as const) {
    {
      const text = await ok('context', kb, q.query, '--budget', String(budget));
      assert.ok(countWordsIn(text) <= budget, `${countWordsIn(text)} > ${budget}`);
      assert.ok(text.startsWith(`[${q.docId} · `), text.slice(0, 80));
      assert.ok(text.includes(budget >= 300 ? q.sentence : q.query.split(' ')[5]));
      const json = JSON.parse(await ok('context', kb, q.query, '--budget', String(budget), '--json'));
      assert.ok(json.used <= budget && json.unit === 'words');
      const byDoc = new Map<string, [number, number][]>();
      for (const p of json.passages) {
        assert.equal(corpus.docs.find((d) => d.id === p.id)!.text.slice(p.start, p.end), p.text);
        byDoc.set(p.id, [...(byDoc.get(p.id) ?? []), [p.start, p.end]]);
      }
      for (const r of byDoc.values()) {
        r.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < r.length; i++) assert.ok(r[i][0] > r[i - 1][1]);
      }
    }
  }
});

test("context --tokenizer: the budget counts that model's tokens", async () => {
  const model = await tinyModel('encoder');
  const tok = await TextTokenizer.fromFolder(model);
  const q = corpus.queries[2];
  const json = JSON.parse(await ok('context', kb, q.query, '--budget', '120', '--tokenizer', model, '--json'));
  assert.equal(json.unit, 'tokens');
  assert.ok(json.used <= 120 && json.used > 60, `used ${json.used}`);
  const text = json.passages
    .map(
      (p: { id: string; title: string; start: number; end: number; text: string }) =>
        `[${p.id} · ${p.title} · ${p.start}-${p.end}]\n${p.text}`,
    )
    .join('\n\n');
  assert.equal(tok.tokenIds(text).length, json.used);
  assert.ok(countWordsIn(text) < json.used, 'tokens, not words');
});

test('context: bad flags are clear errors', async () => {
  const none = await runCli(['context', kb, 'x'], { env });
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /--budget/);
  const zero = await runCli(['context', kb, 'x', '--budget', '0'], { env });
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--budget must be a positive whole number/);
  assert.ok(!/\n\s+at /.test(zero.stderr), 'no stack trace');
});
