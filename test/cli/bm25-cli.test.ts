/**
 * The foundation's CLI end to end on a small generated collection: index → search → eval, and
 * every bad-input case of the issue through the real binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCollection } from '../support/collection.ts';
import { runCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-cli-'));
const cache = join(root, 'cache');
const env = { SHORTLIST_CACHE: cache };
const data = join(root, 'beir');
const coll = writeCollection(data, { docs: 300, queries: 12, seed: 7 });

test('index, search and eval on a generated BEIR collection', async () => {
  const out = join(root, 'idx');
  const built = await runCli(['index', data, '--out', out, '--json'], { env });
  assert.equal(built.code, 0, built.stderr);
  const summary = JSON.parse(built.stdout);
  assert.equal(summary.documents, 300);
  assert.equal(summary.analyzer, 'english@1');

  // The query's marker term only occurs in its 3 relevant documents: they must come first.
  const q = coll.queries[0];
  const relevant = coll.qrels
    .filter(([qid]) => qid === q._id)
    .map(([, d]) => d)
    .sort();
  const searched = await runCli(['search', out, q.text, '-k', '5', '--json'], { env });
  assert.equal(searched.code, 0, searched.stderr);
  const res = JSON.parse(searched.stdout);
  assert.equal(res.hits.length, 5);
  assert.deepEqual(
    res.hits
      .slice(0, 3)
      .map((h: { id: string }) => h.id)
      .sort(),
    relevant,
  );
  assert.ok(res.hits[0].title.startsWith('Document '), 'titles come from the document store');
  for (let i = 1; i < res.hits.length; i++) assert.ok(res.hits[i - 1].score >= res.hits[i].score);

  const text = await runCli(['search', out, q.text, '-k', '3'], { env });
  assert.match(text.stdout, /^rank\s+id\s+score\s+title/m);
  assert.match(text.stdout, /3 results in [\d.]+ ms/);

  const run = join(root, 'run.trec');
  const ev = await runCli(['eval', data, '--metrics', 'ndcg@10,recall@100,mrr', '--run', run, '--json'], { env });
  assert.equal(ev.code, 0, ev.stderr);
  const j = JSON.parse(ev.stdout);
  assert.equal(j.queries, 12);
  assert.equal(j.index.cached, false);
  assert.ok(j.metrics['ndcg@10'] > 0.9, `planted relevant docs should rank on top, got ${j.metrics['ndcg@10']}`);
  assert.equal(j.metrics['recall@100'], 1);
  assert.equal(j.metrics.mrr, 1);
  // The cache is used the second time, and lives outside the dataset folder.
  const again = JSON.parse((await runCli(['eval', data, '--json'], { env })).stdout);
  assert.equal(again.index.cached, true);
  assert.ok(again.index.dir.startsWith(cache));
  assert.deepEqual(readdirSync(data).sort(), ['corpus.jsonl', 'qrels', 'queries.jsonl']);
});

test('eval reports qrels that name unknown queries or documents instead of dropping them', async () => {
  const dir = join(root, 'unknown');
  writeCollection(dir, { docs: 50, queries: 3, seed: 3 });
  writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq0\td1\t1\nq0\tnope\t1\nqx\td2\t1\n');
  const ev = await runCli(['eval', dir], { env });
  assert.equal(ev.code, 0, ev.stderr);
  assert.match(ev.stdout, /warning: 1 qrels entries name queries not in queries.jsonl \(e.g. qx\)/);
  assert.match(ev.stdout, /warning: 1 qrels entries name documents not in the corpus/);
});

/** Writes a one-file corpus and returns its path. */
function corpus(name: string, lines: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'corpus.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('bad input: each case is a clear error naming file, line or field', async () => {
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    {
      args: ['index', corpus('badjson', ['{"_id":"a","text":"x"}', '{"_id": "b", "text": ']), '--out', join(root, 'o1')],
      code: 3,
      message: /corpus\.jsonl:2: .*JSON/,
    },
    {
      args: ['index', corpus('noid', ['{"_id":"a","text":"x"}', '{"text":"y"}']), '--out', join(root, 'o2')],
      code: 3,
      message: /corpus\.jsonl:2: .*_id/,
    },
    {
      args: ['index', corpus('notext', ['{"_id":"a","title":"t"}']), '--out', join(root, 'o3')],
      code: 3,
      message: /corpus\.jsonl:1: .*text/,
    },
    {
      args: ['index', corpus('dup', ['{"_id":"a","text":"x"}', '{"_id":"a","text":"y"}']), '--out', join(root, 'o4')],
      code: 3,
      message: /"a" appears twice \(lines 1 and 2\).*--on-duplicate last/s,
    },
    { args: ['index', corpus('empty', []), '--out', join(root, 'o5')], code: 3, message: /empty|no documents/i },
    { args: ['index', join(root, 'missing'), '--out', join(root, 'o6')], code: 4, message: /missing/ },
    { args: ['eval', data, '--metrics', 'ndcg@ten'], code: 2, message: /ndcg@ten.*ndcg@k/s },
    { args: ['eval', data, '--split', 'dev'], code: 4, message: /dev.*test/s },
    { args: ['search', join(root, 'not-an-index'), 'x'], code: 4, message: /not-an-index/ },
    { args: ['search', data, 'x', '-k', '0'], code: 2, message: /--k must be a positive whole number/ },
  ];
  for (const c of cases) {
    const r = await runCli(c.args, { env });
    assert.equal(r.code, c.code, `${c.args.join(' ')} → ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, c.message, c.args.join(' '));
    assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/, 'no stack traces for user errors');
  }
  // --on-duplicate last keeps the later document.
  const out = join(root, 'dup-last');
  const ok = await runCli(['index', join(root, 'dup', 'corpus.jsonl'), '--out', out, '--on-duplicate', 'last', '--json'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).documents, 1);
  const hit = JSON.parse((await runCli(['search', out, 'y', '--json'], { env })).stdout);
  assert.deepEqual(
    hit.hits.map((h: { id: string }) => h.id),
    ['a'],
  );
  const miss = JSON.parse((await runCli(['search', out, 'x', '--json'], { env })).stdout);
  assert.equal(miss.hits.length, 0);
});

test('an index written with another analyzer or format version refuses to open and says how to rebuild', async () => {
  const out = join(root, 'plain-idx');
  assert.equal((await runCli(['index', data, '--out', out, '--analyzer', 'plain'], { env })).code, 0);
  const { readFileSync, writeFileSync: write } = await import('node:fs');
  const current = readFileSync(join(out, 'CURRENT'), 'utf8').trim();
  const manifestPath = join(out, current, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  write(manifestPath, JSON.stringify({ ...manifest, analyzer: 'klingon@3' }));
  const r1 = await runCli(['search', out, 'x'], { env });
  assert.equal(r1.code, 5);
  assert.match(r1.stderr, /klingon@3.*shortlist index/s);
  write(manifestPath, JSON.stringify({ ...manifest, formatVersion: 999 }));
  const r2 = await runCli(['search', out, 'x'], { env });
  assert.equal(r2.code, 5);
  assert.match(r2.stderr, /999.*shortlist index/s);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
