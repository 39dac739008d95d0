import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isShortlistError } from '../core/errors.ts';
import { ANALYZER_ALIASES, ANALYZERS, analyzePlain, getAnalyzer, plainAnalyzer } from './index.ts';
import { lowerCase } from './lowercase.ts';
import { ENGLISH_STOP_WORDS } from './stopwords.ts';

test('registry is frozen and every analyzer id carries a version', () => {
  assert.ok(Object.isFrozen(ANALYZERS));
  for (const name of ['english', 'plain', 'russian', 'swedish']) assert.ok(Object.hasOwn(ANALYZERS, name), name);
  for (const analyzer of Object.values(ANALYZERS)) assert.ok(Object.isFrozen(analyzer), analyzer.id);
  for (const [name, analyzer] of Object.entries(ANALYZERS)) assert.match(analyzer.id, new RegExp(`^${name}@\\d+$`));
});

test('getAnalyzer finds names and versioned ids, and rejects others listing the valid names', () => {
  assert.equal(getAnalyzer('english'), ANALYZERS.english);
  assert.equal(getAnalyzer('english@1'), ANALYZERS.english);
  assert.equal(getAnalyzer('plain'), plainAnalyzer);
  assert.equal(getAnalyzer('ru'), ANALYZERS.russian);
  assert.equal(getAnalyzer('russian@1'), ANALYZERS.russian);
  assert.equal(getAnalyzer('en'), ANALYZERS.english);
  for (const [alias, name] of Object.entries(ANALYZER_ALIASES)) assert.equal(getAnalyzer(alias), ANALYZERS[name], alias);
  assert.throws(
    () => getAnalyzer('klingon'),
    (err) =>
      isShortlistError(err, 'INVALID_ARGUMENT') && /english, plain/.test((err as Error).message) && /\bru\b/.test((err as Error).message),
  );
  assert.throws(
    () => getAnalyzer('toString'),
    (err) => isShortlistError(err, 'INVALID_ARGUMENT'),
  );
});

test('plain lowercases words and keeps stop words and inflections', () => {
  assert.deepEqual(analyzePlain('The Running DOGS of São Paulo'), ['the', 'running', 'dogs', 'of', 'são', 'paulo']);
  assert.deepEqual(plainAnalyzer.analyze('日本語 ΣΑΣ'), ['日', '本', '語', 'σασ']);
});

test('Lucene English stop words: exactly 33', () => {
  assert.equal(ENGLISH_STOP_WORDS.size, 33);
  for (const w of ['a', 'the', 'will', 'with', 'such', 'their']) assert.ok(ENGLISH_STOP_WORDS.has(w), w);
  for (const w of ['i', 'me', 'we', 'you', 'he', 'she']) assert.ok(!ENGLISH_STOP_WORDS.has(w), w);
});

test('lowerCase follows Java: no final sigma, İ to i, ASCII untouched when already lower', () => {
  assert.equal(lowerCase('ΟΔΥΣΣΕΥΣ'), 'οδυσσευσ');
  assert.equal(lowerCase('İSTANBUL'), 'istanbul');
  assert.equal(lowerCase('ÀÉÎ'), 'àéî');
  const s = 'already lower';
  assert.equal(lowerCase(s), s);
});
