/**
 * Our metrics against NIST trec_eval 10.0 output on real runs (test/fixtures/golden/trec_eval):
 * every per-query value and every `all` mean must agree to trec_eval's 4 printed decimals.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluate } from './evaluate.ts';
import { averagePrecision } from './metrics.ts';
import { formatFixed, formatTrecEvalOutput } from './trec-eval-output.ts';
import { readTrecQrels, readTrecRun } from './trec.ts';

const DIR = fileURLToPath(new URL('../../test/fixtures/golden/trec_eval/', import.meta.url));

/** trec_eval measure name → ours. */
const MEASURES: Record<string, string> = {
  ndcg_cut_10: 'ndcg@10',
  ndcg_cut_100: 'ndcg@100',
  map: 'map',
  map_cut_100: 'map@100',
  recall_10: 'recall@10',
  recall_100: 'recall@100',
  recall_1000: 'recall@1000',
  P_10: 'p@10',
  recip_rank: 'mrr',
};

// trec_eval prints %.4f: a value agrees when it is within half a unit of the 4th decimal.
const TOLERANCE = 0.5e-4 + 1e-9;

const cache = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as Promise<T>;
}
const loadRun = (name: string) => once(`run:${name}`, () => readTrecRun(join(DIR, `${name}.run.gz`)));
const loadQrels = (name: string) => once(`qrels:${name}`, () => readTrecQrels(join(DIR, `${name}.qrels`)));

async function parseTrecEvalOutput(file: string): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const [measure, qid, value] = line.trim().split(/\s+/);
    let row = out.get(qid);
    if (!row) out.set(qid, (row = new Map()));
    row.set(measure, Number(value));
  }
  return out;
}

for (const [runName, qrelsName] of [
  ['scifact.lucene', 'scifact'],
  ['cranfield.lucene', 'cranfield'],
  ['cranfield.ties', 'cranfield'],
] as const) {
  test(`${runName}: every per-query value and mean equals trec_eval -c`, async () => {
    const [run, qrels, golden] = await Promise.all([
      loadRun(runName),
      loadQrels(qrelsName),
      parseTrecEvalOutput(join(DIR, `${runName}.trec_eval.txt`)),
    ]);
    const result = evaluate(run, qrels, Object.values(MEASURES));
    let checked = 0;
    const wrong: string[] = [];
    for (const [qid, row] of golden) {
      const ours = qid === 'all' ? result.mean : result.perQuery.get(qid);
      assert.ok(ours, `query ${qid} missing from our result`);
      for (const [measure, expected] of row) {
        const name = MEASURES[measure];
        assert.ok(name, `unexpected measure ${measure}`);
        const got = ours[name];
        if (!(Math.abs(got - expected) <= TOLERANCE)) wrong.push(`${qid} ${measure}: trec_eval ${expected}, ours ${got}`);
        checked++;
      }
    }
    assert.deepEqual(wrong.slice(0, 20), []);
    assert.equal(result.perQuery.size, golden.size - 1, 'same number of queries as trec_eval');
    assert.equal(checked, golden.size * Object.keys(MEASURES).length);
  });
}

test('cranfield.ties: the opposite tie-break (docid ascending) would disagree with trec_eval', async () => {
  const [run, qrels, golden] = await Promise.all([
    loadRun('cranfield.ties'),
    loadQrels('cranfield'),
    parseTrecEvalOutput(join(DIR, 'cranfield.ties.trec_eval.txt')),
  ]);
  // Proves the golden check above is sensitive to the tie-break: with ties broken the other way,
  // AP differs from trec_eval on many queries.
  let disagree = 0;
  for (const [qid, entries] of run) {
    const judgments = qrels.get(qid);
    const expected = golden.get(qid)?.get('map');
    if (!judgments || expected === undefined) continue;
    const asc = entries.slice().sort((a, b) => (a.score !== b.score ? b.score - a.score : a.docid < b.docid ? -1 : 1));
    const grades = Int32Array.from(asc, (e) => judgments.get(e.docid) ?? 0);
    const numRel = [...judgments.values()].filter((g) => g >= 1).length;
    if (Math.abs(averagePrecision(grades, numRel) - expected) > TOLERANCE) disagree++;
  }
  assert.ok(disagree >= 20, `only ${disagree} queries depend on the tie-break`);
});

test('formatTrecEvalOutput reproduces the trec_eval files line for line (up to line order)', async () => {
  for (const [runName, qrelsName] of [
    ['scifact.lucene', 'scifact'],
    ['cranfield.ties', 'cranfield'],
  ] as const) {
    const [run, qrels, text] = await Promise.all([
      loadRun(runName),
      loadQrels(qrelsName),
      readFile(join(DIR, `${runName}.trec_eval.txt`), 'utf8'),
    ]);
    const ours = [...formatTrecEvalOutput(evaluate(run, qrels, Object.values(MEASURES)))].sort();
    const theirs = text
      .split('\n')
      .filter((l) => l.length > 0)
      .sort();
    assert.deepEqual(ours, theirs, runName);
  }
});

test('formatFixed rounds exact ties to even like printf, everything else to nearest', () => {
  assert.equal(formatFixed(0.03125), '0.0312'); // exact binary tie: printf gives 0.0312, toFixed 0.0313
  assert.equal(formatFixed(0.40625), '0.4062');
  assert.equal(formatFixed(0.09375), '0.0938'); // tie, 7 is odd: round up
  assert.equal(formatFixed(1 / 3), '0.3333');
  assert.equal(formatFixed(2 / 3), '0.6667');
  assert.equal(formatFixed(0.99996), '1.0000');
  assert.equal(formatFixed(0), '0.0000');
  assert.equal(formatFixed(12.5, 0), '12');
  assert.equal(formatFixed(0.1 + 0.2, 2), '0.30');
});
