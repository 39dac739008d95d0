/**
 * The Collection contract: one set of tests that every location (a folder, `s3://`,
 * `postgres://`) must pass through the library — create, open, add, remove, search, info,
 * refresh, close, versions, check and optimize. BM25 hits must equal (ids, float32 scores, order)
 * a fresh in-memory index over the documents the version holds, wherever the collection lives.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShortlistError } from '../../src/core/errors.ts';
import type { Document } from '../../src/core/types.ts';
import { Collection } from '../../src/engine/collection.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../../src/text/index.ts';

/** A location under test: `location(name)` gives a fresh collection's location. */
export interface ContractPlace {
  location(name: string): string;
}

const WORDS = 'protein folding cell wing flow aircraft compiler memory neural ranking tumor therapy trial river stone light'.split(' ');
function docs(from: number, n: number): Document[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return {
      id: `d${k}`,
      title: k % 4 === 0 ? `title ${WORDS[(k * 5) % 16]}` : undefined,
      text: `${WORDS[k % 16]} ${WORDS[(k * 7) % 16]} ${WORDS[(k * 3 + 1) % 16]} note ${k}`,
      metadata: { year: 2000 + (k % 10) },
    } as Document;
  });
}
const QUERIES = ['protein wing', 'neural ranking therapy', 'river stone light note', 'title memory', 'zzz nothing'];

/** Asserts that the collection's BM25 hits equal a fresh index's over `live`. */
async function searchesAs(c: Collection, live: readonly Document[], label: string): Promise<void> {
  const fresh = await Bm25Index.build(live, { analyzer: getAnalyzer('english') });
  try {
    for (const q of QUERIES) {
      const got = (await c.search(q, { k: 10 })).hits.map((h) => [h.id, h.score]);
      assert.deepEqual(
        got,
        fresh.search(q, 10).map((h) => [h.id, h.score]),
        `${label}: ${q}`,
      );
    }
  } finally {
    fresh.close();
  }
}

/** Registers the contract's tests for `place` under `name`. */
export function collectionContract(name: string, place: () => ContractPlace, options: { skip?: string | false } = {}): void {
  describe(`Collection contract: ${name}`, { skip: options.skip }, () => {
    test('create, exists, open; a second create and an absent collection are clear errors', async () => {
      const at = place().location('c_life');
      assert.equal(await Collection.exists(at), false);
      const c = await Collection.create(at, 'bm25');
      await c.close();
      assert.equal(await Collection.exists(at), true);
      await assert.rejects(
        Collection.create(at, 'bm25'),
        (e) => isShortlistError(e) && e.code === 'ALREADY_EXISTS' && /already exists/.test(e.message),
      );
      await assert.rejects(Collection.open(place().location('c_absent')), (e) => isShortlistError(e) && e.code === 'NOT_FOUND');
      const o = await Collection.open(at);
      const info = await o.info();
      assert.equal(info.documents, 0);
      assert.equal(info.bm25.documents, 0);
      assert.deepEqual((await o.search('protein', { k: 5 })).hits, []);
      await o.close();
    });

    test('add, update, remove: versions move once per change; searches read exactly the version', async () => {
      const c = await Collection.create(place().location('c_write'), 'bm25');
      try {
        const v0 = (await c.info()).version;
        const first = docs(0, 60);
        const added = await c.add(first);
        assert.deepEqual([added.added, added.updated, added.unchanged, added.deleted], [60, 0, 0, 0]);
        assert.equal(added.version, v0 + 1);
        const again = await c.add(first);
        assert.deepEqual([again.added, again.unchanged, again.version], [0, 60, v0 + 1], 'unchanged documents make no version');
        const changed = [
          { id: 'd5', text: 'supersonic shock wave boundary layer' },
          { id: 'd200', text: 'protein protein folding' },
          { id: 'empty', text: '' },
        ];
        const updated = await c.add(changed);
        assert.deepEqual([updated.added, updated.updated, updated.version], [2, 1, v0 + 2]);
        const removed = await c.remove(['d7', 'd8', 'absent']);
        assert.deepEqual([removed.deleted, removed.version], [2, v0 + 3]);
        const live = [...first.filter((d) => !['d5', 'd7', 'd8'].includes(d.id)), ...changed];
        const info = await c.info();
        assert.equal(info.version, v0 + 3);
        assert.equal(info.documents, live.length);
        assert.equal(info.bm25.documents, live.length, 'a document with an empty text is a document');
        await searchesAs(c, live, 'after add, update and remove');
        assert.deepEqual(
          (await c.documents(['d5', 'd7', 'empty'])).map((d) => [d.id, d.text]),
          [
            ['d5', 'supersonic shock wave boundary layer'],
            ['empty', ''],
          ],
        );
        assert.equal(c.document('d8'), undefined);
        assert.equal(c.document('d9')?.text, first[9].text);
        const filtered = await c.search('protein note', { k: 50, filter: 'year >= 2005' });
        assert.ok(filtered.hits.length > 0);
        for (const h of filtered.hits) assert.ok(((h.document?.metadata?.year as number) ?? 0) >= 2005, `${h.id} matches the filter`);
      } finally {
        await c.close();
      }
    });

    test("a second handle sees another handle's versions only when it refreshes", async () => {
      const at = place().location('c_two');
      const writer = await Collection.create(at, 'bm25');
      const reader = await Collection.open(at);
      try {
        await writer.add(docs(0, 30));
        assert.equal(await reader.refresh(), true);
        assert.equal(await reader.refresh(), false, 'nothing new');
        const before = (await reader.info()).version;
        await writer.add(docs(30, 10));
        await writer.remove(['d1']);
        assert.equal((await reader.info()).version, before, 'a handle stays on its version until it refreshes');
        await searchesAs(reader, docs(0, 30), 'before refresh');
        assert.equal(await reader.refresh(), true);
        assert.equal((await reader.info()).version, before + 2);
        await searchesAs(
          reader,
          [...docs(0, 40)].filter((d) => d.id !== 'd1'),
          'after refresh',
        );
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    test('check passes on every version; optimize merges into one segment and searches answer as before', async () => {
      const at = place().location('c_check');
      const c = await Collection.create(at, 'bm25');
      try {
        for (let b = 0; b < 3; b++) await c.add(docs(b * 20, 20));
        await c.remove(['d2', 'd33']);
        const live = docs(0, 60).filter((d) => !['d2', 'd33'].includes(d.id));
        const report = await c.check();
        assert.deepEqual(report.problems, []);
        assert.deepEqual([report.ok, report.documents, report.bm25Documents, report.segments], [true, live.length, live.length, 3]);
        const opt = await c.optimize();
        assert.deepEqual([opt.segmentsBefore, opt.segmentsAfter], [3, 1]);
        assert.equal(opt.version, report.version + 1);
        const after = await c.check();
        assert.deepEqual([after.ok, after.segments, after.garbage.length], [true, 1, 0]);
        await searchesAs(c, live, 'after optimize');
      } finally {
        await c.close();
      }
      const reopened = await Collection.open(at);
      try {
        assert.equal((await reopened.info()).documents, 58);
        await searchesAs(
          reopened,
          docs(0, 60).filter((d) => !['d2', 'd33'].includes(d.id)),
          'reopened',
        );
      } finally {
        await reopened.close();
      }
    });
  });
}
