/**
 * Every language analyzer against Lucene 8.x's terms for one sentence per language, written for
 * the project (test/fixtures/lucene/languages.tsv, made by scripts/lucene/make-language-golden.ts):
 * runs everywhere, without Java or ../shared. The full differential test is lucene-diff.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ANALYZER_ALIASES, ANALYZERS, getAnalyzer } from '../../src/text/index.ts';
import { LUCENE_ANALYZERS } from './languages.ts';

const rows = readFileSync(new URL('../fixtures/lucene/languages.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split('\t') as [string, string, string]);

test('every language analyzer in the Lucene table has a golden sentence', () => {
  const codes = new Set(rows.map((r) => r[0]));
  for (const code of Object.keys(LUCENE_ANALYZERS)) assert.ok(codes.has(code), code);
});

for (const [code, input, expected] of rows) {
  const analyzer = getAnalyzer(code);
  test(`${code} (${analyzer.id}) gives Lucene's terms`, {
    skip: analyzer.experimental ? `experimental: ${analyzer.experimental}` : false,
  }, () => {
    assert.equal(analyzer.analyze(input).join(' '), expected, `${code}: ${input}`);
  });
}

test('each language name and code names one frozen analyzer with a versioned id', () => {
  for (const [code, { name }] of Object.entries(LUCENE_ANALYZERS)) {
    assert.equal(ANALYZER_ALIASES[code], name, code);
    const analyzer = ANALYZERS[name as keyof typeof ANALYZERS];
    assert.equal(getAnalyzer(analyzer.id), analyzer);
    assert.ok(Object.isFrozen(analyzer));
  }
});

test('english stays bit-identical: its id and a known line', () => {
  assert.equal(ANALYZERS.english.id, 'english@1');
  assert.deepEqual(ANALYZERS.english.analyze("The runner's dogs were running quickly"), ['runner', 'dog', 'were', 'run', 'quickli']);
});
