/**
 * Listwise acceptance on BEIR scifact (not a test: needs ../shared/datasets/scifact beside the repository, or a folder as the argument).
 *
 * 1. BM25 (english analyzer) top 100 for every judged test query.
 * 2. The listwise stage (RankGPT prompt, w=20, s=10) against a loopback "LLM" that reads the qrels
 *    and returns the ideal permutation of every window; then again with reversed answers.
 * 3. nDCG@10 before and after, and the ceiling: the ideal reordering of the BM25 top 100, i.e. the
 *    best nDCG@10 any reranker of these candidates can reach (limited by Recall@100).
 *
 * Run: node --import tsx scripts/listwise-scifact.ts [dataset-dir]
 */
import { fileURLToPath } from 'node:url';
import { openBeir, judgedQueries } from '../src/eval/beir.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import type { Run } from '../src/eval/types.ts';
import { Bm25Index } from '../src/retrieve/bm25/index.ts';
import { getAnalyzer } from '../src/text/index.ts';
import type { Candidate } from '../src/core/types.ts';
import { ListwiseReranker, type ListwiseStats } from '../src/rerank/llm-listwise/reranker.ts';
import { passageText } from '../src/rerank/llm-listwise/prompts.ts';
import { idealAnswer, readPrompt, reversedAnswer, startFakeChatServer } from '../test/rerank/fake-chat-server.ts';

const DIR = process.argv[2] ?? fileURLToPath(new URL('../../shared/datasets/scifact', import.meta.url));
const DEPTH = 100;
const METRICS = ['ndcg@10', 'recall@100'];

const dataset = await openBeir(DIR);
const qrels = await dataset.qrels();
const queries = judgedQueries(await dataset.queries(), qrels);
let t0 = performance.now();
const index = await Bm25Index.build(dataset.corpus(), { analyzer: getAnalyzer('english') });
console.log(`BM25 index: ${index.size} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${queries.length} test queries`);

const candidates = new Map<string, Candidate[]>();
for (const q of queries) {
  candidates.set(
    q.id,
    index.search(q.text, DEPTH).map(({ id, score }) => {
      const doc = index.document(id)!;
      return { id, text: doc.text, title: doc.title, score };
    }),
  );
}
const runOf = (lists: Map<string, readonly { id: string }[]>): Run =>
  new Map([...lists].map(([qid, list]) => [qid, list.map((c, i) => ({ docid: c.id, score: list.length - i }))]));

// The ideal reordering of each candidate list: relevant (by grade) first, then BM25 order.
const ceiling = new Map<string, Candidate[]>();
for (const [qid, list] of candidates) {
  const g = qrels.get(qid)!;
  ceiling.set(
    qid,
    [...list].sort((a, b) => (g.get(b.id) ?? 0) - (g.get(a.id) ?? 0)),
  );
}

// What the fake LLM needs to judge a passage: query text → qid, and per query passage → grade.
const qidByText = new Map(queries.map((q) => [q.text, q.id]));
const gradeByPassage = new Map<string, Map<string, number>>();
for (const [qid, list] of candidates) {
  const g = qrels.get(qid)!;
  const m = new Map<string, number>();
  for (const c of list) {
    const p = passageText(c, 300);
    m.set(p, Math.max(m.get(p) ?? 0, g.get(c.id) ?? 0));
  }
  gradeByPassage.set(qid, m);
}

async function listwise(mode: 'ideal' | 'reversed'): Promise<{ run: Run; stats: ListwiseStats; seconds: number }> {
  const server = await startFakeChatServer((req) => {
    const { query, passages } = readPrompt(req.messages);
    if (mode === 'reversed') return { content: reversedAnswer(passages.length) };
    const grades = gradeByPassage.get(qidByText.get(query)!)!;
    return { content: idealAnswer(passages, (p) => grades.get(p) ?? 0) };
  });
  try {
    const reranker = new ListwiseReranker({
      baseUrl: server.baseUrl,
      model: `loopback-${mode}`,
      concurrency: 8,
      pricing: { promptPerMillion: 0.15, completionPerMillion: 0.6 },
    });
    const lists = new Map<string, { id: string }[]>();
    const start = performance.now();
    await Promise.all(queries.map(async (q) => lists.set(q.id, await reranker.rerank(q.text, candidates.get(q.id)!, DEPTH))));
    return { run: runOf(lists), stats: reranker.totals, seconds: (performance.now() - start) / 1000 };
  } finally {
    await server.close();
  }
}

const fmt = (x: number) => x.toFixed(4);
const base = evaluate(runOf(candidates), qrels, METRICS).mean;
const ceil = evaluate(runOf(ceiling), qrels, METRICS).mean;
t0 = performance.now();
const ideal = await listwise('ideal');
const mIdeal = evaluate(ideal.run, qrels, METRICS).mean;
const reversed = await listwise('reversed');
const mRev = evaluate(reversed.run, qrels, METRICS).mean;

console.log(`BM25 top ${DEPTH}:                 nDCG@10 ${fmt(base['ndcg@10'])}  Recall@100 ${fmt(base['recall@100'])}`);
console.log(`ceiling (ideal top-${DEPTH} order):  nDCG@10 ${fmt(ceil['ndcg@10'])}`);
console.log(
  `listwise, ideal LLM (w=20 s=10): nDCG@10 ${fmt(mIdeal['ndcg@10'])}  Recall@100 ${fmt(mIdeal['recall@100'])}  (${ideal.seconds.toFixed(1)} s)`,
);
console.log(`listwise, reversed LLM:          nDCG@10 ${fmt(mRev['ndcg@10'])}  (${reversed.seconds.toFixed(1)} s)`);
const s = ideal.stats;
console.log(
  `ideal run stats: windows ${s.windows}, calls ${s.calls}, cache hits ${s.cacheHits}, retries ${s.retries}, repaired ${s.repairedWindows}, ` +
    `prompt tokens ${s.promptTokens} (fake: words), completion tokens ${s.completionTokens}, cost $${s.costUsd.toFixed(4)} at $0.15/$0.60 per 1M, request latency ${(s.latencyMs / 1000).toFixed(1)} s summed`,
);
