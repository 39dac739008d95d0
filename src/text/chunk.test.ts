import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkText, resolveChunkOptions } from './chunk.ts';
import { isShortlistError } from '../core/errors.ts';

const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${i + from}`).join(' ');

test('blank text has no chunks; short text is one chunk covering it', () => {
  assert.deepEqual(chunkText(''), []);
  assert.deepEqual(chunkText('  \n\t '), []);
  const [c, ...rest] = chunkText('  hello  world ');
  assert.equal(rest.length, 0);
  assert.deepEqual(c, { index: 0, start: 2, end: 14, text: 'hello  world', tokens: 2 });
});

test('windows of size tokens overlapping by overlap tokens, offsets map back to the text', () => {
  const text = words(25);
  const chunks = chunkText(text, { size: 10, overlap: 3, lookback: 0 });
  assert.deepEqual(
    chunks.map((c) => c.text.split(' ')[0]),
    ['w0', 'w7', 'w14', 'w21'],
  );
  for (const c of chunks) {
    assert.equal(text.slice(c.start, c.end), c.text);
    assert.ok(c.tokens <= 10);
  }
  assert.equal(chunks.at(-1)!.text, 'w21 w22 w23 w24');
  assert.deepEqual(
    chunks.map((c) => c.index),
    [0, 1, 2, 3],
  );
});

test('the token counter decides the window, not the word count', () => {
  const text = 'aaaa bb aaaa bb aaaa bb';
  const chunks = chunkText(text, { size: 6, overlap: 0, lookback: 0 }, (w) => w.length);
  assert.deepEqual(
    chunks.map((c) => c.text),
    ['aaaa bb', 'aaaa bb', 'aaaa bb'],
  );
  assert.deepEqual(
    chunks.map((c) => c.tokens),
    [6, 6, 6],
  );
});

test('a word longer than the window still gets its own chunk and chunking moves on', () => {
  const chunks = chunkText('tiny enormous tiny', { size: 3, overlap: 1, lookback: 0 }, (w) => w.length);
  assert.deepEqual(
    chunks.map((c) => c.text),
    ['tiny', 'enormous', 'tiny'],
  );
});

test('prefers ending at a paragraph break, then a sentence end, within the lookback', () => {
  const para = `${words(6)}\n\n${words(6, 6)}`;
  const [p] = chunkText(para, { size: 8, overlap: 0, lookback: 0.5 });
  assert.equal(p.text, words(6));
  const sent = `${words(5)}. ${words(6, 5)}`;
  const [s] = chunkText(sent, { size: 8, overlap: 0, lookback: 0.5 });
  assert.equal(s.text, `${words(5)}.`);
  const md = `# Title\n${words(6)}\n## Next\n${words(4, 6)}`;
  const [m] = chunkText(md, { size: 10, overlap: 0, lookback: 0.5 });
  assert.equal(m.text, `# Title\n${words(6)}`);
  // beyond the lookback the break is ignored
  const [far] = chunkText(`w0.\n\n${words(9, 1)}`, { size: 8, overlap: 0, lookback: 0.25 });
  assert.equal(far.tokens, 8);
});

test('covers every word of a long text, in order', () => {
  const text = Array.from({ length: 40 }, (_, i) => `Sentence ${i} has ${i % 7} words here.${i % 5 === 4 ? '\n\n' : ' '}`).join('');
  const chunks = chunkText(text, { size: 20, overlap: 5 });
  let coveredTo = 0;
  for (const c of chunks) {
    assert.ok(c.start <= coveredTo || text.slice(coveredTo, c.start).trim() === '', 'no gap between chunks');
    assert.ok(c.end > coveredTo, 'each chunk moves forward');
    coveredTo = c.end;
  }
  assert.equal(coveredTo, text.trimEnd().length);
});

test('bad options are INVALID_ARGUMENT errors naming the option', () => {
  assert.throws(
    () => resolveChunkOptions({ size: 0 }),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /size/.test(e.message),
  );
  assert.throws(
    () => resolveChunkOptions({ size: 4, overlap: 4 }),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /overlap/.test(e.message),
  );
  assert.throws(
    () => resolveChunkOptions({ lookback: 1 }),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /lookback/.test(e.message),
  );
  assert.ok(Object.isFrozen(resolveChunkOptions({})));
});
