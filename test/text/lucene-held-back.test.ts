/**
 * The differential test against real Lucene 8.x on held-back text: text in every language that is
 * not in ../shared (Hunspell dictionaries' words and inflected forms, translated gettext
 * catalogs; see ./held-back.ts), read at test time from Debian packages that `.ci/run` installs.
 * Every line must give exactly Lucene's terms; a difference fails with the language, the source,
 * the line and the terms. Skips visibly without Java and Lucene or without any such text.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { getAnalyzer } from '../../src/text/index.ts';
import { heldBackMissing, heldBackSources } from './held-back.ts';
import { LUCENE_ANALYZERS } from './languages.ts';
import { firstDifference, LuceneDump, luceneMissing } from './lucene.ts';

const missing = luceneMissing() ?? heldBackMissing();

describe('language analyzers equal Lucene 8.x on held-back text', { skip: missing ?? false }, () => {
  const dump = missing ? null : new LuceneDump();
  after(() => dump?.dispose());

  for (const [code, { name, lucene, heldBackMinShare }] of Object.entries(LUCENE_ANALYZERS)) {
    test(`${code} (${name})`, (t) => {
      const sources = heldBackSources(code);
      if (sources.length === 0) {
        t.skip(`no held-back text installed for ${code} (see .ci/run)`);
        return;
      }
      const analyzer = getAnalyzer(code);
      // one Lucene run for all of the language's sources
      const all = (dump as LuceneDump).analyze(
        lucene,
        sources.flatMap((s) => s.lines),
      );
      let from = 0;
      for (const { name: source, kind, lines } of sources) {
        const expected = all.slice(from, from + lines.length);
        from += lines.length;
        const failures: string[] = [];
        lines.forEach((line, i) => {
          const ours = analyzer.analyze(line).join(' ');
          if (ours !== expected[i]) failures.push(`${code} ${source} line ${i + 1} «${line}»: ${firstDifference(ours, expected[i])}`);
        });
        const equal = lines.length - failures.length;
        t.diagnostic(`${code} ${source}: ${equal}/${lines.length} lines equal to ${lucene}`);
        if (heldBackMinShare !== undefined) {
          // experimental (Thai): must not get worse than measured
          const min = heldBackMinShare[kind];
          assert.ok(
            equal >= min * lines.length,
            `${code} ${source}: only ${equal}/${lines.length} lines equal (at least ${min * 100}% expected)`,
          );
          continue;
        }
        assert.equal(
          failures.length,
          0,
          `${failures.length}/${lines.length} lines differ from ${lucene}:\n${failures.slice(0, 10).join('\n')}`,
        );
      }
    });
  }
});
