/**
 * Acceptance on generated data: a loopback "LLM" that knows the qrels and returns the ideal
 * permutation of every window lifts nDCG@10 to the ceiling the candidate list allows (one pass of
 * w=20/s=10 carries up to 10 relevant documents from anywhere in the top 100 to the top); the same
 * stage with a reversed answer lowers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListwiseReranker } from '../../src/rerank/llm-listwise/reranker.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import type { Qrels, Run } from '../../src/eval/types.ts';
import type { Candidate } from '../../src/core/types.ts';
import { idealAnswer, readPrompt, reversedAnswer, startFakeChatServer } from './fake-chat-server.ts';

/** Deterministic generator (LCG). */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}

interface Generated {
  queries: { id: string; text: string }[];
  candidates: Map<string, Candidate[]>;
  qrels: Qrels;
}

/** 30 queries × 100 candidates; 1–8 relevant (grade 1 or 2) anywhere in the list, some unretrieved. */
function generate(): Generated {
  const rand = rng(42);
  const queries: Generated['queries'] = [];
  const candidates = new Map<string, Candidate[]>();
  const qrels: Qrels = new Map();
  for (let q = 0; q < 30; q++) {
    const qid = `q${q}`;
    queries.push({ id: qid, text: `query number ${q}` });
    const list = Array.from({ length: 100 }, (_, j) => ({ id: `${qid}-d${j}`, text: `doc ${qid}-d${j} words about topic ${j % 7}` }));
    candidates.set(qid, list);
    const judged = new Map<string, number>();
    const nRel = 1 + Math.floor(rand() * 8);
    // query 0: its only relevant document is the last candidate
    const positions = q === 0 ? [99] : Array.from({ length: nRel }, () => Math.floor(rand() ** 2 * 100)); // skewed to the top, like a first stage
    for (const p of positions) judged.set(list[p].id, 1 + Math.floor(rand() * 2));
    if (q % 3 === 1) judged.set(`${qid}-unretrieved`, 2); // caps the ceiling below 1
    judged.set(list[0].id, judged.get(list[0].id) ?? 0); // a judged non-relevant
    qrels.set(qid, judged);
  }
  return { queries, candidates, qrels };
}

/** Run over positions of a list: score = n - position. */
function runOf(lists: Map<string, readonly { id: string }[]>): Run {
  const run: Run = new Map();
  for (const [qid, list] of lists)
    run.set(
      qid,
      list.map((c, i) => ({ docid: c.id, score: list.length - i })),
    );
  return run;
}

async function rerankAll(data: Generated, mode: 'ideal' | 'reversed'): Promise<{ run: Run; top: Map<string, string[]> }> {
  const byQuery = new Map(data.queries.map((q) => [q.text, q.id]));
  const server = await startFakeChatServer((req) => {
    const { query, passages } = readPrompt(req.messages);
    if (mode === 'reversed') return { content: reversedAnswer(passages.length) };
    const judged = data.qrels.get(byQuery.get(query)!)!;
    return { content: idealAnswer(passages, (p) => judged.get(/^doc (\S+)/.exec(p)![1]) ?? 0) };
  });
  try {
    const reranker = new ListwiseReranker({ baseUrl: server.baseUrl, model: 'ideal', concurrency: 4 });
    const lists = new Map<string, { id: string }[]>();
    await Promise.all(data.queries.map(async (q) => lists.set(q.id, await reranker.rerank(q.text, data.candidates.get(q.id)!, 100))));
    assert.equal(server.requests.length, 30 * 9, 'nine windows per query');
    return { run: runOf(lists), top: new Map([...lists].map(([k, v]) => [k, v.map((h) => h.id)])) };
  } finally {
    await server.close();
  }
}

test('ideal permutations lift nDCG@10 to the ceiling; reversed answers lower it', async (t) => {
  const data = generate();
  const base = runOf(data.candidates);
  const ceilingLists = new Map<string, Candidate[]>();
  for (const [qid, list] of data.candidates) {
    const g = data.qrels.get(qid)!;
    ceilingLists.set(
      qid,
      [...list].sort((a, b) => (g.get(b.id) ?? 0) - (g.get(a.id) ?? 0)),
    );
  }
  const ceiling = runOf(ceilingLists);
  const metrics = ['ndcg@10', 'recall@100'];
  const mBase = evaluate(base, data.qrels, metrics);
  const mCeil = evaluate(ceiling, data.qrels, metrics);

  const ideal = await rerankAll(data, 'ideal');
  const mIdeal = evaluate(ideal.run, data.qrels, metrics);
  // the relevant document at rank 100 reached rank 1 in one pass
  assert.equal(ideal.top.get('q0')![0], 'q0-d99');
  // every query reaches its own ceiling, so the mean does too
  for (const [qid, v] of mCeil.perQuery) assert.ok(Math.abs(mIdeal.perQuery.get(qid)!['ndcg@10'] - v['ndcg@10']) < 1e-12, qid);
  assert.ok(Math.abs(mIdeal.mean['ndcg@10'] - mCeil.mean['ndcg@10']) < 1e-12);
  assert.ok(mCeil.mean['ndcg@10'] < 1, 'unretrieved relevant documents cap the ceiling');
  assert.ok(mIdeal.mean['ndcg@10'] > mBase.mean['ndcg@10'] + 0.1, `${mBase.mean['ndcg@10']} → ${mIdeal.mean['ndcg@10']}`);
  // reranking never changes which documents are in the list
  assert.equal(mIdeal.mean['recall@100'], mBase.mean['recall@100']);

  const reversed = await rerankAll(data, 'reversed');
  const mRev = evaluate(reversed.run, data.qrels, metrics);
  t.diagnostic(
    `nDCG@10 base ${mBase.mean['ndcg@10'].toFixed(4)}, ideal ${mIdeal.mean['ndcg@10'].toFixed(4)}, ceiling ${mCeil.mean['ndcg@10'].toFixed(4)}, reversed ${mRev.mean['ndcg@10'].toFixed(4)}`,
  );
  assert.ok(mRev.mean['ndcg@10'] < mBase.mean['ndcg@10'] - 0.1, `${mBase.mean['ndcg@10']} → reversed ${mRev.mean['ndcg@10']}`);
  // reversed windows of 100: the exact order is fixed by the window arithmetic
  assert.deepEqual(
    reversed.top
      .get('q5')!
      .slice(0, 12)
      .map((id) => Number(id.split('-d')[1])),
    REVERSED_TOP12,
  );
});

/**
 * Top 12 after one reversed pass over 0..99 with w=20, s=10. Window [80,100) puts 99..80 at
 * 80..99; each next window holds 10 fresh items over the carried block of ten (90..99) and
 * reverses both, so the carried block flips direction every window and the fresh ten go below it
 * reversed. After the 9th window ([0,20), an odd number of flips) positions 0..9 hold 99..90 and
 * 10..19 hold 9..0: the ten worst-ranked candidates now lead.
 */
const REVERSED_TOP12 = [99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 9, 8];
