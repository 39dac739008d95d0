import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGolden } from './golden.test-helper.ts';
import { MAX_TOKEN_LENGTH, tokenize } from './tokenize.ts';

test('matches Lucene 8.7 StandardTokenizer on 3,500 mixed-script stress strings', () => {
  const failures: string[] = [];
  for (const { line, input, expected } of readGolden('standard-tokenizer.tsv')) {
    const ours = tokenize(input).join(' ');
    if (ours !== expected) failures.push(`line ${line}: ${JSON.stringify(input)}\n  ours:   ${ours}\n  lucene: ${expected}`);
  }
  assert.equal(failures.length, 0, failures.slice(0, 10).join('\n'));
});

test('ASCII word rules: mid letters, mid numbers, underscores', () => {
  assert.deepEqual(tokenize("U.S.A. don't a:b e.g. 3.14 1,000 1;2 1'2 a.1 1.a"), [
    'U.S.A',
    "don't",
    'a:b',
    'e.g',
    '3.14',
    '1,000',
    '1;2',
    "1'2",
    'a',
    '1',
    '1',
    'a',
  ]);
  assert.deepEqual(tokenize('foo_bar _x y_ ___ __init__ a__b'), ['foo_bar', '_x', 'y_', '__init__', 'a__b']);
  assert.deepEqual(tokenize('foo@bar.com http://x.org/a?b=c wow!!'), ['foo', 'bar.com', 'http', 'x.org', 'a', 'b', 'c', 'wow']);
  assert.deepEqual(tokenize("a..b a,b 1,,2 'quoted' dogs'"), ['a', 'b', 'a', 'b', '1', '2', 'quoted', 'dogs']);
});

test('cuts tokens longer than 255 UTF-16 units at the longest valid prefix', () => {
  assert.deepEqual(
    tokenize('a'.repeat(600)).map((t) => t.length),
    [255, 255, 90],
  );
  assert.deepEqual(tokenize(`${'a'.repeat(254)}.b${'c'.repeat(10)}`), ['a'.repeat(254), 'b' + 'c'.repeat(10)]);
  assert.deepEqual(tokenize(`${'a'.repeat(253)}.b${'c'.repeat(10)}`), [`${'a'.repeat(253)}.b`, 'c'.repeat(10)]);
  // a surrogate pair is never split: 127 pairs (254 units), then the rest
  assert.deepEqual(
    tokenize('\u{1D400}'.repeat(200)).map((t) => t.length),
    [254, 146],
  );
  assert.equal(MAX_TOKEN_LENGTH, 255);
});

test('Katakana runs, Hebrew quotes, marks and connector punctuation (char-loop path)', () => {
  assert.deepEqual(tokenize('カタカナabc カタ_abc abc_カタ'), ['カタカナ', 'abc', 'カタ_abc', 'abc_カタ']);
  assert.deepEqual(tokenize("צה\"ל ג'ירפה ש' a.ש'"), ['צה"ל', "ג'ירפה", "ש'", 'a.ש']);
  assert.deepEqual(tokenize('na\u0308ive a\u00adb x\u202fy a’s 3·5 a·b'), ['na\u0308ive', 'a\u00adb', 'x\u202fy', 'a’s', '3', '5', 'a·b']);
  assert.deepEqual(tokenize('Привет, мир! Ελληνικά नमस्ते'), ['Привет', 'мир', 'Ελληνικά', 'नमस्ते']);
});

test('non-ASCII: accents, ideographs, kana, Hangul, Thai, emoji', () => {
  assert.deepEqual(tokenize('café naïve e\u0301 Ωmega'), ['café', 'naïve', 'e\u0301', 'Ωmega']);
  assert.deepEqual(tokenize('日本語のテキスト'), ['日', '本', '語', 'の', 'テキスト']);
  assert.deepEqual(tokenize('a한b 한국어'), ['a한b', '한국어']);
  assert.deepEqual(tokenize('ไทยภาษาไทย abc'), ['ไทยภาษาไทย', 'abc']);
  assert.deepEqual(tokenize('© 2020 ★ 😀 👍🏽 🇺🇸 → ½'), ['©', '2020', '★', '😀', '👍🏽', '🇺🇸']);
  assert.deepEqual(tokenize('x ‿ ＿ __ y'), ['x', 'y']);
});
