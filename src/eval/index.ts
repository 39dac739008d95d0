/** Evaluation: BEIR datasets, TREC run/qrels files, trec_eval-exact metrics. */
export * from './types.ts';
export * from './beir.ts';
export * from './trec.ts';
export * from './metrics.ts';
export * from './evaluate.ts';
export * from './trec-eval-output.ts';
export * from './trec-eval.ts';
export * from './significance.ts';
export * from './compare.ts';
