import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeEnglish, englishAnalyzer, stripPossessive } from './english.ts';
import { readGolden } from './golden.test-helper.ts';

// Lucene 8.7 EnglishAnalyzer output for every line of test/fixtures/lucene/analyzer-input.txt
// (edge cases, then sentences and queries of the BEIR datasets), by make-analyzer-golden.sh.
const golden = readGolden('english-analyzer.tsv');

test('golden fixture is present and large', () => {
  assert.ok(golden.length >= 500, `only ${golden.length} golden lines`);
});

test('matches Lucene 8.7 EnglishAnalyzer on every golden line', () => {
  const failures: string[] = [];
  for (const { line, input, expected } of golden) {
    const ours = analyzeEnglish(input).join(' ');
    if (ours !== expected) {
      failures.push(
        `line ${line}: ${JSON.stringify(input.slice(0, 80))}\n  ours:   ${ours.slice(0, 200)}\n  lucene: ${expected.slice(0, 200)}`,
      );
    }
  }
  assert.equal(failures.length, 0, failures.slice(0, 10).join('\n'));
});

test('removes the 33 stop words in any case, before stemming', () => {
  assert.deepEqual(analyzeEnglish('The cat AND the Hat is on THE mat'), ['cat', 'hat', 'mat']);
  // stop words are matched before stemming: "theses" stems to "these" and stays
  assert.deepEqual(analyzeEnglish('these theses'), ['these']);
  assert.deepEqual(analyzeEnglish("IT'S an isn't"), ["isn't"]);
  assert.deepEqual(analyzeEnglish('to be or not to be'), []);
});

test('strips possessives with straight, curly and fullwidth apostrophes', () => {
  assert.equal(stripPossessive("John's"), 'John');
  assert.equal(stripPossessive('John’s'), 'John');
  assert.equal(stripPossessive('John＇s'), 'John');
  assert.equal(stripPossessive("JOHN'S"), 'JOHN');
  assert.equal(stripPossessive("Smiths'"), "Smiths'");
  assert.equal(stripPossessive('s'), 's');
  assert.deepEqual(analyzeEnglish("John's books aren't the boss's"), ['john', 'book', "aren't", 'boss']);
});

test('stems with Porter (1980), not Porter2', () => {
  assert.deepEqual(analyzeEnglish('generalizations relational ponies caresses'), ['gener', 'relat', 'poni', 'caress']);
  // Porter2 (Snowball English) gives "agre" too but keeps "generous" and "fairli" → "fair"
  assert.deepEqual(analyzeEnglish('agreed generously fairly'), ['agre', 'gener', 'fairli']);
});

test('lowercases per code point like Java (no final sigma, dotted I to i)', () => {
  assert.deepEqual(analyzeEnglish('ΟΔΥΣΣΕΥΣ İstanbul'), ['οδυσσευσ', 'istanbul']);
});

test('englishAnalyzer carries a versioned id and is frozen', () => {
  assert.equal(englishAnalyzer.id, 'english@1');
  assert.ok(Object.isFrozen(englishAnalyzer));
  assert.deepEqual(englishAnalyzer.analyze('Running dogs'), ['run', 'dog']);
});
