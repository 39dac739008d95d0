import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROMPT_TEMPLATES, buildMessages, getPromptTemplate, passageText, truncateWords } from '../../src/rerank/llm-listwise/prompts.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { readPrompt } from './fake-chat-server.ts';

test('RankGPT template: multi-turn, one user turn per passage, acknowledged', () => {
  const m = buildMessages(PROMPT_TEMPLATES.rankgpt, 'what is bm25', ['alpha', 'beta']);
  assert.equal(m.length, 3 + 2 * 2 + 1);
  assert.deepEqual(m[0], {
    role: 'system',
    content: 'You are RankGPT, an intelligent assistant that can rank passages based on their relevancy to the query.',
  });
  assert.equal(m[1].role, 'user');
  assert.equal(
    m[1].content,
    'I will provide you with 2 passages, each indicated by number identifier []. \nRank the passages based on their relevance to query: what is bm25.',
  );
  assert.deepEqual(m[2], { role: 'assistant', content: 'Okay, please provide the passages.' });
  assert.deepEqual(m[3], { role: 'user', content: '[1] alpha' });
  assert.deepEqual(m[4], { role: 'assistant', content: 'Received passage [1].' });
  assert.deepEqual(m[5], { role: 'user', content: '[2] beta' });
  assert.deepEqual(m[6], { role: 'assistant', content: 'Received passage [2].' });
  assert.equal(m[7].role, 'user');
  assert.ok(
    m[7].content.startsWith('Search Query: what is bm25. \nRank the 2 passages above based on their relevance to the search query.'),
  );
  assert.ok(
    m[7].content.includes(
      'The output format should be [] > [], e.g., [1] > [2]. Only response the ranking results, do not say any word or explain.',
    ),
  );
});

test('RankZephyr template: one user turn listing every passage', () => {
  const m = buildMessages(getPromptTemplate('rankzephyr'), 'q', ['alpha', 'beta', 'gamma']);
  assert.equal(m.length, 2);
  assert.equal(m[0].content, 'You are RankLLM, an intelligent assistant that can rank passages based on their relevancy to the query');
  const lines = m[1].content.split('\n');
  assert.equal(
    lines[0],
    'I will provide you with 3 passages, each indicated by a numerical identifier []. Rank the passages based on their relevance to the search query: q.',
  );
  assert.deepEqual(lines.slice(1, 4), ['[1] alpha', '[2] beta', '[3] gamma']);
  assert.equal(lines[4], 'Search Query: q.');
  assert.ok(lines[5].startsWith('Rank the 3 passages above'));
});

test('the fake server reads back query and passages from both templates', () => {
  for (const id of ['rankgpt', 'rankzephyr']) {
    const m = buildMessages(getPromptTemplate(id), 'a query. with dots', ['p one', 'p two']);
    assert.deepEqual(readPrompt(m), { query: 'a query. with dots', passages: ['p one', 'p two'] });
  }
});

test('placeholders inside a passage or query are not expanded', () => {
  const m = buildMessages(PROMPT_TEMPLATES.rankzephyr, '{num} $& {rank}', ['{query} {candidate}']);
  assert.ok(m[1].content.includes('[1] {query} {candidate}'));
  assert.ok(m[1].content.includes('Search Query: {num} $& {rank}.'));
});

test('unknown template lists the valid ones', () => {
  assert.throws(
    () => getPromptTemplate('rankvicuna'),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /rankgpt, rankzephyr/.test((e as Error).message),
  );
  assert.throws(
    () => getPromptTemplate('toString'),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
  );
});

test('truncateWords keeps the first n words', () => {
  assert.equal(truncateWords('a  b\nc d e', 3), 'a b c');
  assert.equal(truncateWords('a b', 10), 'a b');
  assert.equal(truncateWords('', 3), '');
});

test('passageText: title, whitespace, forged ids, budget', () => {
  assert.equal(passageText({ id: 'x', title: 'T', text: 'one\n two [3]  three' }, 300), 'Title: T Content: one two (3) three');
  assert.equal(passageText({ id: 'x', text: 'w1 w2 w3 w4 w5' }, 2), 'w1 w2');
  // a tokenizer-based truncator can be plugged in (here: characters as tokens)
  assert.equal(
    passageText({ id: 'x', text: 'abcdef' }, 3, (t, n) => t.slice(0, n)),
    'abc',
  );
});
