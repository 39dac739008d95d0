import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isShortlistError, type ErrorCode } from '../core/errors.ts';
import type { Document } from '../core/types.ts';
import { judgedQueries, openBeir, readBeirQrels, readCorpus, readQueries, resolveCorpusPath } from './beir.ts';

let root: string;
let n = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'shortlist-beir-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(name: string, text: string): Promise<string> {
  const file = join(root, `${n++}-${name}`);
  await writeFile(file, text);
  return file;
}

const jsonl = (...rows: unknown[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

async function docs(file: string, onDuplicate?: 'error' | 'last'): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of readCorpus(file, { onDuplicate })) out.push(d);
  return out;
}

function fails(p: Promise<unknown>, code: ErrorCode, ...patterns: RegExp[]) {
  return assert.rejects(p, (err: unknown) => {
    assert.ok(isShortlistError(err, code), `expected ${code}, got ${String(err)}`);
    for (const re of patterns) assert.match(err.message, re);
    return true;
  });
}

test('readCorpus maps _id/title/text/metadata and accepts numeric ids', async () => {
  const file = await put(
    'corpus.jsonl',
    jsonl({ _id: 'd1', title: 'T', text: 'hello', metadata: { url: 'u' } }, { _id: 42, text: '' }, { _id: 'd3', title: null, text: 'x' }),
  );
  assert.deepEqual(await docs(file), [
    { id: 'd1', title: 'T', text: 'hello', metadata: { url: 'u' } },
    { id: '42', text: '' },
    { id: 'd3', text: 'x' },
  ]);
});

test('readCorpus names the field and file:line for a missing/empty _id or a non-string text', async () => {
  const noId = await put('c.jsonl', jsonl({ _id: 'a', text: 'x' }, { title: 't', text: 'x' }));
  await fails(docs(noId), 'INVALID_INPUT', new RegExp(`${noId}:2: field "_id" .*missing`));
  const emptyId = await put('c.jsonl', jsonl({ _id: '', text: 'x' }));
  await fails(docs(emptyId), 'INVALID_INPUT', new RegExp(`${emptyId}:1: field "_id"`));
  const badText = await put('c.jsonl', jsonl({ _id: 'a', text: 'x' }, '', { _id: 'b', text: 7 }));
  await fails(docs(badText), 'INVALID_INPUT', new RegExp(`${badText}:3: field "text" must be a string, found the number 7`));
  const noText = await put('c.jsonl', jsonl({ _id: 'a', title: 'only a title' }));
  await fails(docs(noText), 'INVALID_INPUT', /:1: field "text" must be a string, found nothing/);
  const notObject = await put('c.jsonl', jsonl([1, 2]));
  await fails(docs(notObject), 'INVALID_INPUT', /:1: expected a JSON object/);
});

test('readCorpus reports a malformed JSON line at file:line', async () => {
  const file = await put('c.jsonl', jsonl({ _id: 'a', text: 'x' }, '{"_id": "b", "text": '));
  await fails(docs(file), 'INVALID_INPUT', new RegExp(`${file}:2: not valid JSON`));
});

test("duplicate ids: DUPLICATE_ID naming both lines and --on-duplicate last; policy 'last' yields both in order", async () => {
  const file = await put('c.jsonl', jsonl({ _id: 'a', text: 'one' }, { _id: 'b', text: 'x' }, { _id: 'a', text: 'two' }));
  await fails(docs(file), 'DUPLICATE_ID', /"a" appears twice \(lines 1 and 3\)/, /--on-duplicate last/);
  assert.deepEqual(
    (await docs(file, 'last')).map((d) => `${d.id}:${d.text}`),
    ['a:one', 'b:x', 'a:two'],
  );
});

test('an empty corpus (or only blank lines) is EMPTY_INPUT; a missing one NOT_FOUND', async () => {
  await fails(docs(await put('c.jsonl', '')), 'EMPTY_INPUT', /no documents/);
  await fails(docs(await put('c.jsonl', '\n  \n')), 'EMPTY_INPUT');
  await fails(docs(join(root, 'missing.jsonl')), 'NOT_FOUND', /missing\.jsonl/);
});

test('readQueries: ids, duplicates, empty file', async () => {
  const file = await put('q.jsonl', jsonl({ _id: 1, text: 'first' }, { _id: 'q2', text: 'second', metadata: {} }));
  assert.deepEqual(await readQueries(file), [
    { id: '1', text: 'first' },
    { id: 'q2', text: 'second' },
  ]);
  await fails(readQueries(await put('q.jsonl', jsonl({ _id: 'a', text: 'x' }, { _id: 'a', text: 'y' }))), 'DUPLICATE_ID', /lines 1 and 2/);
  await fails(readQueries(await put('q.jsonl', '')), 'EMPTY_INPUT', /no queries/);
  await fails(readQueries(await put('q.jsonl', jsonl({ _id: 'a' }))), 'INVALID_INPUT', /:1: field "text"/);
});

test('readBeirQrels: header, tabs, integer grades; bad lines at file:line', async () => {
  const file = await put('test.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td1\t2\n');
  const qrels = await readBeirQrels(file);
  assert.deepEqual(
    [...qrels].map(([q, d]) => [q, Object.fromEntries(d)]),
    [
      ['q1', { d1: 1, d2: 0 }],
      ['q2', { d1: 2 }],
    ],
  );
  const bad = await put('test.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\n');
  await fails(readBeirQrels(bad), 'INVALID_INPUT', new RegExp(`${bad}:2: expected 3`));
  const grade = await put('test.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\tyes\n');
  await fails(readBeirQrels(grade), 'INVALID_INPUT', /:2: grade "yes" is not an integer/);
  await fails(readBeirQrels(await put('test.tsv', 'query-id\tcorpus-id\tscore\n')), 'EMPTY_INPUT');
});

async function dataset(name: string, splits: string[]): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'qrels'), { recursive: true });
  await writeFile(join(dir, 'corpus.jsonl'), jsonl({ _id: 'd1', text: 'a' }, { _id: 'd2', text: 'b' }));
  await writeFile(join(dir, 'queries.jsonl'), jsonl({ _id: 'q1', text: 'x' }, { _id: 'q2', text: 'y' }));
  for (const s of splits) await writeFile(join(dir, 'qrels', `${s}.tsv`), 'query-id\tcorpus-id\tscore\nq2\td1\t1\n');
  return dir;
}

test('openBeir resolves paths and loads every part; a corpus.jsonl path works too', async () => {
  const dir = await dataset('ok', ['test', 'dev']);
  const ds = await openBeir(dir);
  assert.equal(ds.split, 'test');
  assert.deepEqual(ds.splits, ['dev', 'test']);
  assert.equal(ds.corpusPath, join(dir, 'corpus.jsonl'));
  assert.equal(ds.qrelsPath, join(dir, 'qrels', 'test.tsv'));
  const ids: string[] = [];
  for await (const d of ds.corpus()) ids.push(d.id);
  assert.deepEqual(ids, ['d1', 'd2']);
  const queries = await ds.queries();
  const qrels = await ds.qrels();
  assert.deepEqual(judgedQueries(queries, qrels), [{ id: 'q2', text: 'y' }]);

  const viaFile = await openBeir(join(dir, 'corpus.jsonl'), { split: 'dev' });
  assert.equal(viaFile.dir, dir);
  assert.equal(viaFile.qrelsPath, join(dir, 'qrels', 'dev.tsv'));
  assert.equal(await resolveCorpusPath(dir), join(dir, 'corpus.jsonl'));
  assert.equal(await resolveCorpusPath(join(dir, 'corpus.jsonl')), join(dir, 'corpus.jsonl'));
});

test('openBeir: NOT_FOUND names the missing file and lists the splits present', async () => {
  const dir = await dataset('splits', ['train', 'dev']);
  await fails(
    openBeir(dir),
    'NOT_FOUND',
    /split "test"/,
    new RegExp(`${join(dir, 'qrels', 'test.tsv')}`),
    /splits present: dev, train/,
    /--split/,
  );
  await fails(openBeir(join(root, 'nowhere')), 'NOT_FOUND', /nowhere does not exist/);
  const noQueries = await dataset('noq', ['test']);
  await rm(join(noQueries, 'queries.jsonl'));
  await fails(openBeir(noQueries), 'NOT_FOUND', new RegExp(`${join(noQueries, 'queries.jsonl')}`));
  const noCorpus = await dataset('noc', ['test']);
  await rm(join(noCorpus, 'corpus.jsonl'));
  await fails(openBeir(noCorpus), 'NOT_FOUND', /corpus file not found: .*corpus\.jsonl; the folder holds: qrels, queries\.jsonl/);
  const noQrels = await dataset('noqrels', []);
  await fails(openBeir(noQrels), 'NOT_FOUND', /no qrels\/\*\.tsv files/);
});

test('readBeirQrels: any header names are skipped, but a non-numeric grade later is an error', async () => {
  const file = await put('test.tsv', 'qid\tdocid\trel\nq1\td1\t1\n');
  assert.equal((await readBeirQrels(file)).get('q1')?.get('d1'), 1);
  const later = await put('test.tsv', 'q1\td1\t1\nq1\td2\trel\n');
  await fails(readBeirQrels(later), 'INVALID_INPUT', /:2: grade "rel"/);
  const floaty = await put('test.tsv', 'q1\td1\t0.5\n');
  await fails(readBeirQrels(floaty), 'INVALID_INPUT', /:1: grade "0.5" is not an integer/);
});
