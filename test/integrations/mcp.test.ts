/**
 * `shortlist mcp` end to end: the SDK's client spawns the CLI over stdio and calls every tool; tool
 * inputs tune and never configure, and errors carry no host paths.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/index.ts';
import { CrossEncoderReranker } from '../../src/models.ts';
import { pathHider } from '../../src/integrations/mcp/index.ts';

const BIN = fileURLToPath(new URL('../../bin/shortlist.js', import.meta.url));
const PRESET = { activation: 'sigmoid' as const, maxLength: 64 };
const DOCS = [
  { id: 'd1', title: 'Rerankers', text: 'A cross-encoder reads the query and the document together.', metadata: { year: 2020 } },
  { id: 'd2', title: 'First stage', text: 'BM25 shortlists candidates from an inverted index in milliseconds.', metadata: { year: 2021 } },
  {
    id: 'd3',
    title: 'Dense retrieval',
    text: 'Bi-encoders embed queries and documents separately for ANN search of candidates.',
    metadata: { year: 2022 },
  },
];

type ToolAnswer = { content: { type: string; text: string }[]; isError?: boolean };

describe('shortlist mcp over stdio', () => {
  let root: string;
  let model: string;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolAnswer;
  const body = (a: ToolAnswer) => {
    assert.ok(!a.isError, a.content[0]?.text);
    return JSON.parse(a.content[0].text);
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-mcp-'));
    const c = await Collection.create(join(root, 'docs'), 'bm25');
    await c.add(DOCS);
    await c.close();
    model = await tinyModel('classifier');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--collections', root, '--rerank-model', model, '--rerank-preset', JSON.stringify(PRESET), '--threads', '1'],
      stderr: 'pipe',
    });
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
  });
  after(async () => {
    await client?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists four tools whose inputs name no model, path, URL, provider, pipeline or env', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['collection_info', 'list_collections', 'rerank', 'search']);
    const allowed = new Set(['collection', 'query', 'k', 'filter', 'depth', 'texts']);
    for (const t of tools) {
      for (const field of Object.keys((t.inputSchema as { properties?: object }).properties ?? {}))
        assert.ok(allowed.has(field), `${t.name}.${field}`);
    }
  });

  it('list_collections and collection_info (without the host path)', async () => {
    assert.deepEqual(body(await call('list_collections')), { collections: ['docs'] });
    const info = await call('collection_info', { collection: 'docs' });
    const parsed = body(info);
    assert.equal(parsed.name, 'docs');
    assert.equal(parsed.documents, 3);
    assert.equal(parsed.dir, undefined);
    assert.ok(!info.content[0].text.includes(root), 'no host path');
  });

  it('search with k, filter and depth', async () => {
    const top = body(await call('search', { collection: 'docs', query: 'BM25 candidates', k: 1 }));
    assert.deepEqual(
      top.hits.map((h: { id: string }) => h.id),
      ['d2'],
    );
    assert.equal(top.hits[0].title, 'First stage');
    assert.equal(top.hits[0].text, DOCS[1].text);
    const filtered = body(await call('search', { collection: 'docs', query: 'BM25 candidates', filter: 'year >= 2022' }));
    assert.deepEqual(
      filtered.hits.map((h: { id: string }) => h.id),
      ['d3'],
    );
    const deep = body(await call('search', { collection: 'docs', query: 'candidates', depth: 1 }));
    assert.equal(deep.hits.length, 1, 'depth 1 leaves one candidate');
  });

  it('refuses inputs that configure, and names that leave the collections folder', async () => {
    for (const args of [
      { collection: 'docs', query: 'q', pipeline: { rerank: [] } },
      { collection: 'docs', query: 'q', model: 'org/other' },
      { collection: '../docs', query: 'q' },
      { collection: 'docs', query: 'q', k: 0 },
    ]) {
      const a = await call('search', args);
      assert.equal(a.isError, true, JSON.stringify(args));
    }
  });

  it('an unknown collection is a tool error without host paths', async () => {
    const a = await call('search', { collection: 'nosuch', query: 'q' });
    assert.equal(a.isError, true);
    assert.match(a.content[0].text, /nosuch/);
    assert.ok(!a.content[0].text.includes(root), a.content[0].text);
    assert.ok(!a.content[0].text.includes(tmpdir()), a.content[0].text);
  });

  it("rerank orders the given texts with the operator's reranker", async () => {
    const texts = DOCS.map((d) => d.text);
    const out = body(await call('rerank', { query: 'what reads query and document together?', texts, k: 2 }));
    const local = await CrossEncoderReranker.create({ model, preset: PRESET, threads: 1 });
    try {
      const expected = await local.rerank(
        'what reads query and document together?',
        texts.map((text, i) => ({ id: String(i), text })),
        2,
      );
      assert.deepEqual(
        out.results.map((r: { index: number }) => r.index),
        expected.map((h) => Number(h.id)),
      );
      out.results.forEach((r: { score: number; text: string; index: number }, i: number) => {
        assert.ok(Math.abs(r.score - expected[i].score) < 1e-6);
        assert.equal(r.text, texts[r.index]);
      });
    } finally {
      await local.dispose();
    }
  });
});

describe('pathHider', () => {
  it('hides the root and absolute paths, keeps the rest', () => {
    const hide = pathHider('/srv/data/cols');
    assert.equal(
      hide('no collection "x" under /srv/data/cols; collections: a, b'),
      'no collection "x" under <collections>; collections: a, b',
    );
    assert.equal(hide('cannot read /home/me/file.json: denied'), 'cannot read <path>: denied');
    assert.equal(hide("year >= 2020 AND lang = 'en'"), "year >= 2020 AND lang = 'en'");
    assert.equal(hide('k must be 1/2'), 'k must be 1/2');
  });
});
