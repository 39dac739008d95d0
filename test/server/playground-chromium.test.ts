/**
 * The playground in a real browser (Debian chromium through playwright-core) against the real
 * server: a collection built from a small generated corpus (BM25 → tiny generated cross-encoder),
 * a query typed into the page, both lists and the rank-movement arrows checked against what
 * /v1/search returns, a clicked result's trace, and a screenshot (written to docs/img/playground.png
 * when SHORTLIST_SCREENSHOT names that path; to a temp folder otherwise).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { mulberry32 } from '../../src/core/random.ts';
import { Collection } from '../../src/engine/collection.ts';
import { createServer, type ShortlistServer } from '../../src/server/index.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Readable generated documents: a subject, a finding and a setting, drawn with a seed. */
function corpus(n: number, seed: number): { id: string; title: string; text: string }[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const subjects = [
    'BM25 retrieval',
    'dense retrieval',
    'cross-encoder reranking',
    'query expansion',
    'hybrid search',
    'learned sparse retrieval',
    'ColBERT late interaction',
    'listwise LLM reranking',
  ];
  const findings = [
    'improves recall at depth 100',
    'lowers latency on short queries',
    'helps most on long documents',
    'needs in-domain training data',
    'is robust to typos in the query',
    'gains little over a tuned baseline',
  ];
  const settings = [
    'on scientific claims',
    'for biomedical questions',
    'on web passages',
    'for legal search',
    'in e-commerce catalogues',
    'on a two-core server',
  ];
  return Array.from({ length: n }, (_, i) => {
    const s = pick(subjects);
    const sentences = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `${pick(subjects)} ${pick(findings)} ${pick(settings)}.`);
    return {
      id: `doc-${i}`,
      title: `${s[0].toUpperCase()}${s.slice(1)} ${pick(findings)}`,
      text: `${s} ${pick(findings)} ${pick(settings)}. ${sentences.join(' ')}`,
    };
  });
}

describe('playground in chromium', () => {
  let root: string;
  let server: ShortlistServer;
  let browser: Browser;
  let page: Page;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shortlist-playground-'));
    const ce = await tinyModel('classifier');
    const pipeline = {
      retrievers: [{ type: 'bm25' }],
      depth: 20,
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, threads: 1 }],
      k: 8,
    };
    const c = await Collection.create(join(root, 'cols', 'papers'), pipeline as never);
    await c.add(corpus(60, 3));
    await c.close();
    server = await createServer({ port: 0, quiet: true, collections: join(root, 'cols') });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("runs a query: both lists, the arrows, per-stage latency, and a clicked result's trace", async () => {
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url)) external.push(r.url());
    });
    const html = await (await fetch(`${server.url}/`)).text();
    assert.ok(html.startsWith('<!doctype html>') && !/(src|href)="https?:/.test(html), 'GET / serves the self-contained page');
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await page.$$eval('#collection option', (os) => os.map((o) => o.textContent)), ['papers']);
    const query = 'cross-encoder reranking on web passages';
    await page.fill('#query', query);
    await page.click('#search');
    await page.waitForSelector('body[data-state="done"]');

    const api = (await (
      await fetch(`${server.url}/v1/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ collection: 'papers', query, explain: true }),
      })
    ).json()) as {
      hits: { id: string }[];
      lists: { stage: string; hits: { id: string }[] }[];
    };
    const first = api.lists[0].hits.map((h) => h.id);
    const firstShown = await page.$$eval('#first-list li', (lis) => lis.map((li) => li.getAttribute('data-id')));
    assert.deepEqual(firstShown, first);
    assert.equal(first.length, 20);
    const reranked = await page.$$eval('#rerank-list li', (lis) =>
      lis.map((li) => ({ id: li.getAttribute('data-id'), move: li.querySelector('.move')?.textContent })),
    );
    assert.deepEqual(
      reranked.map((r) => r.id),
      api.hits.map((h) => h.id),
    );
    assert.equal(reranked.length, 8);
    const expectedMoves = api.hits.map((h, i) => {
      const before = first.indexOf(h.id) + 1;
      if (before === 0) return 'new';
      return before === i + 1 ? '=' : before > i + 1 ? `↑${before - i - 1}` : `↓${i + 1 - before}`;
    });
    assert.deepEqual(
      reranked.map((r) => r.move),
      expectedMoves,
    );
    assert.ok(
      expectedMoves.some((m) => m !== '='),
      `the reranker moved something: ${expectedMoves.join(' ')}`,
    );
    // first-stage documents the reranker cut show their titles too, marked as left out
    const docs = new Map(corpus(60, 3).map((d) => [d.id, d.title]));
    const firstItems = await page.$$eval('#first-list li', (lis) =>
      lis.map((li) => ({
        id: li.getAttribute('data-id')!,
        title: li.querySelector('.title')?.textContent,
        sub: li.querySelector('.id')?.textContent,
        dimmed: li.classList.contains('cut'),
      })),
    );
    const cut = firstItems.filter((f) => !api.hits.some((h) => h.id === f.id));
    assert.equal(cut.length, 12);
    for (const f of firstItems) assert.equal(f.title, docs.get(f.id), f.id);
    for (const f of firstItems) assert.equal(f.dimmed, cut.includes(f), `${f.id}: only cut documents are dimmed`);
    for (const f of cut) assert.equal(f.sub, `${f.id} · not in the final list`);
    await page.click(`#first-list li[data-id="${cut[0].id}"] button`);
    assert.equal(await page.textContent('#trace h3'), docs.get(cut[0].id), "a cut document's trace is headed by its title");
    assert.match((await page.textContent('#trace')) ?? '', new RegExp(`${cut[0].id} · not in the final list`));
    assert.match((await page.textContent('#first-title')) ?? '', /First stage · bm25 \(20\)/);
    assert.match((await page.textContent('#rerank-title')) ?? '', /Reranked · cross-encoder \(8\)/);
    const stages = await page.$$eval('#timings .chip', (cs) => cs.map((c) => c.textContent ?? ''));
    assert.ok(
      stages.some((s) => /^bm25 [\d.]+ ms$/.test(s)) &&
        stages.some((s) => /^cross-encoder [\d.]+ ms$/.test(s)) &&
        stages.some((s) => /^total /.test(s)),
      stages.join(' | '),
    );

    // click the result the reranker moved the most and read its trace
    const moved = api.hits
      .map((h, i) => ({ id: h.id, rank: i + 1, before: first.indexOf(h.id) + 1 }))
      .sort((a, b) => Math.abs(b.before - b.rank) - Math.abs(a.before - a.rank))[0];
    await page.click(`#rerank-list li[data-id="${moved.id}"] button`);
    await page.waitForSelector('#trace table');
    const rows = await page.$$eval('#trace tr[data-stage]', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['bm25', String(moved.before)],
        ['cross-encoder', String(moved.rank)],
      ],
    );
    assert.equal(
      rows[1][3],
      moved.before === moved.rank ? '=' : moved.before > moved.rank ? `↑${moved.before - moved.rank}` : `↓${moved.rank - moved.before}`,
    );
    assert.ok(await page.$(`#first-list li.selected[data-id="${moved.id}"]`), 'the same document is highlighted in the first-stage list');
    assert.match((await page.textContent('#trace')) ?? '', new RegExp(`${moved.id} · final rank ${moved.rank}`));
    assert.deepEqual(new URL(page.url()).searchParams.get('q'), query);
    assert.deepEqual(external, [], 'the page makes no requests outside the server');

    const shot = process.env.SHORTLIST_SCREENSHOT ?? join(root, 'playground.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(existsSync(shot));
    assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [...Buffer.from('PNG')]);
  });

  it("shows the server's error message for a bad request and keeps working", async () => {
    await page.goto(`${server.url}/?collection=papers&q=${encodeURIComponent('   ')}`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.fill('#query', 'x'.repeat(10));
    // a collection the server does not have (as if it was removed after the page loaded)
    await page.evaluate(`(() => {
      const o = document.createElement('option');
      o.value = o.textContent = 'missing';
      document.getElementById('collection').appendChild(o);
      document.getElementById('collection').value = 'missing';
    })()`);
    await page.click('#search');
    await page.waitForSelector('body[data-state="error"]');
    assert.match((await page.textContent('#error')) ?? '', /no collection "missing"/);
    await page.selectOption('#collection', 'papers');
    await page.fill('#query', 'hybrid search');
    await page.click('#search');
    await page.waitForSelector('body[data-state="done"]');
    assert.equal(await page.textContent('#error'), '');
    assert.equal((await page.$$('#rerank-list li')).length, 8);
  });
});
