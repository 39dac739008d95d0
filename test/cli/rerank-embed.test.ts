/** `shortlist rerank` and `shortlist embed` end to end, on tiny generated models, in a child process. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { register as registerEmbed } from '../../src/cli/commands/embed.ts';
import { register as registerRerank } from '../../src/cli/commands/rerank.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wired = (await COMMANDS.rerank.load()).register === registerRerank && (await COMMANDS.embed.load()).register === registerEmbed;

/**
 * Run the CLI: through bin/shortlist.js once the commands are in COMMANDS; until then through the
 * same entry logic (src/cli/main.ts's catch) on a program with these two commands registered.
 */
function cli(args: string[], input?: string) {
  const driver = `
    const { Command } = await import('commander');
    const { isShortlistError } = await import('./src/core/errors.ts');
    const program = new Command('shortlist').exitOverride();
    (await import('./src/cli/commands/rerank.ts')).register(program);
    (await import('./src/cli/commands/embed.ts')).register(program);
    try { await program.parseAsync(process.argv); }
    catch (err) { if (isShortlistError(err)) { process.stderr.write('shortlist: ' + err.message + '\\n'); process.exitCode = err.exitCode; } else if (String(err.code).startsWith('commander.')) process.exitCode = err.exitCode; else throw err; }`;
  const argv = wired
    ? [join(root, 'bin/shortlist.js'), ...args]
    : ['--import', 'tsx', '--input-type=module', '-e', driver, 'shortlist', ...args];
  const child = spawn(process.execPath, argv, { cwd: root, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(input ?? '');
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const DOCS = [
  'Patients who received the treatment had lower blood pressure.',
  'Cells were grown in a medium containing glucose.',
  'The system processes one thousand documents per second.',
];

describe('shortlist rerank / embed', { concurrency: true }, () => {
  let dir: string;
  let encoderDir: string;
  let classifierDir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shortlist-cli-'));
    encoderDir = await tinyModel('encoder');
    classifierDir = await tinyModel('classifier');
    writeFileSync(
      join(dir, 'docs.jsonl'),
      [JSON.stringify({ text: DOCS[0] }), JSON.stringify(DOCS[1]), '', JSON.stringify({ text: DOCS[2], id: 'x' })].join('\n') + '\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rerank --json prints [{index, score, logit}] sorted by score, equal to the library', async () => {
    const query = 'which treatment lowered blood pressure';
    const out = await cli([
      'rerank',
      '--model',
      classifierDir,
      '--activation',
      'sigmoid',
      '--max-length',
      '128',
      '--query',
      query,
      '--docs',
      join(dir, 'docs.jsonl'),
      '--json',
      '--threads',
      '1',
    ]);
    assert.equal(out.status, 0, out.stderr);
    const ranked = JSON.parse(out.stdout) as { index: number; score: number; logit: number }[];
    const ce = await CrossEncoder.create({ model: classifierDir, preset: { activation: 'sigmoid', maxLength: 128 }, threads: 1 });
    const scores = await ce.score(query, DOCS);
    await ce.dispose();
    assert.deepEqual(ranked.map((r) => r.index).sort(), [0, 1, 2]);
    for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].score >= ranked[i].score);
    for (const r of ranked) {
      assert.ok(Math.abs(r.score - scores[r.index].score) < 1e-6);
      assert.ok(Math.abs(r.logit - scores[r.index].logit) < 1e-6);
    }
  });

  it('rerank prints a table by default', async () => {
    const out = await cli([
      'rerank',
      '-m',
      classifierDir,
      '--activation',
      'none',
      '--max-length',
      '128',
      '-q',
      'glucose',
      '-d',
      join(dir, 'docs.jsonl'),
    ]);
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.match(lines[0], /^rank\s+index\s+score\s+logit\s+text/);
    assert.equal(lines.length, 2 + DOCS.length);
  });

  it('embed --json prints one array per input line, in order, equal to the library', async () => {
    const out = await cli(
      [
        'embed',
        '--model',
        encoderDir,
        '--pooling',
        'cls',
        '--normalize',
        '--max-length',
        '128',
        '--kind',
        'query',
        '--json',
        '--query-prefix',
        'query: ',
      ],
      DOCS.join('\n') + '\n',
    );
    assert.equal(out.status, 0, out.stderr);
    const rows = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as number[]);
    const be = await BiEncoder.create({
      model: encoderDir,
      preset: { pooling: 'cls', normalize: true, maxLength: 128, queryPrefix: 'query: ' },
      threads: 1,
    });
    const expected = await be.embed(DOCS, 'query');
    await be.dispose();
    assert.equal(rows.length, DOCS.length);
    rows.forEach((row, i) => {
      assert.equal(row.length, 32);
      assert.ok(Math.max(...row.map((x, j) => Math.abs(x - expected[i][j]))) < 1e-6);
    });
  });

  it('fails with clear messages and exit codes', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"text": "ok"}\n{"title": "no text"}\n');
    const [noFields, blank, bad] = await Promise.all([
      cli(['embed', '--model', encoderDir], 'text\n'),
      cli(['embed', '--model', encoderDir, '--pooling', 'mean', '--max-length', '64'], 'one\n\nthree\n'),
      cli(['rerank', '-m', classifierDir, '--activation', 'sigmoid', '--max-length', '64', '-q', 'q', '-d', join(dir, 'bad.jsonl')]),
    ]);
    assert.equal(noFields.status, 6);
    assert.match(
      noFields.stderr,
      /pooling: the folder has no modules\.json \+ 1_Pooling\/config\.json .*give --pooling cls\|mean\|max\|last \(serve: --embed-preset/,
    );
    assert.equal(blank.status, 3);
    assert.match(blank.stderr, /stdin:2: blank line/);
    assert.equal(bad.status, 3);
    assert.match(bad.stderr, /bad\.jsonl:2: the line has no string field "text"/);
  });
});
