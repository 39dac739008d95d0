/**
 * Regenerates test/fixtures/lucene/languages.tsv: for each sentence of
 * scripts/lucene/languages-input.tsv (one sentence per language, written for the project), the
 * terms Lucene 8.x's analyzer for that language gives. test/text/languages-golden.test.ts checks
 * shortlist's analyzers against it without Java.
 *
 *   node --import tsx scripts/lucene/make-language-golden.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LUCENE_ANALYZERS } from '../../test/text/languages.ts';
import { LuceneDump, luceneMissing } from '../../test/text/lucene.ts';

const missing = luceneMissing();
if (missing) {
  console.error(`make-language-golden: ${missing}`);
  process.exit(2);
}
const input = readFileSync(new URL('languages-input.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);
const dump = new LuceneDump();
try {
  const out: string[] = [];
  for (const row of input) {
    const [code, sentence] = row.split('\t');
    const entry = LUCENE_ANALYZERS[code];
    if (!entry) continue;
    out.push(`${code}\t${sentence}\t${dump.analyze(entry.lucene, [sentence])[0]}`);
  }
  writeFileSync(new URL('../../test/fixtures/lucene/languages.tsv', import.meta.url), `${out.join('\n')}\n`);
  console.log(`wrote test/fixtures/lucene/languages.tsv (${out.length} lines)`);
} finally {
  dump.dispose();
}
