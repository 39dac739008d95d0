/**
 * Hard-negative mining on a generated BM25 collection with planted hard negatives (share the query's
 * rare term once, not relevant) and planted unlabelled positives (share it twice plus a topic word,
 * relevant but not in the qrels), filtered by a constructed cross-encoder whose scores come from the
 * planted truth plus seeded noise.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mulberry32 } from '../../src/core/random.ts';
import { compareHits, type Candidate, type Document, type Hit, type Reranker } from '../../src/core/types.ts';
import { Collection } from '../../src/engine/collection.ts';
import {
  itemsFromQrels,
  mineHardNegatives,
  passageText,
  passesRelativeMargin,
  withMiningSource,
  type MineItem,
  type MineRetrieve,
} from '../../src/lab/mine/index.ts';
import { nTupleSchema, ROW_SCHEMAS, toJsonl, validateRow } from '../../src/lab/export/index.ts';
import type { Qrels } from '../../src/eval/types.ts';

const FILLER = 'river stone cloud paper window garden mirror candle bridge forest lantern harbor meadow valley'.split(' ');
const N_QUERIES = 30;
let dir: string;
let collection: Collection;
const truth = new Map<string, 'positive' | 'unlabelled' | 'hard' | 'other'>();
let items: MineItem[];

function filler(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => FILLER[Math.floor(rand() * FILLER.length)]).join(' ');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shortlist-mine-'));
  const rand = mulberry32(11);
  const docs: Document[] = [];
  const qrels: Qrels = new Map();
  const queries = [];
  for (let q = 0; q < N_QUERIES; q++) {
    const m = `zq${q}term`;
    const add = (id: string, text: string, kind: 'positive' | 'unlabelled' | 'hard') => {
      docs.push({ id, text });
      truth.set(id, kind);
    };
    add(`p${q}`, `${m} ${m} topic${q} ${filler(rand, 8)}`, 'positive');
    for (let k = 0; k < 2; k++) add(`u${q}_${k}`, `${m} ${m} topic${q} ${filler(rand, 8 + k)}`, 'unlabelled');
    for (let k = 0; k < 3; k++) add(`h${q}_${k}`, `${m} ${filler(rand, 9 + k)}`, 'hard');
    qrels.set(`q${q}`, new Map([[`p${q}`, 1]]));
    queries.push({ id: `q${q}`, text: `${m} topic${q}` });
  }
  for (let i = 0; i < 150; i++) {
    docs.push({ id: `bg${i}`, text: filler(rand, 10) });
    truth.set(`bg${i}`, 'other');
  }
  collection = await Collection.create(join(dir, 'c'), { retrievers: [{ type: 'bm25' }] });
  await collection.add(docs);
  items = itemsFromQrels(queries, qrels, (id) => collection.document(id));
});

after(async () => {
  await collection?.close();
  rmSync(dir, { recursive: true, force: true });
});

const retrieve: MineRetrieve = async (query, k) => (await collection.search(query, { k })).hits;

/** A cross-encoder stand-in: relevant (labelled or not) ≈ `rel`, hard negatives ≈ `hard`, the rest ≈ `other`, plus seeded noise. */
function plantedScorer(levels: { rel: number; hard: number; other: number }, noise: number, seed: number): Reranker {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const byText = new Map<string, string>();
  return {
    name: 'planted-cross-encoder',
    async rerank(_query: string, candidates: Candidate[], k: number): Promise<Hit[]> {
      if (byText.size === 0) for (const [id] of truth) byText.set(passageText(collection.document(id)!), id);
      const hits = candidates.map((c) => {
        const kind = truth.get(byText.get(c.text) ?? '') ?? 'other';
        const base = kind === 'positive' || kind === 'unlabelled' ? levels.rel : kind === 'hard' ? levels.hard : levels.other;
        return { id: c.id, score: base + noise * gauss() };
      });
      return hits.sort(compareHits).slice(0, k);
    },
  };
}

/** Precision and recall of the margin filter at catching the planted unlabelled positives. */
function filterQuality(mined: Awaited<ReturnType<typeof mineHardNegatives>>['queries']) {
  let caught = 0;
  let removedByMargin = 0;
  let inWindow = 0;
  for (const m of mined) {
    for (const d of m.dropped) {
      if (d.reason === 'absoluteMargin' || d.reason === 'relativeMargin') {
        removedByMargin++;
        if (truth.get(d.id) === 'unlabelled') caught++;
      }
      if (truth.get(d.id) === 'unlabelled' && d.reason !== 'range') inWindow++;
    }
    for (const n of m.negatives) if (truth.get(n.id!) === 'unlabelled') inWindow++;
  }
  return { precision: removedByMargin ? caught / removedByMargin : 1, recall: inWindow ? caught / inWindow : 1 };
}

test('without a filter the first stage mines the unlabelled positives too (the poison the filter exists for)', async () => {
  const { queries } = await mineHardNegatives(items, retrieve, { rangeMax: 10, numNegatives: 5 });
  const kinds = queries.flatMap((m) => m.negatives.map((n) => truth.get(n.id!)));
  assert.equal(kinds.filter((k) => k === 'unlabelled').length, 2 * N_QUERIES, 'BM25 ranks the planted unlabelled positives first');
  assert.equal(kinds.filter((k) => k === 'hard').length, 3 * N_QUERIES);
  assert.ok(
    queries.every((m) => m.dropped.some((d) => d.reason === 'positive')),
    'the labelled positive is never a negative',
  );
});

test('the cross-encoder filter (absolute margin) removes the planted positives and mining returns the planted hard negatives', async () => {
  const scorer = plantedScorer({ rel: 8, hard: 2, other: -3 }, 1.2, 5);
  const { queries, summary } = await mineHardNegatives(items, retrieve, { rangeMax: 10, numNegatives: 3, absoluteMargin: 3, scorer });
  const q = filterQuality(queries);
  const mined = queries.flatMap((m) => m.negatives.map((n) => truth.get(n.id!)));
  const hardShare = mined.filter((k) => k === 'hard').length / (3 * N_QUERIES);
  console.log(
    `absolute margin 3 (scores ≈ 8 relevant / 2 hard, σ 1.2): filter precision ${q.precision.toFixed(3)} recall ${q.recall.toFixed(3)}; planted hard negatives mined ${hardShare.toFixed(3)}; removed ${JSON.stringify(summary.removed)}`,
  );
  assert.ok(q.recall >= 0.9 && q.precision >= 0.9, JSON.stringify(q));
  assert.ok(hardShare >= 0.9);
  assert.equal(summary.scorer, 'planted-cross-encoder');
  assert.equal(
    summary.candidates,
    queries.reduce((s, m) => s + m.dropped.length + m.negatives.length, 0),
  );
});

test('relative margin is sane for negative (logit) scores: the bar stays below the positive', async () => {
  // relevant ≈ −2, hard ≈ −8: pos·(1 − m) would be −0.4 (above the positive) and keep the unlabelled positives
  assert.equal(passesRelativeMargin(-2.2, -2, 0.5), false);
  assert.equal(passesRelativeMargin(-8, -2, 0.5), true);
  assert.equal(passesRelativeMargin(7, 10, 0.2), true); // 7 <= 10·0.8
  assert.equal(passesRelativeMargin(8.5, 10, 0.2), false);
  const scorer = plantedScorer({ rel: -2, hard: -8, other: -12 }, 0.5, 6);
  const { queries } = await mineHardNegatives(items, retrieve, { rangeMax: 10, numNegatives: 3, relativeMargin: 0.8, scorer });
  const q = filterQuality(queries);
  console.log(
    `relative margin 0.8 on logits (≈ −2 relevant / −8 hard, σ 0.5): filter precision ${q.precision.toFixed(3)} recall ${q.recall.toFixed(3)}`,
  );
  assert.ok(q.recall >= 0.9 && q.precision >= 0.9, JSON.stringify(q));
});

test('rank window, maxScore and the summary: every candidate is counted under exactly one step', async () => {
  const { queries, summary } = await mineHardNegatives(items, retrieve, { rangeMin: 2, rangeMax: 6, numNegatives: 2, maxScore: 100 });
  for (const m of queries) for (const n of m.negatives) assert.ok(n.rank! > 2 && n.rank! <= 6);
  const counted = Object.values(summary.removed).reduce((a, b) => a + b, 0) + summary.negatives;
  assert.equal(counted, summary.candidates);
  assert.ok(summary.removed.range > 0);
});

test('mine is deterministic under a seed (random sampling) and the seed matters', async () => {
  const run = async (seed: number) =>
    JSON.stringify(
      (await mineHardNegatives(items, retrieve, { rangeMax: 20, numNegatives: 3, samplingStrategy: 'random', seed })).queries.map((m) =>
        m.negatives.map((n) => n.id),
      ),
    );
  const a = await run(7);
  assert.equal(a, await run(7));
  assert.notEqual(a, await run(8));
});

test('withMiningSource reads a collection directory with only its bm25 retriever', async () => {
  const n = await withMiningSource(
    join(dir, 'c'),
    { retriever: 'bm25', depth: 5 },
    async ({ retrieve: r }) => (await r(items[0].query, 5)).length,
  );
  assert.equal(n, 5);
  await assert.rejects(
    withMiningSource(join(dir, 'c'), { retriever: 'dense', depth: 5 }, async () => 0),
    /retriever dense/,
  );
});

test('exported files fit the documented layouts (schemas), margin-mse scores are teacher(pos) − teacher(neg)', async () => {
  const scorer = plantedScorer({ rel: 8, hard: 2, other: -3 }, 1, 5);
  const { queries, options } = await mineHardNegatives(items, retrieve, { rangeMax: 10, numNegatives: 3, absoluteMargin: 3, scorer });
  const n = options.numNegatives;
  const full = queries.filter((m) => m.negatives.length === n).length;
  for (const format of ['triplet', 'n-tuple', 'flag', 'margin-mse'] as const) {
    const { text, rows } = toJsonl(format, queries, n);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, rows);
    for (const row of lines) validateRow(format, row, n);
    if (format === 'triplet')
      assert.equal(
        rows,
        queries.reduce((s, m) => s + m.positives.length * m.negatives.length, 0),
      );
    if (format === 'n-tuple') {
      assert.equal(rows, full);
      assert.deepEqual(Object.keys(lines[0]), ['anchor', 'positive', 'negative_1', 'negative_2', 'negative_3']);
    }
    if (format === 'flag')
      assert.ok(lines.every((r) => r.pos.length === 1 && r.pos_scores.length === 1 && r.neg.length === r.neg_scores.length));
    if (format === 'margin-mse') {
      const m = queries[0];
      assert.ok(Math.abs(lines[0].score - (m.positives[0].score! - m.negatives[0].score!)) < 1e-12);
    }
  }
  assert.equal(ROW_SCHEMAS.triplet.safeParse({ anchor: 'a', positive: 'b' }).success, false);
  assert.equal(
    nTupleSchema(2).safeParse({ anchor: 'a', positive: 'b', negative_2: 'd', negative_1: 'c' }).success,
    false,
    'column order is part of the layout',
  );
  assert.throws(
    () =>
      toJsonl(
        'margin-mse',
        queries.map((m) => ({ ...m, positives: m.positives.map((p) => ({ text: p.text })) })),
        n,
      ),
    /teacher/,
  );
});

test('pairs without ids: a positive given as the bare text (no title) is still recognised and never mined', async () => {
  const docs = [
    { id: 'a', title: 'Alpha', text: 'zqpairs shared words one' },
    { id: 'b', title: 'Beta', text: 'zqpairs shared words two' },
    { id: 'c', text: 'zqpairs other' },
  ];
  const hits = docs.map((d, i) => ({ id: d.id, score: 3 - i, document: d }));
  const { queries, summary } = await mineHardNegatives(
    [{ query: 'zqpairs', positives: [{ text: 'zqpairs shared words one' }] }],
    async () => hits,
    { numNegatives: 5, absoluteMargin: 1.5 },
  );
  assert.deepEqual(
    queries[0].negatives.map((n) => n.id),
    ['c'],
    'a is the positive; b (2 > 3 − 1.5) is within the margin',
  );
  assert.equal(summary.removed.absoluteMargin, 1);
  assert.equal(summary.removed.positive, 1);
  assert.equal(queries[0].positives[0].score, 3, 'the positive takes the first-stage score it was retrieved with');
});
