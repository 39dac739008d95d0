/**
 * A directory collection's versions: the manifest names the BM25 segments; a write adds one
 * segment; `check` finds missing parts and garbage; `optimize` merges and collects garbage; a
 * collection written before segments (a `bm25/` folder, no parts in its manifest) is read as it
 * is and converted by its first write.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Collection } from '../../src/engine/collection.ts';
import { LocalHome, openHome } from '../../src/engine/home/index.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../../src/text/index.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-versions-'));
after(() => rmSync(root, { recursive: true, force: true }));
const docs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `d${from + i}`,
    text: `note ${from + i} about ${['rivers', 'stones', 'clouds', 'lights'][(from + i) % 4]} and ${['cats', 'maps'][(from + i) % 2]}`,
  }));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8'));

test('each write adds a segment named by the manifest; check sees missing parts and garbage; optimize merges and collects', async () => {
  const dir = join(root, 'c');
  const c = await Collection.create(dir, 'bm25');
  await c.add(docs(0, 50));
  await c.add(docs(50, 50));
  await c.remove(['d3']);
  await c.close();
  const m = manifest(dir);
  assert.equal(m.parts.bm25.kind, 'bm25-segments');
  assert.equal(m.parts.bm25.meta.segments.length, 2);
  assert.equal(m.parts.bm25.meta.segments[0].deleted, 1);
  for (const f of m.parts.bm25.files) assert.ok(existsSync(join(dir, 'segments', f)), f);

  writeFileSync(join(dir, 'segments', 'sleftover.seg'), 'x');
  const { home } = await openHome(dir);
  let report = await home.check!();
  assert.equal(report.ok, true, report.problems.join('; '));
  assert.deepEqual(report.garbage, ['sleftover.seg']);
  assert.equal(report.documents, 99);
  assert.equal(report.bm25Documents, 99);
  const before = (await home.bm25Retriever({ type: 'bm25', name: 'bm25', k1: 0.9, b: 0.4 } as never).search('rivers cats', 10)).map((h) => [
    h.id,
    h.score,
  ]);
  const opt = await home.optimize!();
  assert.deepEqual([opt.segmentsBefore, opt.segmentsAfter], [2, 1]);
  assert.ok(opt.removed.includes('sleftover.seg'));
  const after = (await home.bm25Retriever({ type: 'bm25', name: 'bm25', k1: 0.9, b: 0.4 } as never).search('rivers cats', 10)).map((h) => [
    h.id,
    h.score,
  ]);
  assert.deepEqual(after, before, 'merging changes no score');
  await home.close();
  assert.deepEqual(readdirSync(join(dir, 'segments')).sort(), manifest(dir).parts.bm25.files.sort());

  // A part file gone: check fails and names it.
  const gone = manifest(dir).parts.bm25.files[0];
  rmSync(join(dir, 'segments', gone));
  report = await LocalHome.check(dir);
  assert.equal(report.ok, false);
  assert.match(report.problems.join('\n'), new RegExp(`part file ${gone.replace('.', '\\.')} is missing`));
});

test('a collection written before segments opens, converts on its first write, and optimize removes its old folder', async () => {
  const dir = join(root, 'old');
  const c = await Collection.create(dir, 'bm25');
  await c.add(docs(0, 40));
  await c.close();
  // Make it look as written before parts: no parts in the manifest, BM25 in bm25/.
  const m = manifest(dir);
  delete m.parts;
  writeFileSync(join(dir, 'MANIFEST.json'), JSON.stringify(m, null, 2));
  rmSync(join(dir, 'segments'), { recursive: true });
  const legacy = await Bm25Index.build(docs(0, 40), { analyzer: getAnalyzer('english') });
  await legacy.save(join(dir, 'bm25'));
  legacy.close();

  const old = await Collection.open(dir);
  assert.equal((await old.search('rivers', { k: 3 })).hits.length, 3);
  await old.add(docs(40, 10));
  assert.equal((await old.info()).bm25.documents, 50);
  await old.close();
  assert.equal(manifest(dir).parts.bm25.meta.segments.length, 2);
  const { home } = await openHome(dir);
  assert.equal((await home.check!()).ok, true);
  await home.optimize!();
  assert.equal(existsSync(join(dir, 'bm25')), false);
  await home.close();
});
