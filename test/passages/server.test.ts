/**
 * Passages over HTTP on loopback: /v1/search hits carry `passages` (and a passage-unit hit names its
 * `document`); POST /v1/context returns the best passages within a word budget; the context body
 * takes knobs only — a tokenizer, pipeline or path in it is refused (4xx), as is a bad budget.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Collection } from '../../src/engine/collection.ts';
import { countWordsIn } from '../../src/pipeline/passages/index.ts';
import { createServer, type ShortlistServer } from '../../src/server/index.ts';
import { post } from '../server/support.ts';
import { writePassageCorpus, type PassageCorpus } from './corpus.ts';

describe('passages over HTTP', () => {
  let root: string;
  let server: ShortlistServer;
  let corpus: PassageCorpus;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-passages-server-'));
    corpus = writePassageCorpus(join(root, 'notes'), { notes: 6, queries: 6, words: 1500 });
    for (const [name, pipeline] of [
      ['notes', 'bm25'],
      ['chunks', { retrievers: [{ type: 'bm25' }], unit: 'passage' }],
    ] as const) {
      const c = await Collection.create(join(root, 'cols', name), pipeline as never);
      await c.add(corpus.dir);
      await c.close();
    }
    server = await createServer({ port: 0, quiet: true, collections: join(root, 'cols') });
  });
  after(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('/v1/search hits carry passages that slice the document text; passage-unit hits name their document', async () => {
    const q = corpus.queries[0];
    const res = await post(`${server.url}/v1/search`, { collection: 'notes', query: q.query, k: 3 });
    assert.equal(res.status, 200, res.text);
    for (const h of res.json.hits) {
      assert.ok(h.passages.length >= 1);
      for (const p of h.passages) assert.equal(h.text.slice(p.start, p.end), p.text);
    }
    assert.ok(res.json.hits[0].passages[0].text.includes(q.sentence));
    const chunks = await post(`${server.url}/v1/search`, { collection: 'chunks', query: q.query, k: 4 });
    assert.equal(chunks.status, 200, chunks.text);
    assert.equal(chunks.json.hits.length, 4);
    assert.equal(chunks.json.hits[0].document, q.docId);
    assert.equal(chunks.json.hits[0].id, `${q.docId}#${q.chunk}`);
    assert.ok(chunks.json.hits[0].passages[0].text.includes(q.sentence));
  });

  it('POST /v1/context: within the word budget, the top passage first, offsets exact', async () => {
    const q = corpus.queries[1];
    for (const budget of [50, 600]) {
      const res = await post(`${server.url}/v1/context`, { collection: 'notes', query: q.query, budget });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.json.used <= budget && countWordsIn(res.json.text) <= budget);
      assert.equal(res.json.passages[0].id, q.docId);
      assert.ok(res.json.text.includes(budget >= 300 ? q.sentence : q.query.split(' ')[5]));
      for (const p of res.json.passages) assert.equal(corpus.docs.find((d) => d.id === p.id)!.text.slice(p.start, p.end), p.text);
    }
  });

  it('POST /v1/context tunes, never configures: tokenizer, pipeline, paths and bad budgets are 4xx validation errors', async () => {
    const base = { collection: 'notes', query: 'replicas' };
    for (const body of [
      { ...base, budget: 100, tokenizer: '/etc/passwd' },
      { ...base, budget: 100, pipeline: { retrievers: [{ type: 'bm25' }] } },
      { ...base, budget: 100, model: 'BAAI/bge-small-en-v1.5' },
      { ...base, budget: 0 },
      { ...base, budget: 1.5 },
      { ...base, budget: 10_000_000 },
      { ...base },
      { ...base, budget: 100, k: 0 },
    ]) {
      const res = await post(`${server.url}/v1/context`, body);
      assert.ok(res.status === 400 || res.status === 422, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
      assert.ok(!res.text.includes(root), 'no host path in the error');
    }
    const missing = await post(`${server.url}/v1/context`, { collection: 'nope', query: 'x', budget: 10 });
    assert.equal(missing.status, 404, missing.text);
  });
});
