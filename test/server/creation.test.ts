/**
 * Creating a collection over HTTP: by default only a built-in preset (by name, never a file);
 * `creation.presets` narrows the presets; `creation.models` (`--allow-models`) enables inline
 * pipelines whose every model is on the list; hosted stages are never accepted from a request.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { createServer, type ShortlistServer } from '../../src/server/index.ts';
import { post } from './support.ts';

const docs = [
  { id: 'a', text: 'blood pressure fell' },
  { id: 'b', text: 'cells grew in glucose' },
];

describe('creating collections over HTTP', () => {
  let root: string;
  let ce: string;
  let presetsOnly: ShortlistServer;
  let allowing: ShortlistServer;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-creation-'));
    ce = await tinyModel('classifier');
    presetsOnly = await createServer({ port: 0, quiet: true, collections: join(root, 'one'), creation: { presets: ['bm25'] } });
    allowing = await createServer({ port: 0, quiet: true, collections: join(root, 'two'), creation: { models: [ce] } });
  });
  after(async () => {
    await Promise.all([presetsOnly?.close(), allowing?.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('presets only: an allowed preset creates, another preset is 422, an inline pipeline is 403', async () => {
    const ok = await post(`${presetsOnly.url}/v1/collections/notes/documents`, { pipeline: 'bm25', documents: docs });
    assert.equal(ok.status, 201, ok.text);
    const other = await post(`${presetsOnly.url}/v1/collections/n2/documents`, { pipeline: 'hybrid', documents: docs });
    assert.equal(other.status, 422, other.text);
    assert.match(other.json.error.message, /"hybrid" is not a preset this server allows; give one of: bm25/);
    const inline = await post(`${presetsOnly.url}/v1/collections/n3/documents`, {
      pipeline: { retrievers: [{ type: 'bm25' }] },
      documents: docs,
    });
    assert.equal(inline.status, 403, inline.text);
    assert.match(inline.json.error.message, /presets only.*--allow-models/);
    assert.deepEqual(((await (await fetch(`${presetsOnly.url}/v1/collections`)).json()) as { collections: string[] }).collections, [
      'notes',
    ]);
  });

  it('--allow-models: an inline pipeline of allowed models creates and searches; any other model or a hosted stage is 403', async () => {
    const pipeline = {
      retrievers: [{ type: 'bm25' }],
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 32, keep: 2, threads: 1 }],
      depth: 5,
      k: 2,
    };
    const ok = await post(`${allowing.url}/v1/collections/reranked/documents`, { pipeline, documents: docs });
    assert.equal(ok.status, 201, ok.text);
    const search = await post(`${allowing.url}/v1/search`, { collection: 'reranked', query: 'blood pressure', explain: true });
    assert.equal(search.status, 200, search.text);
    assert.deepEqual(
      search.json.hits[0].trace.map((t: { stage: string }) => t.stage),
      ['bm25', 'cross-encoder'],
    );
    const refused: [string, unknown, RegExp][] = [
      [
        'another model',
        { ...pipeline, rerank: [{ ...pipeline.rerank[0], model: 'cross-encoder/ms-marco-MiniLM-L-6-v2' }] },
        /rerank\[0\]\.model names a model this server does not allow/,
      ],
      ['a dense hub model', { retrievers: [{ type: 'dense', model: 'BAAI/bge-small-en-v1.5' }] }, /retrievers\[0\]\.model names a model/],
      [
        'an llm-listwise stage',
        {
          retrievers: [{ type: 'bm25' }],
          rerank: [{ type: 'llm-listwise', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', apiKey: { env: 'HOME' } }],
        },
        /rerank\[0\]\.type is "llm-listwise", a hosted stage/,
      ],
      [
        'a remote encoder',
        { retrievers: [{ type: 'dense', remote: { provider: 'openai', model: 'x', apiKey: { env: 'HOME' } } }] },
        /retrievers\[0\]\.remote is a hosted encoder/,
      ],
    ];
    for (const [what, p, message] of refused) {
      const res = await post(`${allowing.url}/v1/collections/refused/documents`, { pipeline: p, documents: docs });
      assert.equal(res.status, 403, `${what}: ${res.text}`);
      assert.match(res.json.error.message, message, what);
      assert.ok(!res.text.includes(root), `${what}: no server path`);
    }
    assert.equal((await fetch(`${allowing.url}/v1/collections/refused`)).status, 404);
  });
});
