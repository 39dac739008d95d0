/** Hand-computed examples for the trec_eval metric definitions, and metric-name parsing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isShortlistError } from '../core/errors.ts';
import { checkQrels, evaluate, evaluateQuery } from './evaluate.ts';
import { compareBytes, computeMetric, judgeRanking, METRIC_FORMS, parseMetric, parseMetrics } from './metrics.ts';
import type { Qrels, Run, RunEntry } from './types.ts';

const close = (actual: number, expected: number, msg?: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${msg ?? ''} expected ${expected}, got ${actual}`);

const qrelsOf = (o: Record<string, Record<string, number>>): Qrels =>
  new Map(Object.entries(o).map(([q, d]) => [q, new Map(Object.entries(d))]));
const runOf = (o: Record<string, [string, number][]>): Run =>
  new Map(Object.entries(o).map(([q, es]) => [q, es.map(([docid, score]) => ({ docid, score }))]));
const specs = (...names: string[]) => parseMetrics(names);

test('ties are broken by docid in DESCENDING order; the rank column does not exist for us', () => {
  // All three tie; trec_eval ranks c, b, a. Only "a" is relevant: rank 3.
  const entries: RunEntry[] = [
    { docid: 'a', score: 1 },
    { docid: 'b', score: 1 },
    { docid: 'c', score: 1 },
  ];
  const v = evaluateQuery(entries, new Map([['a', 1]]), specs('mrr', 'p@1', 'p@3', 'map', 'ndcg@3'));
  close(v.mrr, 1 / 3);
  close(v['p@1'], 0);
  close(v['p@3'], 1 / 3);
  close(v.map, 1 / 3);
  close(v['ndcg@3'], 1 / Math.log2(4));
  // Descending *string* order: "9" ranks before "10" ("9" > "10" bytewise), and a higher score beats both.
  const r = judgeRanking(
    [
      { docid: '10', score: 2 },
      { docid: '9', score: 2 },
      { docid: '1', score: 2.5 },
    ],
    new Map([['10', 1]]),
  );
  assert.deepEqual([...r.grades], [0, 0, 1]);
});

test('scores compare as doubles: 0.1 + 0.2 is not a tie with 0.3', () => {
  const r = judgeRanking(
    [
      { docid: 'a', score: 0.3 },
      { docid: 'b', score: 0.1 + 0.2 },
    ],
    new Map([['a', 1]]),
  );
  // 0.1 + 0.2 = 0.30000000000000004 > 0.3, so b ranks first even though "a" < "b" would not matter.
  assert.deepEqual([...r.grades], [0, 1]);
});

test('unjudged documents count as non-relevant', () => {
  const v = evaluateQuery(
    [
      { docid: 'u1', score: 3 },
      { docid: 'r1', score: 2 },
      { docid: 'u2', score: 1 },
    ],
    new Map([
      ['r1', 1],
      ['r2', 1],
    ]),
    specs('mrr', 'map', 'recall@3', 'p@3', 'r-prec', 'ndcg@3'),
  );
  close(v.mrr, 0.5);
  close(v.map, 0.5 / 2); // precision 1/2 at the only relevant hit, over 2 relevant
  close(v['recall@3'], 0.5);
  close(v['p@3'], 1 / 3);
  close(v['r-prec'], 0.5); // top R = 2: one relevant
  close(v['ndcg@3'], 1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
});

test('graded qrels: linear gain (grade 3 counts 3), ideal from ALL judged docs, relevance = grade >= 1', () => {
  const judgments = new Map([
    ['d1', 3],
    ['d2', 1],
    ['d3', 0],
    ['d4', 2], // judged relevant but never retrieved: still in the ideal ranking
  ]);
  const entries: RunEntry[] = [
    { docid: 'd2', score: 0.9 },
    { docid: 'd1', score: 0.8 },
    { docid: 'd3', score: 0.7 },
  ];
  const v = evaluateQuery(entries, judgments, specs('ndcg@10', 'ndcg@1', 'map', 'p@2', 'recall@2', 'mrr'));
  const dcg = 1 / Math.log2(2) + 3 / Math.log2(3);
  const idcg = 3 / Math.log2(2) + 2 / Math.log2(3) + 1 / Math.log2(4);
  close(v['ndcg@10'], dcg / idcg);
  assert.ok(Math.abs(v['ndcg@10'] - 0.6075) < 1e-4); // by hand: (1 + 1.8928) / (3 + 1.2619 + 0.5)
  close(v['ndcg@1'], 1 / 3); // gain 1 at rank 1, ideal gain 3
  close(v.map, (1 / 1 + 2 / 2) / 3); // both retrieved relevant at ranks 1 and 2, three relevant in all
  close(v['p@2'], 1);
  close(v['recall@2'], 2 / 3);
  close(v.mrr, 1);
});

test('cutoff metrics: P@k divides by k even with fewer results; map@k and mrr@k stop at k', () => {
  const judgments = new Map([
    ['a', 1],
    ['b', 1],
  ]);
  const entries: RunEntry[] = [
    { docid: 'x', score: 5 },
    { docid: 'y', score: 4 },
    { docid: 'a', score: 3 },
    { docid: 'b', score: 2 },
  ];
  const v = evaluateQuery(entries, judgments, specs('p@10', 'map@2', 'map@3', 'map', 'mrr@2', 'mrr@3', 'recall@2'));
  close(v['p@10'], 2 / 10);
  close(v['map@2'], 0);
  close(v['map@3'], 1 / 3 / 2);
  close(v.map, (1 / 3 + 2 / 4) / 2);
  close(v['mrr@2'], 0);
  close(v['mrr@3'], 1 / 3);
  close(v['recall@2'], 0);
});

test('evaluate: -c averaging, a query with no results, a qrels query missing from the run, diagnostics', () => {
  const qrels = qrelsOf({
    q1: { a: 1, b: 0 },
    q2: { c: 2 },
    q3: { d: 1 }, // missing from the run: counts as 0
    q4: { e: 0 }, // no relevant document: excluded by default
  });
  const run = runOf({
    q1: [
      ['a', 2],
      ['b', 1],
    ],
    q2: [], // present, but no results
    q4: [['e', 1]],
    q9: [['z', 1]], // not in the qrels
  });
  const r = evaluate(run, qrels, ['MRR', 'nDCG@10', 'P@1']);
  assert.deepEqual(r.metrics, ['mrr', 'ndcg@10', 'p@1']);
  assert.deepEqual([...r.perQuery.keys()], ['q1', 'q2', 'q3']);
  assert.deepEqual(r.perQuery.get('q2'), { mrr: 0, 'ndcg@10': 0, 'p@1': 0 });
  assert.deepEqual(r.perQuery.get('q3'), { mrr: 0, 'ndcg@10': 0, 'p@1': 0 });
  close(r.mean.mrr, 1 / 3);
  close(r.mean['ndcg@10'], 1 / 3);
  close(r.mean['p@1'], 1 / 3);
  assert.deepEqual(r.diagnostics, {
    evaluatedQueries: 3,
    runQueriesNotInQrels: { count: 1, examples: ['q9'] },
    qrelsQueriesWithoutRelevant: { count: 1, examples: ['q4'] },
    qrelsQueriesMissingFromRun: { count: 1, examples: ['q3'] },
  });
  // trec_eval -c itself averages over every qrels query, q4 included as 0: available as an option.
  const z = evaluate(run, qrels, ['mrr'], { noRelevant: 'zero' });
  close(z.mean.mrr, 1 / 4);
  assert.equal(z.perQuery.get('q4')?.mrr, 0);
});

test('evaluate refuses qrels without any relevant judgment, duplicate docids and NaN scores', () => {
  assert.throws(
    () => evaluate(runOf({ q: [['a', 1]] }), qrelsOf({ q: { a: 0 } }), ['map']),
    (err: unknown) => isShortlistError(err, 'EMPTY_INPUT'),
  );
  assert.throws(
    () =>
      evaluate(
        runOf({
          q: [
            ['a', 1],
            ['a', 2],
          ],
        }),
        qrelsOf({ q: { a: 1 } }),
        ['map'],
      ),
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT') && /listed twice/.test(err.message),
  );
  assert.throws(
    () => evaluate(runOf({ q: [['a', Number.NaN]] }), qrelsOf({ q: { a: 1 } }), ['map']),
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT') && /NaN/.test(err.message),
  );
});

test('metric names: case-insensitive, trec_eval aliases, canonical names', () => {
  const cases: [string, string][] = [
    ['nDCG@10', 'ndcg@10'],
    ['ndcg_cut_100', 'ndcg@100'],
    ['ndcg_cut.5', 'ndcg@5'],
    ['MAP', 'map'],
    ['map@100', 'map@100'],
    ['map_cut_100', 'map@100'],
    ['Recall@1000', 'recall@1000'],
    ['recall_10', 'recall@10'],
    ['P@10', 'p@10'],
    ['P_10', 'p@10'],
    ['precision@5', 'p@5'],
    ['MRR', 'mrr'],
    ['recip_rank', 'mrr'],
    ['mrr@10', 'mrr@10'],
    ['R-Prec', 'r-prec'],
    ['Rprec', 'r-prec'],
  ];
  for (const [input, name] of cases) assert.equal(parseMetric(input).name, name, input);
  assert.deepEqual(parseMetric('ndcg@10'), { name: 'ndcg@10', kind: 'ndcg', k: 10 });
  assert.deepEqual(
    parseMetrics(['map', 'MAP', 'ndcg@10']).map((s) => s.name),
    ['map', 'ndcg@10'],
  );
});

test('an unknown or malformed metric throws INVALID_ARGUMENT listing the valid forms', () => {
  for (const bad of ['bleu', 'success', 'judged', 'bpref@5', 'recall', 'p', 'ndcg@0', 'ndcg@x', 'r-prec@5', 'map@-1', '']) {
    assert.throws(
      () => parseMetric(bad),
      (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT') && err.message.includes(METRIC_FORMS.join(', ')),
      bad,
    );
  }
  assert.throws(
    () => parseMetrics([]),
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT'),
  );
  assert.throws(
    () => evaluate(new Map(), qrelsOf({ q: { a: 1 } }), ['ndcg@10', 'hits@10']),
    (err: unknown) => isShortlistError(err, 'INVALID_ARGUMENT') && err.message.includes('hits@10'),
  );
});

test('compareBytes orders like strcmp on UTF-8 bytes, unlike UTF-16 comparison', () => {
  const pairs: [string, string][] = [
    ['a', 'b'],
    ['10', '9'],
    ['abc', 'ab'],
    ['\uffff', '\u{10000}'], // JS '<' says the surrogate pair is smaller; bytes say it is larger
    ['\u{1F600}', '\ue000'],
    ['é', 'z'],
  ];
  for (const [a, b] of pairs) {
    const expected = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.equal(Math.sign(compareBytes(a, b)), expected, `${a} vs ${b}`);
    assert.equal(Math.sign(compareBytes(b, a)), -expected);
  }
  assert.ok('\uffff' > '\u{10000}', 'the case JS gets "wrong" for strcmp');
});

test('checkQrels counts judgments naming unknown queries or documents, with examples', () => {
  const qrels = qrelsOf({ q1: { a: 1, zz: 1 }, q2: { a: 1 }, qX: { a: 1, b: 0 } });
  const r = checkQrels(qrels, new Set(['q1', 'q2']), new Set(['a', 'b']));
  assert.deepEqual(r, {
    entries: 5,
    unknownQueries: { count: 2, examples: ['qX'] },
    unknownDocuments: { count: 1, examples: ['q1/zz'] },
  });
});

test('ndcg without a cutoff, success@k, bpref and judged@k on a hand-worked ranking (trec_eval definitions)', () => {
  // ranked by score: d1 (rel 2), u1 (unjudged), n1 (judged 0), d2 (rel 1), n2 (judged 0), x (-1: unjudged)
  const entries = [
    { docid: 'd1', score: 6 },
    { docid: 'u1', score: 5 },
    { docid: 'n1', score: 4 },
    { docid: 'd2', score: 3 },
    { docid: 'n2', score: 2 },
    { docid: 'x', score: 1 },
  ];
  const judgments = new Map([
    ['d1', 2],
    ['d2', 1],
    ['d3', 1],
    ['n1', 0],
    ['n2', 0],
    ['x', -1],
  ]);
  const v = evaluateQuery(entries, judgments, specs('ndcg', 'success@1', 'success@3', 'bpref', 'judged@2', 'judged@10'));
  const dcg = 2 / Math.log2(2) + 1 / Math.log2(5);
  const idcg = 2 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4);
  close(v.ndcg, dcg / idcg);
  assert.equal(v['success@1'], 1);
  assert.equal(v['success@3'], 1);
  // R = 3, N = 2, min(R, N) = 2: d1 has no judged non-relevant above (1), d2 has one (1 - 1/2); / R
  close(v.bpref, (1 + 0.5) / 3);
  close(v['judged@2'], 1 - 1 / 2); // u1 unjudged
  close(v['judged@10'], 1 - 2 / 10); // u1 and x (grade -1) unjudged; the 4 empty positions count as judged, like trec_eval's unj
  const l2 = judgeRanking(entries, judgments, 'q', 2);
  assert.equal(l2.numRel, 1);
  assert.equal(l2.numNonrel, 4); // at -l2 the grade-1 documents d2, d3 count as judged non-relevant, with n1, n2
  close(computeMetric(parseMetric('bpref'), l2), 1); // R = 1 (d1, ranked first with nothing judged above)
  close(computeMetric(parseMetric('p@5'), l2), 1 / 5);
});
