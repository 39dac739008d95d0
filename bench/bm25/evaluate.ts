/** Scores a TREC run file with shortlist's trec_eval-exact evaluation (src/eval). */
import { evaluate } from '../../src/eval/evaluate.ts';
import { readTrecRun } from '../../src/eval/trec.ts';
import type { Qrels } from '../../src/eval/types.ts';

/** The two measures the bench reports. */
export interface Measures {
  'ndcg@10': number;
  'recall@100': number;
}

/** nDCG@10 and Recall@100 of the run at `runPath` (mean over judged queries, trec_eval `-c`). */
export async function evaluateRun(runPath: string, qrels: Qrels): Promise<Measures> {
  const { mean } = evaluate(await readTrecRun(runPath), qrels, ['ndcg@10', 'recall@100']);
  return { 'ndcg@10': mean['ndcg@10'], 'recall@100': mean['recall@100'] };
}
