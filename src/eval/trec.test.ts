import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isShortlistError } from '../core/errors.ts';
import { formatTrecRun, readTrecQrels, readTrecRun, toRun, writeTrecQrels, writeTrecRun } from './trec.ts';
import type { Run } from './types.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shortlist-trec-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, text: string | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function rejectsAt(p: Promise<unknown>, code: 'INVALID_INPUT' | 'DUPLICATE_ID', file: string, line: number, pattern: RegExp) {
  return assert.rejects(p, (err: unknown) => {
    assert.ok(isShortlistError(err, code), `expected ${code}, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${file}:${line}: `), err.message);
    assert.match(err.message, pattern);
    return true;
  });
}

test('readTrecRun keeps file order per query, ignores the rank column, skips blank lines', async () => {
  const file = await put('a.run', 'q1 Q0 d1 7 1.5 tag\n\nq2 Q0 d9 1 3 tag\nq1\tQ0\td2  1  2.5e0 other\r\n');
  const run = await readTrecRun(file);
  assert.deepEqual(
    [...run.entries()],
    [
      [
        'q1',
        [
          { docid: 'd1', score: 1.5 },
          { docid: 'd2', score: 2.5 },
        ],
      ],
      ['q2', [{ docid: 'd9', score: 3 }]],
    ],
  );
});

test('readTrecRun reads gzip-compressed runs', async () => {
  const file = await put('a.run.gz', gzipSync('q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2 0.25 t\n'));
  const run = await readTrecRun(file);
  assert.deepEqual(run.get('q1'), [
    { docid: 'd1', score: 0.5 },
    { docid: 'd2', score: 0.25 },
  ]);
});

test('run lines with text after the sixth field are read as trec_eval reads them', async () => {
  const file = await put('trunc.run', '301\tQ0\tFBIS3-27619\t99\t  2.138276\tSTANDARD more junk at\n301 Q0 d2 1 3.5 STANDARD\n');
  const run = await readTrecRun(file);
  assert.deepEqual(run.get('301'), [
    { docid: 'FBIS3-27619', score: 2.138276 },
    { docid: 'd2', score: 3.5 },
  ]);
});

test('bad run lines: wrong field count, non-numeric score, a docid twice -> file:line', async () => {
  const five = await put('five.run', 'q1 Q0 d1 1 1.0 t\nq1 Q0 d2 2 1.0\n');
  await rejectsAt(readTrecRun(five), 'INVALID_INPUT', five, 2, /expected 6 .*found 5/);
  const score = await put('score.run', 'q1 Q0 d1 1 high t\n');
  await rejectsAt(readTrecRun(score), 'INVALID_INPUT', score, 1, /score "high" is not a number/);
  const dup = await put('dup.run', 'q1 Q0 d1 1 2 t\nq2 Q0 d1 1 2 t\nq1 Q0 d1 2 1 t\n');
  await rejectsAt(readTrecRun(dup), 'INVALID_INPUT', dup, 3, /"d1" is listed twice for query "q1" \(lines 1 and 3\)/);
});

test('readTrecQrels reads grades; bad lines and duplicates are reported at file:line', async () => {
  const file = await put('a.qrels', '# comment\n1 0 d1 2\n1 0 d2 0\n2 0 d1 1\n');
  const qrels = await readTrecQrels(file);
  assert.deepEqual(
    [...qrels].map(([q, d]) => [q, [...d]]),
    [
      [
        '1',
        [
          ['d1', 2],
          ['d2', 0],
        ],
      ],
      ['2', [['d1', 1]]],
    ],
  );
  const three = await put('three.qrels', '1 0 d1 1\n1 d2 1\n');
  await rejectsAt(readTrecQrels(three), 'INVALID_INPUT', three, 2, /expected 4 .*found 3/);
  const grade = await put('grade.qrels', '1 0 d1 0.5\n');
  await rejectsAt(readTrecQrels(grade), 'INVALID_INPUT', grade, 1, /grade "0.5" is not an integer/);
  const dup = await put('dup.qrels', '1 0 d1 1\n1 0 d1 2\n');
  await rejectsAt(readTrecQrels(dup), 'DUPLICATE_ID', dup, 2, /lines 1 and 2.*onDuplicate 'last'/);
  assert.equal((await readTrecQrels(dup, { onDuplicate: 'last' })).get('1')?.get('d1'), 2);
});

test('write then read a run (plain and .gz): same entries, ranks 1..n, exact scores so ties survive', async () => {
  const run: Run = toRun([
    [
      'q1',
      [
        { id: 'b', score: 0.1 + 0.2 },
        { id: 'a', score: 0.3 },
        { id: 'c', score: 1 / 3 },
      ],
    ],
    ['q2', [{ id: 'x', score: -2 }]],
  ]);
  for (const name of ['out.run', 'out.run.gz']) {
    const file = join(dir, name);
    await writeTrecRun(file, run, { tag: 'mine' });
    assert.deepEqual(await readTrecRun(file), run);
    const bytes = await readFile(file);
    const text = name.endsWith('.gz') ? gunzipSync(bytes).toString() : bytes.toString();
    assert.equal(text.split('\n')[1], 'q1 Q0 a 2 0.3 mine');
    assert.equal(text.split('\n')[3], 'q2 Q0 x 1 -2 mine');
  }
  const qfile = join(dir, 'out.qrels');
  const qrels = new Map([
    [
      'q1',
      new Map([
        ['a', 1],
        ['b', 0],
      ]),
    ],
  ]);
  await writeTrecQrels(qfile, qrels);
  assert.deepEqual(await readTrecQrels(qfile), qrels);
});

test('the writer refuses ids with whitespace and NaN scores', () => {
  assert.throws(
    () => [...formatTrecRun(toRun([['q 1', [{ id: 'a', score: 1 }]]]))],
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT'),
  );
  assert.throws(
    () => [...formatTrecRun(toRun([['q1', [{ id: 'a', score: Number.NaN }]]]))],
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT'),
  );
  assert.throws(
    () => [...formatTrecRun(new Map(), { tag: 'my run' })],
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT'),
  );
});

test('parses a 300-query x 1,000-document run whole', async () => {
  const lines: string[] = [];
  for (let q = 0; q < 300; q++)
    for (let d = 0; d < 1000; d++) lines.push(`q${q} Q0 doc${(q * 7919 + d) % 100000} ${d + 1} ${(20 - d / 60).toFixed(4)} bm25`);
  const file = await put('big.run', lines.join('\n') + '\n');
  const run = await readTrecRun(file);
  assert.equal(run.size, 300);
  assert.equal(run.get('q299')?.length, 1000);
});
