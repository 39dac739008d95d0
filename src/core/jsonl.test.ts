import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isShortlistError } from './errors.ts';
import { readJsonl, readLines } from './jsonl.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shortlist-jsonl-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

test('readJsonl yields values with line numbers, skipping blank lines, a BOM and CRLF', async () => {
  const file = join(dir, 'a.jsonl');
  await writeFile(file, '\uFEFF{"a":1}\r\n\r\n   \n{"b":"x"}\n{"c":[1,2]}');
  const recs = await collect(readJsonl(file));
  assert.deepEqual(recs, [
    { value: { a: 1 }, line: 1 },
    { value: { b: 'x' }, line: 4 },
    { value: { c: [1, 2] }, line: 5 },
  ]);
});

test('a malformed line throws INVALID_INPUT naming file:line and the parse error', async () => {
  const file = join(dir, 'bad.jsonl');
  await writeFile(file, '{"a":1}\n\n{"a":2,}\n{"a":3}\n');
  await assert.rejects(collect(readJsonl(file)), (err: unknown) => {
    assert.ok(isShortlistError(err, 'INVALID_INPUT'));
    assert.match(err.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not valid JSON \\(.+\\)`));
    assert.deepEqual(err.location, { file, line: 3 });
    return true;
  });
});

test('a missing file throws NOT_FOUND naming it', async () => {
  const file = join(dir, 'nope.jsonl');
  await assert.rejects(collect(readJsonl(file)), (err: unknown) => isShortlistError(err, 'NOT_FOUND') && err.message.includes(file));
});

test('gzip input is read transparently; damaged gzip is INVALID_INPUT', async () => {
  const file = join(dir, 'z.jsonl.gz');
  await writeFile(file, gzipSync('{"x":1}\n{"x":2}\n'));
  assert.deepEqual(
    (await collect(readJsonl(file))).map((r) => r.value),
    [{ x: 1 }, { x: 2 }],
  );
  const broken = join(dir, 'broken.gz');
  const bytes = gzipSync('{"x":1}\n'.repeat(1000));
  await writeFile(broken, bytes.subarray(0, bytes.length - 20));
  await assert.rejects(collect(readJsonl(broken)), (err: unknown) => isShortlistError(err, 'INVALID_INPUT') && /gzip/.test(err.message));
});

test('streams a file bigger than one chunk with multi-byte characters split across chunks', async () => {
  const file = join(dir, 'big.jsonl');
  const n = 20_000;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ i, t: `é中😀 ${'x'.repeat(i % 97)}` }));
  await writeFile(file, lines.join('\n') + '\n');
  let count = 0;
  for await (const { value, line } of readJsonl(file)) {
    const v = value as { i: number; t: string };
    assert.equal(v.i, count);
    assert.equal(line, count + 1);
    assert.ok(v.t.startsWith('é中😀 '));
    count++;
  }
  assert.equal(count, n);
});

test('readLines keeps blank lines and numbers every line; last line without newline is kept', async () => {
  const file = join(dir, 'l.txt');
  await writeFile(file, 'a\n\nb\r\nc');
  assert.deepEqual(await collect(readLines(file)), [
    { text: 'a', line: 1 },
    { text: '', line: 2 },
    { text: 'b', line: 3 },
    { text: 'c', line: 4 },
  ]);
});
