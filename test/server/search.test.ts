/**
 * Collection routes on loopback: /v1/search runs the collection's pipeline (bm25 → tiny
 * cross-encoder) and returns the library's hits with traces and per-stage timings; `explain` adds
 * every stage's list; pipeline overrides and filters apply; upsert creates, adds and replaces,
 * delete removes, info and list describe.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { createServer, type ShortlistServer } from '../../src/server/index.ts';
import { writeCollection } from '../support/collection.ts';
import { post } from './support.ts';

describe('collection search and documents over HTTP', () => {
  let root: string;
  let server: ShortlistServer;
  let data: ReturnType<typeof writeCollection>;
  let pipeline: Record<string, unknown>;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-server-search-'));
    data = writeCollection(join(root, 'beir-src'), { docs: 60, queries: 3, seed: 5 });
    const ce = await tinyModel('classifier');
    pipeline = {
      retrievers: [{ type: 'bm25' }],
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 5, threads: 1 }],
      depth: 20,
      k: 5,
    };
    const c = await Collection.create(join(root, 'cols', 'sci'), pipeline as never);
    await c.add(data.docs.map((d, i) => ({ id: d._id, title: d.title, text: d.text, metadata: { odd: i % 2 === 1 } })));
    await c.close();
    server = await createServer({ port: 0, quiet: true, collections: join(root, 'cols') });
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('search returns the library hits, traces and per-stage timings; explain adds every stage list', async () => {
    const q = data.queries[0].text;
    const lib = await Collection.open(join(root, 'cols', 'sci'));
    const expected = await lib.search(q);
    await lib.close();
    const res = await post(`${server.url}/v1/search`, { collection: 'sci', query: q, explain: true });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.json.hits.map((h: any) => h.id),
      expected.hits.map((h) => h.id),
    );
    res.json.hits.forEach((h: any, i: number) => {
      assert.equal(h.rank, i + 1);
      assert.ok(Math.abs(h.score - expected.hits[i].score) < 1e-9);
      assert.equal(typeof h.text, 'string');
      assert.deepEqual(
        h.trace.map((t: any) => t.stage),
        ['bm25', 'cross-encoder'],
      );
    });
    assert.deepEqual(
      res.json.timings.map((t: any) => t.stage),
      ['bm25', 'hydrate', 'cross-encoder'],
    );
    assert.deepEqual(
      res.json.lists.map((l: any) => [l.stage, l.hits.length]),
      [
        ['bm25', 20],
        ['cross-encoder', 5],
      ],
    );
    // every listed document carries its title, also those the final list cut
    const titles = new Map(data.docs.map((d) => [d._id, d.title]));
    for (const l of res.json.lists) for (const h of l.hits) assert.equal(h.title, titles.get(h.id), `${l.stage}: ${h.id}`);
    const cut = res.json.lists[0].hits.filter((h: any) => !res.json.hits.some((x: any) => x.id === h.id));
    assert.equal(cut.length, 15, 'the first stage lists documents the final list left out');
    const plain = await post(`${server.url}/v1/search`, { collection: 'sci', query: q, k: 2 });
    assert.equal(plain.json.hits.length, 2);
    assert.equal(plain.json.hits[0].trace, undefined);
    assert.equal(plain.json.lists, undefined);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /shortlist_stage_duration_seconds_count\{stage="search.cross-encoder"\} [1-9]/);
  });

  it('per-request knobs and filters apply; a bad filter or knob is a clear error', async () => {
    const q = data.queries[1].text;
    const tuned = await post(`${server.url}/v1/search`, {
      collection: 'sci',
      query: q,
      depth: 12,
      rerank: [{ keep: 7 }],
      k: 7,
      explain: true,
    });
    assert.equal(tuned.status, 200, tuned.text);
    assert.equal(tuned.json.hits.length, 7);
    assert.deepEqual(
      tuned.json.lists.map((l: any) => [l.stage, l.hits.length]),
      [
        ['bm25', 12],
        ['cross-encoder', 7],
      ],
    );
    const odd = await post(`${server.url}/v1/search`, { collection: 'sci', query: q, filter: 'odd = true', explain: true });
    assert.equal(odd.status, 200, odd.text);
    for (const l of odd.json.lists) for (const h of l.hits) assert.equal(Number(h.id.slice(1)) % 2, 1);
    const badFilter = await post(`${server.url}/v1/search`, { collection: 'sci', query: q, filter: 'colour = 1' });
    assert.equal(badFilter.status, 400);
    assert.match(badFilter.json.error.message, /colour/);
    const badOverride = await post(`${server.url}/v1/search`, { collection: 'sci', query: q, depth: -1 });
    assert.equal(badOverride.status, 422, badOverride.text);
    assert.match(badOverride.json.error.message, /depth/);
    const replaced = await post(`${server.url}/v1/search`, { collection: 'sci', query: q, pipeline: { rerank: [] } });
    assert.equal(replaced.status, 422, replaced.text);
    assert.match(replaced.json.error.message, /^pipeline: a request may not replace the pipeline/);
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });

  it('upsert creates a collection, adds and replaces; delete removes; info and list describe', async () => {
    const created = await post(`${server.url}/v1/collections/notes/documents`, {
      pipeline: 'bm25',
      documents: [
        { id: 'a', text: 'glucose in the medium' },
        { id: 'b', text: 'blood pressure fell' },
      ],
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.added, 2);
    assert.deepEqual(((await (await fetch(`${server.url}/v1/collections`)).json()) as any).collections, ['notes', 'sci']);
    const again = await post(`${server.url}/v1/collections/notes/documents`, {
      documents: [
        { id: 'b', text: 'blood pressure rose', metadata: { year: 2020 } },
        { id: 'c', text: 'cells grew' },
      ],
    });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.json.added, again.json.updated], [1, 1]);
    const hit = await post(`${server.url}/v1/search`, { collection: 'notes', query: 'blood pressure' });
    assert.equal(hit.json.hits[0].id, 'b');
    assert.equal(hit.json.hits[0].text, 'blood pressure rose');
    const del = await post(`${server.url}/v1/collections/notes/documents`, { ids: ['b', 'zzz'] }, {}, 'DELETE');
    assert.equal(del.status, 200, del.text);
    assert.equal(del.json.deleted, 1);
    const gone = await post(`${server.url}/v1/search`, { collection: 'notes', query: 'blood pressure' });
    assert.ok(!gone.json.hits.some((h: any) => h.id === 'b'));
    const concurrent = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        post(`${server.url}/v1/collections/notes/documents`, { documents: [{ id: `p${i}`, text: `parallel write ${i}` }] }),
      ),
    );
    for (const r of concurrent) assert.equal(r.status, 200, r.text);
    await Promise.all(
      ['p0', 'p1', 'p2', 'p3'].map((id) => post(`${server.url}/v1/collections/notes/documents`, { ids: [id] }, {}, 'DELETE')),
    );
    const info = (await (await fetch(`${server.url}/v1/collections/notes`)).json()) as any;
    assert.equal(info.name, 'notes');
    assert.equal(info.documents, 2);
    assert.equal(info.dir, undefined, 'info does not reveal server paths');
    assert.deepEqual(
      info.pipeline.retrievers.map((r: any) => r.type),
      ['bm25'],
    );
  });
});
