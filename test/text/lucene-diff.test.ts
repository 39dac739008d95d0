/**
 * Differential test against real Lucene 8.x: every line of ../shared/text/<lang>.txt (1,500
 * sentences per language; licensed text, read here and never copied into the project) must give
 * exactly Lucene's terms. A difference fails with the language, the line number and the terms.
 * ANALYZER_TEXT_DIR points the test at other text in the same layout (held-back sentences).
 * Skips visibly without the text or without Java and the Lucene jars.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getAnalyzer } from '../../src/text/index.ts';
import { LUCENE_ANALYZERS } from './languages.ts';
import { firstDifference, LuceneDump, luceneMissing } from './lucene.ts';

const textDir = process.env.ANALYZER_TEXT_DIR ?? fileURLToPath(new URL('../../../shared/text', import.meta.url));
const missing = luceneMissing() ?? (existsSync(textDir) ? null : `no multilingual text at ${textDir}`);

describe('language analyzers equal Lucene 8.x line for line', { skip: missing ?? false }, () => {
  const dump = missing ? null : new LuceneDump();
  after(() => dump?.dispose());

  for (const [code, { name, lucene, minShare }] of Object.entries(LUCENE_ANALYZERS)) {
    const file = join(textDir, `${code}.txt`);
    test(`${code} (${name})`, { skip: existsSync(file) ? false : `no ${file}` }, (t) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const expected = (dump as LuceneDump).analyze(lucene, lines);
      const analyzer = getAnalyzer(code);
      const failures: string[] = [];
      lines.forEach((line, i) => {
        const ours = analyzer.analyze(line).join(' ');
        if (ours !== expected[i]) failures.push(`${code} line ${i + 1}: ${firstDifference(ours, expected[i])}`);
      });
      const equal = lines.length - failures.length;
      t.diagnostic(`${code}: ${equal}/${lines.length} lines equal to ${lucene}`);
      if (minShare !== undefined) {
        // experimental: the analyzer says so, and must not get worse than measured
        assert.ok(analyzer.experimental, `${code} is not exact and must be marked experimental`);
        assert.ok(
          equal >= minShare * lines.length,
          `${code}: only ${equal}/${lines.length} lines equal (at least ${minShare * 100}% expected)`,
        );
        return;
      }
      assert.equal(analyzer.experimental, undefined);
      assert.equal(
        failures.length,
        0,
        `${failures.length}/${lines.length} lines differ from ${lucene}:\n${failures.slice(0, 10).join('\n')}`,
      );
      assert.ok(lines.length > 0);
    });
  }
});
