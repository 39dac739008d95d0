/**
 * `--analyzer auto`: the language detected per collection (src/text/detect.ts).
 *
 * - Everywhere: generated documents (seeded draws from each language's Lucene stop word list;
 *   random Han, Kana and Hangul for cjk) are detected as their language, and `index --analyzer
 *   auto` stores the detected analyzer's id.
 * - With ../shared/text: every language's 1,500 real sentences, as one collection, give its
 *   analyzer; the accuracy on single sentences is printed per language (and must stay above the
 *   measured floor).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/core/random.ts';
import { Bm25Index } from '../../src/retrieve/bm25/index.ts';
import { DETECTABLE, detectAnalyzer, detectLanguage, resolveAnalyzer } from '../../src/text/detect.ts';
import { getAnalyzer } from '../../src/text/index.ts';
import { LANGUAGE_CODES } from '../../src/text/languages.ts';
import { ENGLISH_STOP_WORDS } from '../../src/text/stopwords.ts';
import { STOPWORD_DATA } from '../../src/text/stopwords-data.ts';
import { runCli } from '../support/cli.ts';

/** `docs` documents of `length` words drawn (seeded) from `words`. */
function generate(words: readonly string[], seed: number, docs = 20, length = 30): string[] {
  const rand = mulberry32(seed);
  return Array.from({ length: docs }, () => Array.from({ length }, () => words[Math.floor(rand() * words.length)]).join(' '));
}

/** Random characters of a code point range, in words of 2–4. */
function script(from: number, to: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const word = () =>
    Array.from({ length: 2 + Math.floor(rand() * 3) }, () => String.fromCodePoint(from + Math.floor(rand() * (to - from)))).join('');
  return Array.from({ length: 200 }, word);
}

test("auto: generated text of every language gives that language's analyzer", async () => {
  for (const [code, name] of Object.entries(LANGUAGE_CODES)) {
    if (name === 'cjk') continue;
    const words = STOPWORD_DATA[name as keyof typeof STOPWORD_DATA].split(' ');
    const d = await detectAnalyzer(generate(words, code.charCodeAt(0) * 31 + code.charCodeAt(1)));
    assert.equal(d.analyzer, name, `${code}: detected ${d.language} (${d.analyzer}, share ${d.share.toFixed(2)})`);
    assert.equal(d.documents, 20);
  }
  assert.equal((await detectAnalyzer(generate([...ENGLISH_STOP_WORDS], 1))).analyzer, 'english');
  for (const [from, to] of [
    [0x4e00, 0x9fa5],
    [0xac00, 0xd7a3],
    [0x3041, 0x3096],
  ]) {
    assert.equal((await detectAnalyzer(generate(script(from, to, from), 2))).analyzer, 'cjk', `U+${from.toString(16)}`);
  }
});

test('auto: too little text gives english, the default; other names resolve without detection', async () => {
  const empty = await detectAnalyzer([]);
  assert.deepEqual(empty, { analyzer: 'english', language: 'und', share: 0, documents: 0 });
  assert.equal((await detectAnalyzer(['42', '!'])).analyzer, 'english');
  let sampled = false;
  const r = await resolveAnalyzer('de', () => {
    sampled = true;
    return [];
  });
  assert.equal(r.analyzer.id, 'german@1');
  assert.equal(sampled, false);
  assert.equal(r.detection, undefined);
});

test('auto: the sample is bounded by documents and characters', async () => {
  const de = generate(STOPWORD_DATA.german.split(' '), 5, 50);
  assert.equal((await detectAnalyzer(de, { maxDocuments: 7 })).documents, 7);
  assert.equal((await detectAnalyzer(de, { maxChars: 1 })).documents, 1);
});

test('index/eval --analyzer auto use the detected analyzer (german@1); the index stores it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'analyzer-auto-'));
  try {
    const corpus = join(dir, 'corpus.jsonl');
    const texts = [
      'Die Häuser der Bürgermeister waren größer als die Straßen der alten Stadt.',
      'Ein Garten mit Bäumen und Blumen liegt hinter dem Haus, und die Kinder spielen dort.',
      ...generate(STOPWORD_DATA.german.split(' '), 9, 10),
    ];
    writeFileSync(corpus, texts.map((text, i) => JSON.stringify({ _id: `d${i}`, text })).join('\n') + '\n');
    const r = await runCli(['index', corpus, '--out', join(dir, 'idx'), '--analyzer', 'auto', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.analyzer, 'german@1');
    assert.equal(summary.detected.language, 'deu');
    assert.equal(summary.detected.documents, 12);
    const index = await Bm25Index.open(join(dir, 'idx'), { analyzer: getAnalyzer('german') });
    assert.deepEqual(
      index
        .search('Haus', 10)
        .map((h) => h.id)
        .sort(),
      ['d0', 'd1'],
    );
    index.close();
    // eval --analyzer auto on the same corpus as a BEIR folder: the run's analyzer is german@1
    mkdirSync(join(dir, 'qrels'));
    writeFileSync(join(dir, 'queries.jsonl'), `${JSON.stringify({ _id: 'q1', text: 'Häusern' })}\n`);
    writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td0\t1\n');
    const e = await runCli(['eval', dir, '--analyzer', 'auto', '--no-cache', '--json']);
    assert.equal(e.code, 0, e.stderr);
    const x = JSON.parse(e.stdout);
    assert.equal(x.params.analyzer, 'german@1');
    assert.ok(x.metrics['recall@100'] === 1, JSON.stringify(x.metrics));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const textDir = fileURLToPath(new URL('../../../shared/text', import.meta.url));

/** Lowest single-sentence accuracy measured on ../shared/text (Norwegian vs Danish: 63%). */
const SENTENCE_FLOOR = 0.6;

test("auto on real sentences: each language's text as a collection gives its analyzer; accuracy per sentence", {
  skip: existsSync(textDir) ? false : `no ${textDir}`,
}, async (t) => {
  const rows: string[] = [];
  for (const code of Object.keys(LANGUAGE_CODES)) {
    const file = join(textDir, `${code}.txt`);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const want = getAnalyzer(code).id;
    let right = 0;
    for (const line of lines) {
      const language = await detectLanguage(line);
      if (DETECTABLE[language] !== undefined && getAnalyzer(DETECTABLE[language]).id === want) right++;
    }
    const collection = await detectAnalyzer(lines);
    rows.push(
      `${code} ${((100 * right) / lines.length).toFixed(1)}% of ${lines.length} sentences; collection → ${collection.analyzer} (share ${collection.share.toFixed(2)})`,
    );
    assert.equal(getAnalyzer(collection.analyzer).id, want, `${code}: the collection was detected as ${collection.language}`);
    assert.ok(right >= SENTENCE_FLOOR * lines.length, `${code}: only ${right}/${lines.length} sentences detected right`);
  }
  for (const row of rows) t.diagnostic(row);
});
