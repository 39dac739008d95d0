/** The passage kernels: term-density scores, passage choice, analyzer-aware highlighting, snippets, context assembly, chunk ids. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../src/core/random.ts';
import type { Hit } from '../../src/core/types.ts';
import {
  assembleContext,
  chunkId,
  countWordsIn,
  documentList,
  markSpans,
  matchSpans,
  parseChunkId,
  snippet,
  termDensityScores,
  topPassages,
} from '../../src/pipeline/passages/index.ts';
import { chunkText } from '../../src/text/chunk.ts';
import { englishAnalyzer, getAnalyzer } from '../../src/text/index.ts';

test("termDensityScores: BM25 over the document's own chunks; a rarer term and a denser chunk win", () => {
  const chunks = [
    ['cell', 'grow', 'medium'],
    ['cell', 'pressur', 'blood', 'pressur'],
    ['cell', 'other', 'word', 'more', 'word', 'here', 'pressur'],
  ];
  const s = termDensityScores(chunks, ['cell', 'pressur']);
  assert.ok(s[1] > s[2] && s[2] > s[0], JSON.stringify(s));
  // "cell" is in every chunk: its idf over three chunks is ln(1 + 0.5/3.5)
  const idfCell = Math.log(1 + 0.5 / 3.5);
  const avg = (3 + 4 + 7) / 3;
  assert.ok(Math.abs(s[0] - (idfCell * 1.9) / (1 + 0.9 * (0.6 + (0.4 * 3) / avg))) < 1e-12);
  assert.deepEqual(termDensityScores([['a'], ['b']], []), [0, 0]);
});

test('topPassages: best n by score (chunk order on ties), only chunks that match; the first chunk when none does', () => {
  const chunks = chunkText('one two three. four five six. seven eight nine.', { size: 3, overlap: 0, lookback: 0 });
  assert.equal(chunks.length, 3);
  const p = topPassages(chunks, [0.5, 2, 0.5], 3);
  assert.deepEqual(
    p.map((x) => x.chunk),
    [1, 0, 2],
  );
  assert.deepEqual(
    topPassages(chunks, [0, 0, 1], 3).map((x) => x.chunk),
    [2],
  );
  assert.deepEqual(
    topPassages(chunks, [0, 0, 0], 3).map((x) => [x.chunk, x.score]),
    [[0, 0]],
  );
  assert.deepEqual(topPassages(chunks, [1, 1, 1], 0), []);
  for (const x of p) assert.equal(x.text, chunks[x.chunk].text);
});

test('matchSpans is analyzer-aware: "cells" in the text matches a query saying "cell", stop words never match', () => {
  const text = 'Cells were grown; the cell-line of a CELL grew. Cellular is not.';
  const terms = new Set(englishAnalyzer.analyze('the cell'));
  const spans = matchSpans(text, terms, englishAnalyzer);
  assert.deepEqual(
    spans.map((s) => text.slice(s.start, s.end)),
    ['Cells', 'cell', 'CELL'],
  );
  assert.equal(markSpans(text, spans, '<', '>'), '<Cells> were grown; the <cell>-line of a <CELL> grew. Cellular is not.');
  // another analyzer, another notion of a match: the plain one does not stem
  const plain = getAnalyzer('plain');
  assert.deepEqual(
    matchSpans(text, new Set(plain.analyze('cell')), plain).map((s) => text.slice(s.start, s.end)),
    ['cell', 'CELL'],
  );
});

test('snippet: a window where the matches are densest, whole words, spans shifted with it', () => {
  const text =
    Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ') + ' target ' + Array.from({ length: 60 }, (_, i) => `x${i}`).join(' ');
  const spans = matchSpans(text, new Set(['target']), englishAnalyzer);
  const s = snippet(text, spans, 80);
  assert.ok(s.text.length <= 82 && s.text.startsWith('…') && s.text.endsWith('…'));
  assert.equal(s.spans.length, 1);
  assert.equal(s.text.slice(s.spans[0].start, s.spans[0].end), 'target');
  assert.deepEqual(snippet('short text', [], 80), { text: 'short text', spans: [] });
});

const LONG = Array.from({ length: 400 }, (_, i) => `word${i}${i % 17 === 0 ? '.' : ''}`).join(' ');
const CHUNKS = chunkText(LONG, { size: 50, overlap: 10 });

function hit(id: string, chunks: number[], text = LONG): Hit {
  return {
    id,
    score: 1,
    document: { id, title: `Title ${id}`, text },
    passages: chunks.map((c, i) => ({ ...CHUNKS[c], chunk: c, score: 10 - i })),
  };
}

test('assembleContext merges adjacent and overlapping chunks of a document into one range, best range first', () => {
  const ctx = assembleContext([hit('a', [3, 4]), hit('b', [1])], 10_000);
  assert.deepEqual(
    ctx.passages.map((p) => [p.id, p.chunks]),
    [
      ['a', [3, 4]],
      ['b', [1]],
    ],
  );
  assert.equal(ctx.passages[0].start, CHUNKS[3].start);
  assert.equal(ctx.passages[0].end, CHUNKS[4].end);
  assert.equal(ctx.passages[0].text, LONG.slice(CHUNKS[3].start, CHUNKS[4].end));
  // the overlap of chunks 3 and 4 is not repeated
  assert.equal(countWordsIn(ctx.passages[0].text), countWordsIn(LONG.slice(CHUNKS[3].start, CHUNKS[4].end)));
  assert.ok(countWordsIn(ctx.passages[0].text) < CHUNKS[3].tokens + CHUNKS[4].tokens);
  // non-adjacent chunks stay apart
  const apart = assembleContext([hit('a', [1, 5])], 10_000);
  assert.deepEqual(
    apart.passages.map((p) => p.chunks),
    [[1], [5]],
  );
  assert.ok(ctx.text.startsWith('[a · Title a · '));
  assert.equal(ctx.used, countWordsIn(ctx.text));
});

test('assembleContext never exceeds the budget (random hits, budgets and counters) and cuts a passage to fit around the matches', () => {
  const rand = mulberry32(11);
  const counters = [countWordsIn, (t: string) => t.length, (t: string) => Math.ceil(countWordsIn(t) * 1.3)];
  for (let trial = 0; trial < 200; trial++) {
    const hits = Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, i) =>
      hit(
        `d${Math.floor(rand() * 4)}-${i}`,
        Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * CHUNKS.length)),
      ),
    );
    const budget = 1 + Math.floor(rand() * 400);
    const count = counters[trial % counters.length];
    const ctx = assembleContext(hits, budget, { count, minWords: 1 });
    assert.ok(count(ctx.text) <= budget, `trial ${trial}: ${count(ctx.text)} > ${budget}`);
    for (const p of ctx.passages) assert.equal(LONG.slice(p.start, p.end), p.text);
  }
  const focus = (t: string) => [...t.matchAll(/word200\b/g)].map((m) => ({ start: m.index, end: m.index + 7 }));
  const c200 = CHUNKS.findIndex((c) => c.text.includes('word200 '));
  const cut = assembleContext([hit('a', [c200])], 20, { focus });
  assert.equal(cut.passages.length, 1);
  assert.ok(cut.passages[0].text.includes('word200'), cut.passages[0].text);
  assert.ok(cut.used <= 20);
  assert.equal(assembleContext([hit('a', [c200])], 20, { focus, minWords: 30 }).passages.length, 0, 'shorter than minWords: left out');
});

test('chunk ids: `<docId>#<chunk>`, a document id may hold #; documentList keeps each document at its best passage', () => {
  assert.equal(chunkId('a#b', 3), 'a#b#3');
  assert.deepEqual(parseChunkId('a#b#3'), { docId: 'a#b', chunk: 3 });
  assert.equal(parseChunkId('plain'), undefined);
  assert.equal(parseChunkId('x#y'), undefined);
  assert.deepEqual(
    documentList([
      { id: 'a#2', score: 3 },
      { id: 'b#0', score: 2 },
      { id: 'a#0', score: 1 },
    ]),
    [
      { id: 'a', score: 3 },
      { id: 'b', score: 2 },
    ],
  );
});
