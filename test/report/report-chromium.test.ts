/**
 * `shortlist report` end to end: real inputs from the CLI (eval --pipeline, sweep, compare,
 * calibrate on a generated BEIR collection with BM25 → a tiny generated cross-encoder), one HTML
 * file built by `shortlist report`, opened in headless Debian chromium (playwright-core): every
 * chart is an <svg> with a non-empty box and drawn paths, nothing is requested from outside the
 * file, and a full-page screenshot is saved (kept in $SHORTLIST_REPORT_SCREENSHOT_DIR when set).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

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

const root = mkdtempSync(join(tmpdir(), 'shortlist-report-'));
after(() => rmSync(root, { recursive: true, force: true }));
const beir = join(root, 'beir');
writeCollection(beir, { docs: 80, queries: 8, seed: 3 });

async function cli(args: string[], out?: string): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 0, `shortlist ${args.join(' ')}\n${r.stderr}`);
  if (out) writeFileSync(out, r.stdout);
  return r.stdout;
}

/** Every input kind, written by the real CLI; returns the files. */
async function makeInputs(): Promise<string[]> {
  const ce = await tinyModel('classifier');
  const p = join(root, 'p.json');
  writeFileSync(
    p,
    JSON.stringify({
      retrievers: [{ type: 'bm25' }],
      depth: 20,
      rerank: [{ type: 'cross-encoder', model: ce, activation: 'sigmoid', maxLength: 64, keep: 10, threads: 1 }],
      k: 10,
    }),
  );
  const f = (name: string) => join(root, name);
  await Promise.all([
    cli(['eval', beir, '--pipeline', p, '--json', '--run', f('run.txt')], f('eval.json')),
    cli(['sweep', beir, '--pipeline', p, '--depths', '5,10,20', '--json'], f('sweep.json')),
    cli(['calibrate', beir, '--pipeline', p, '--held-out', '0.5', '--json', '--out', f('fit.json')], f('calibrate.json')),
  ]);
  await cli(
    [
      'compare',
      f('run.bm25.txt'),
      f('run.cross-encoder.txt'),
      '--qrels',
      join(beir, 'qrels', 'test.tsv'),
      '--metrics',
      'ndcg@10,mrr@10,recall@10',
      '--json',
    ],
    f('compare.json'),
  );
  return ['eval.json', 'sweep.json', 'compare.json', 'calibrate.json', 'fit.json'].map(f);
}

test('the report of real CLI outputs renders every chart in chromium, offline', async (t) => {
  const inputs = await makeInputs();
  const html = join(root, 'report.html');
  const out = await cli(['report', ...inputs, '-o', html]);
  assert.match(out, /report written to .*report\.html .*eval, sweep, compare, calibration, fit/);
  const source = readFileSync(html, 'utf8');
  assert.doesNotMatch(
    source,
    /<script|<link|https?:\/\/(?!www\.w3\.org)/,
    'self-contained: no script, no stylesheet link, no URL but SVG namespaces',
  );

  const evalJson = JSON.parse(readFileSync(inputs[0], 'utf8'));
  const expected = {
    delta: 1,
    distribution: evalJson.stages.length,
    'quality-depth': 1,
    'latency-depth': 1,
    'win-tie-loss': 1,
    reliability: 1,
    fit: 2,
  };
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(html).href);
    const charts = (await page.evaluate(`[...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const shapes = svg ? [...svg.querySelectorAll('path, rect')] : [];
      const drawn = shapes.filter((e) => { const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length;
      return { kind: f.dataset.chart, svgs: f.querySelectorAll('svg').length, width: box.width, height: box.height, shapes: shapes.length, drawn };
    })`)) as { kind: string; svgs: number; width: number; height: number; shapes: number; drawn: number }[];
    const counts: Record<string, number> = {};
    for (const c of charts) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
    assert.deepEqual(counts, expected);
    for (const c of charts) {
      assert.equal(c.svgs, 1, `${c.kind}: one <svg>`);
      assert.ok(c.width > 100 && c.height > 100, `${c.kind}: svg box ${c.width}×${c.height}`);
      assert.ok(c.drawn >= 3, `${c.kind}: ${c.drawn} of ${c.shapes} path/rect elements have a non-empty box`);
    }
    const sections = await page.evaluate(`[...document.querySelectorAll('section')].map((s) => s.dataset.kind)`);
    assert.deepEqual(sections, ['sweep', 'eval', 'compare', 'calibration', 'fit']);
    assert.ok(
      requests.length > 0 && requests.every((u) => u.startsWith('file:') || u.startsWith('data:')),
      `requests: ${requests.join(', ')}`,
    );

    const dir = process.env.SHORTLIST_REPORT_SCREENSHOT_DIR ?? join(root, 'screenshots');
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'the screenshot has content');
    t.diagnostic(`screenshot: ${shot}`);
  } finally {
    await browser.close();
  }
});
