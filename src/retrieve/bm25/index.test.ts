import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Document } from '../../core/types.ts';
import { plainAnalyzer } from '../../text/plain.ts';
import { Bm25Index } from './index.ts';
import { Bm25Retriever } from './retriever.ts';
import { randomDocs, randomQuery, rng, wsAnalyzer } from './test-helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-bm25-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `idx${dirs++}`);

/** Search results for a fixed set of queries, for comparing two indexes. */
function snapshot(index: Bm25Index, seed: number): unknown[] {
  const rand = rng(seed);
  return Array.from({ length: 30 }, (_, i) => index.search(randomQuery(rand, 60, 5), i % 2 ? 10 : 100));
}

test('save, reopen, add, delete, save, reopen: equals a fresh build every time', async () => {
  const docs = randomDocs(400, { vocab: 50, maxLen: 15, seed: 7, longEvery: 13 });
  const dir = freshDir();
  const index = await Bm25Index.build(docs.slice(0, 300), { analyzer: wsAnalyzer });
  await index.save(dir);
  index.close();

  const reopened = await Bm25Index.open(dir, { analyzer: wsAnalyzer });
  assert.deepEqual(snapshot(reopened, 1), snapshot(await Bm25Index.build(docs.slice(0, 300), { analyzer: wsAnalyzer }), 1));
  assert.deepEqual(reopened.document(docs[5].id), docs[5]);

  // Upsert 20 existing docs with new text, add 100 new ones, delete 50 (some just added, some old).
  const changed: Document[] = docs.slice(0, 20).map((d, i) => ({ ...d, text: `${d.text} w${i} w${i}` }));
  await reopened.add(changed);
  await reopened.add(docs.slice(300));
  const gone = [...docs.slice(20, 60).map((d) => d.id), ...docs.slice(350, 360).map((d) => d.id), 'no-such-id'];
  assert.equal(reopened.delete(gone), 50);
  const finalDocs = [...docs.slice(60, 350), ...docs.slice(360), ...changed];
  const fresh = await Bm25Index.build(finalDocs, { analyzer: wsAnalyzer });
  assert.deepEqual(snapshot(reopened, 2), snapshot(fresh, 2));
  assert.deepEqual(reopened.stats, fresh.stats);
  assert.equal(reopened.document(docs[30].id), undefined);
  assert.equal(reopened.has(docs[30].id), false);
  assert.equal(reopened.has(docs[100].id), true);
  assert.deepEqual(reopened.document(changed[3].id), changed[3]);

  await reopened.save(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['CURRENT', 'v000002']);
  // Searching and fetching after save reads the new version's files.
  assert.deepEqual(reopened.document(docs[100].id), docs[100]);
  reopened.close();
  const again = await Bm25Index.open(dir, { analyzer: wsAnalyzer });
  assert.deepEqual(snapshot(again, 3), snapshot(fresh, 3));
  assert.deepEqual(again.stats, fresh.stats);
  assert.deepEqual(again.document(docs[399].id), docs[399]);
  assert.equal(again.size, finalDocs.length);
  again.close();
});

test('a repeated id during build keeps the last document', async () => {
  const index = await Bm25Index.build(
    [
      { id: 'a', text: 'red fish' },
      { id: 'b', text: 'blue fish' },
      { id: 'a', text: 'green tree' },
    ],
    { analyzer: wsAnalyzer },
  );
  const fresh = await Bm25Index.build(
    [
      { id: 'b', text: 'blue fish' },
      { id: 'a', text: 'green tree' },
    ],
    { analyzer: wsAnalyzer },
  );
  assert.deepEqual(index.search('red fish green', 10), fresh.search('red fish green', 10));
  assert.deepEqual(index.search('red', 10), []);
  assert.equal(index.size, 2);
  assert.equal(index.document('a')?.text, 'green tree');
});

test('deleting every document leaves an empty, searchable index', async () => {
  const index = await Bm25Index.build([{ id: 'a', text: 'x y' }], { analyzer: wsAnalyzer });
  assert.equal(index.delete('a'), 1);
  assert.deepEqual(index.search('x', 5), []);
  assert.equal(index.stats.termCount, 0);
  const dir = freshDir();
  await index.save(dir);
  const empty = await Bm25Index.open(dir, { analyzer: wsAnalyzer });
  assert.equal(empty.size, 0);
  assert.deepEqual(empty.search('x', 5), []);
  empty.close();
  await index.add({ id: 'b', text: 'x' });
  assert.deepEqual(
    index.search('x', 5).map((h) => h.id),
    ['b'],
  );
});

test('an index created empty and filled with add equals a build', async () => {
  const docs = randomDocs(120, { vocab: 25, maxLen: 9, seed: 21 });
  const index = Bm25Index.create(wsAnalyzer);
  assert.deepEqual(index.search('w1', 5), []);
  await index.add(docs.slice(0, 60));
  index.search('w1', 5); // merges the first batch
  await index.add(docs.slice(60));
  assert.deepEqual(snapshot(index, 6), snapshot(await Bm25Index.build(docs, { analyzer: wsAnalyzer }), 6));
});

test('a save that fails midway leaves the previous version readable; stale temporaries are cleaned', async () => {
  const dir = freshDir();
  const docs = randomDocs(100, { vocab: 30, maxLen: 10, seed: 9 });
  const index = await Bm25Index.build(docs, { analyzer: wsAnalyzer });
  await index.save(dir);
  const before = snapshot(index, 4);
  await index.add({ id: 'new-doc', text: 'w1 w2 w3' });
  for (const step of ['files-written', 'version-renamed', 'current-staged'] as const) {
    await assert.rejects(
      index.save(dir, {
        onStep: (s) => {
          if (s === step) throw new Error(`crash at ${s}`);
        },
      }),
      /crash at/,
    );
    assert.equal(readFileSync(join(dir, 'CURRENT'), 'utf8').trim(), 'v000001', step);
    const old = await Bm25Index.open(dir, { analyzer: wsAnalyzer });
    assert.deepEqual(snapshot(old, 4), before);
    assert.equal(old.document('new-doc'), undefined);
    old.close();
  }
  // A crashed writer may leave a temporary folder and an unreferenced version behind.
  mkdirSync(join(dir, '.tmp-v000002-1-abc'));
  writeFileSync(join(dir, '.tmp-v000002-1-abc', 'postings.doc'), 'junk');
  mkdirSync(join(dir, 'v000007'));
  const stillOld = await Bm25Index.open(dir, { analyzer: wsAnalyzer });
  assert.deepEqual(snapshot(stillOld, 4), before);
  stillOld.close();
  await index.save(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['CURRENT', 'v000008']);
  const reopened = await Bm25Index.open(dir, { analyzer: wsAnalyzer });
  assert.equal(reopened.document('new-doc')?.text, 'w1 w2 w3');
  reopened.close();
  index.close();
});

test('refuses a mismatched analyzer, an unknown format version and a non-index directory', async () => {
  const dir = freshDir();
  const index = await Bm25Index.build([{ id: 'a', text: 'hello world' }], { analyzer: plainAnalyzer });
  await index.save(dir);
  index.close();
  // The registered analyzer is found from the manifest.
  const byId = await Bm25Index.open(dir);
  assert.equal(byId.analyzer.id, plainAnalyzer.id);
  assert.deepEqual(
    byId.search('HELLO', 1).map((h) => h.id),
    ['a'],
  );
  byId.close();
  await assert.rejects(
    Bm25Index.open(dir, { analyzer: wsAnalyzer }),
    (err: Error & { code?: string }) =>
      err.name === 'ShortlistError' && err.code === 'INDEX_MISMATCH' && /shortlist index <source> --out/.test(err.message),
  );

  const manifestPath = join(dir, 'v000001', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 999 }));
  await assert.rejects(
    Bm25Index.open(dir),
    (err: Error & { code?: string }) => err.code === 'INDEX_MISMATCH' && /format 999/.test(err.message),
  );
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, analyzer: 'english@0' }));
  await assert.rejects(
    Bm25Index.open(dir),
    (err: Error & { code?: string }) => err.code === 'INDEX_MISMATCH' && /english@0/.test(err.message),
  );
  writeFileSync(manifestPath, JSON.stringify(manifest));
  writeFileSync(join(dir, 'v000001', 'postings.tf'), 'short');
  await assert.rejects(Bm25Index.open(dir), (err: Error & { code?: string }) => err.code === 'INDEX_CORRUPT');

  const plain = freshDir();
  mkdirSync(plain);
  writeFileSync(join(plain, 'notes.txt'), 'not an index');
  await assert.rejects(
    Bm25Index.open(plain),
    (err: Error & { code?: string }) => err.code === 'NOT_FOUND' && /not a shortlist index/.test(err.message),
  );
  await assert.rejects(Bm25Index.open(join(root, 'missing')), (err: Error & { code?: string }) => err.code === 'NOT_FOUND');
  // Saving into a directory that holds other files is refused rather than mixing files in.
  const other = await Bm25Index.build([{ id: 'a', text: 'x' }], { analyzer: wsAnalyzer });
  await assert.rejects(other.save(plain), (err: Error & { code?: string }) => err.code === 'INVALID_ARGUMENT');
  assert.ok(!existsSync(join(plain, 'CURRENT')));
});

test('Bm25Retriever returns hits with their stored documents', async () => {
  const docs = [
    { id: 'x', title: 'Red', text: 'a red fish', metadata: { lang: 'en' } },
    { id: 'y', text: 'a blue fish' },
  ];
  const retriever = new Bm25Retriever(await Bm25Index.build(docs, { analyzer: wsAnalyzer }));
  const hits = await retriever.search('red fish', 5);
  assert.deepEqual(
    hits.map((h) => h.id),
    ['x', 'y'],
  );
  assert.deepEqual(hits[0].document, docs[0]);
  assert.ok(hits[0].score > hits[1].score);
  const bare = new Bm25Retriever(await Bm25Index.build(docs, { analyzer: wsAnalyzer }), { withDocuments: false });
  assert.equal((await bare.search('fish', 1))[0].document, undefined);
});

test('build reports progress and accepts async iterables', async () => {
  async function* gen() {
    for (let i = 0; i < 25; i++) yield { id: `d${i}`, text: `t${i % 3}` };
  }
  const seen: number[] = [];
  const index = await Bm25Index.build(gen(), { analyzer: wsAnalyzer, onProgress: (n) => seen.push(n), progressEvery: 10 });
  assert.deepEqual(seen, [10, 20, 25]);
  assert.equal(index.search('t1', 100).length, 8);
});
