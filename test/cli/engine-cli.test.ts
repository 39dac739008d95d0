/**
 * Collections through the real CLI: init → add (generated docs) → search --json / --explain → rm →
 * info; re-adding unchanged content embeds nothing; filters; a pipeline whose model differs from
 * the collection's is refused; a BM25 collection returns the same top 10 as a Bm25Index built
 * directly on the same documents.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { readCorpus } from '../../src/eval/beir.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-engine-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { SHORTLIST_CACHE: join(root, 'cache'), SHORTLIST_OFFLINE: '1' };
const cli = async (...args: string[]) => {
  const r = await runCli(args, { env });
  return r;
};
const ok = async (...args: string[]) => {
  const r = await cli(...args);
  assert.equal(r.code, 0, `shortlist ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
};

test('init c --pipeline bm25 && add c <beir> && search c q --json equals Bm25Index on the same docs', async () => {
  const data = writeCollection(join(root, 'beir'), { docs: 200, queries: 5, seed: 11 });
  const c = join(root, 'c-bm25');
  await ok('init', c, '--pipeline', 'bm25');
  const added = JSON.parse(await ok('add', c, join(root, 'beir'), '--json'));
  assert.equal(added.added, 200);
  const docs = [];
  for await (const d of readCorpus(join(root, 'beir', 'corpus.jsonl'))) docs.push(d);
  const direct = await Bm25Index.build(docs, { analyzer: getAnalyzer('english') });
  for (const q of data.queries.slice(0, 3)) {
    const got = JSON.parse(await ok('search', c, q.text, '--json'));
    assert.deepEqual(
      got.hits.map((h: { id: string }) => h.id),
      direct.search(q.text, 10).map((h) => h.id),
    );
  }
  direct.close();
});

test('init → add → search --json/--explain → rm → info with a hybrid + cross-encoder pipeline of tiny models', async () => {
  const [enc, ce, other] = await Promise.all([tinyModel('encoder'), tinyModel('classifier'), tinyModel('encoder', 5)]);
  const dense = { type: 'dense', model: enc, pooling: 'mean', normalize: true, maxLength: 64, threads: 1 };
  const pipeline = {
    retrievers: [{ type: 'bm25' }, dense],
    fusion: { method: 'rrf' },
    depth: 20,
    rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 5, threads: 1 }],
    k: 5,
    chunking: { size: 24, overlap: 4 },
  };
  const pfile = join(root, 'pipeline.json');
  writeFileSync(pfile, JSON.stringify(pipeline));
  const docsDir = join(root, 'docs');
  mkdirSync(join(docsDir, 'notes'), { recursive: true });
  const topics = [
    'protein folding in cells',
    'supersonic aircraft wing flow',
    'compiler memory storage',
    'neural ranking models',
    'tumor therapy trials',
  ];
  topics.forEach((t, i) => writeFileSync(join(docsDir, `${i}.md`), `# Topic ${i}\n\nThis note is about ${t}. `.repeat(3 + i)));
  topics.forEach((t, i) => writeFileSync(join(docsDir, 'notes', `n${i}.txt`), `A plain note on ${t} and nothing else.`));

  const c = join(root, 'c-hybrid');
  await ok('init', c, '--pipeline', pfile);
  const first = JSON.parse(await ok('add', c, docsDir, '--json'));
  assert.equal(first.added, 10);
  assert.ok(first.embedded >= 10, `embedded ${first.embedded}`);
  const again = JSON.parse(await ok('add', c, docsDir, '--json'));
  assert.equal(again.unchanged, 10);
  assert.equal(again.embedded, 0, 're-adding unchanged files must not embed anything');
  writeFileSync(join(docsDir, '0.md'), '# Topic 0\n\nProtein folding, rewritten.');
  const changed = JSON.parse(await ok('add', c, docsDir, '--json'));
  assert.equal(changed.updated, 1);
  assert.equal(changed.embedded, 1);

  const res = JSON.parse(await ok('search', c, 'supersonic wing', '--json', '--explain'));
  assert.equal(res.hits.length, 5);
  assert.deepEqual(
    res.timings.map((t: { stage: string }) => t.stage),
    ['bm25', 'dense', 'fusion', 'hydrate', 'cross-encoder'],
  );
  for (const h of res.hits)
    assert.deepEqual(
      h.trace.slice(-2).map((t: { stage: string }) => t.stage),
      ['fusion', 'cross-encoder'],
    );

  const explained = await ok('search', c, 'supersonic wing', '--explain');
  const header = explained.split('\n')[0];
  for (const col of ['rank', 'id', 'bm25', 'dense', 'fusion', 'cross-encoder']) assert.match(header, new RegExp(col));
  assert.match(explained, /(↑\d+|↓\d+|=|new)/);

  const filtered = JSON.parse(await ok('search', c, 'note', '--filter', "ext = 'txt'", '--json'));
  assert.ok(filtered.hits.length > 0);
  for (const h of filtered.hits) assert.match(h.id, /^notes\/n\d\.txt$/);
  const badFilter = await cli('search', c, 'note', '--filter', 'colour = 1');
  assert.equal(badFilter.code, 2);
  assert.match(badFilter.stderr, /unknown field "colour"/);

  const mismatch = join(root, 'other.json');
  writeFileSync(mismatch, JSON.stringify({ ...pipeline, retrievers: [{ type: 'bm25' }, { ...dense, model: other }] }));
  const refused = await cli('search', c, 'wing', '--pipeline', mismatch);
  assert.equal(refused.code, 5);
  assert.match(refused.stderr, /different configuration: .*models\.dense\.revision/);

  const rm = JSON.parse(await ok('rm', c, '1.md', 'missing', '--json'));
  assert.equal(rm.deleted, 1);
  const info = JSON.parse(await ok('info', c, '--json'));
  assert.equal(info.documents, 9);
  assert.equal(info.bm25.documents, 9);
  assert.equal(info.fingerprint.models.dense.dims > 1, true);
  assert.deepEqual(Object.keys(info.fields).sort(), ['ext', 'path']);
  const after = JSON.parse(await ok('search', c, 'supersonic aircraft wing flow', '--json'));
  assert.ok(!after.hits.some((h: { id: string }) => h.id === '1.md'));
  assert.match(await ok('info', c), /documents\s+9/);
});

test('init refuses an existing collection and a bad pipeline, naming the JSON path; offline presets name --pipeline bm25', async () => {
  const c = join(root, 'c-twice');
  await ok('init', c, '--pipeline', 'bm25');
  const twice = await cli('init', c, '--pipeline', 'bm25');
  assert.equal(twice.code, 73, 'ALREADY_EXISTS exits 73');
  assert.match(twice.stderr, /already exists/);
  const bad = join(root, 'bad.json');
  writeFileSync(bad, JSON.stringify({ rerank: [{ type: 'cross-encoder', model: 'x', keep: 0 }] }));
  const r = await cli('init', join(root, 'c-bad'), '--pipeline', bad);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /rerank\[0\]\.keep/);
  const offline = await cli('init', join(root, 'c-offline'));
  assert.notEqual(offline.code, 0);
  assert.match(offline.stderr, /--pipeline bm25/);
});
