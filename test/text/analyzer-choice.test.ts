/** A language analyzer chosen per collection: `index --analyzer`, and `"analyzer"` in the pipeline's bm25 retriever. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzerOf, resolvePipeline } from '../../src/pipeline/config.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { runCli } from '../support/cli.ts';

test('index --analyzer de stores german@1, and German queries match inflected forms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'analyzer-choice-'));
  try {
    const corpus = join(dir, 'corpus.jsonl');
    writeFileSync(
      corpus,
      [
        { _id: 'a', text: 'Die Häuser der Bürgermeister' },
        { _id: 'b', text: 'Ein Garten mit Bäumen' },
      ]
        .map((d) => JSON.stringify(d))
        .join('\n') + '\n',
    );
    const r = await runCli(['index', corpus, '--out', join(dir, 'idx'), '--analyzer', 'de', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).analyzer, 'german@1');
    const index = await Bm25Index.open(join(dir, 'idx'), { analyzer: getAnalyzer('german') });
    const hits = index.search('Haus', 10);
    assert.deepEqual(
      hits.map((h) => h.id),
      ['a'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the pipeline bm25 retriever takes a language name or code; unknown names are rejected', () => {
  const p = resolvePipeline({ retrievers: [{ type: 'bm25', analyzer: 'ru' }] });
  assert.equal(getAnalyzer(analyzerOf(p)).id, 'russian@1');
  assert.throws(() => resolvePipeline({ retrievers: [{ type: 'bm25', analyzer: 'klingon' }] }));
});
