import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInput } from './inputs.ts';
import { buildReport } from './page.ts';
import { calibrationInput, compareInput, evalInput, plattFit, sweepInput } from '../../test/report/fixtures.ts';

const at = new Date('2026-01-02T03:04:05Z');

test('sections appear only for the inputs given, each with its charts as inline SVG', () => {
  const html = buildReport([parseInput(compareInput(), 'cmp.json'), parseInput(sweepInput(), 'sweep.json')], { generatedAt: at });
  assert.deepEqual(
    [...html.matchAll(/<section data-kind="(\w+)">/g)].map((m) => m[1]),
    ['sweep', 'compare'],
  );
  assert.deepEqual(
    [...html.matchAll(/data-chart="([\w-]+)"/g)].map((m) => m[1]),
    ['quality-depth', 'latency-depth', 'win-tie-loss'],
  );
  assert.equal((html.match(/<svg /g) ?? []).length, 3);
  assert.match(html, /Generated 2026-01-02 03:04:05 UTC from 2 inputs/);
  assert.match(html, /Recommended first-stage depth: <strong>K=20<\/strong>/);
  // compare table: one row per metric with p-values; p < 0.05 marked
  assert.equal((html.match(/<tr><td>(ndcg@10|map|recall@100)<\/td>/g) ?? []).length, 3);
  assert.doesNotMatch(html, /Pipeline evaluation|Calibration/);
});

test('every kind at once: one distribution per stage, delta, reliability and two fit curves', () => {
  const inputs = [evalInput(), sweepInput(), compareInput(), calibrationInput(), plattFit()].map((v, i) => parseInput(v, `in${i}.json`));
  const html = buildReport(inputs, { title: 'A <b>title</b>', generatedAt: at });
  const kinds = [...html.matchAll(/data-chart="([\w-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(kinds.sort(), [
    'delta',
    'distribution',
    'distribution',
    'fit',
    'fit',
    'latency-depth',
    'quality-depth',
    'reliability',
    'win-tie-loss',
  ]);
  assert.match(html, /<title>A &lt;b&gt;title&lt;\/b&gt;<\/title>/);
  assert.doesNotMatch(
    html,
    /<script|<link|<img|@import|url\((?!#)/,
    'no script, no external resource (url(#id) are in-page SVG references)',
  );
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});
