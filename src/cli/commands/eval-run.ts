/**
 * `shortlist eval --run <file> --qrels <file>`: score an existing TREC run like `trec_eval -q`
 * (no dataset, no index): `--per-query` is `-q`, `--complete` is `-c`, `--relevance-level N` is `-l N`.
 */
import { ShortlistError } from '../../core/errors.ts';
import { readQrels } from '../../eval/compare.ts';
import { readTrecRun } from '../../eval/trec.ts';
import { formatTrecEval, trecEval, TREC_EVAL_DEFAULT_MEASURES } from '../../eval/trec-eval.ts';
import { printJson } from '../output.ts';

/** The flags of the run mode. */
export interface EvalRunFlags {
  run: string;
  qrels: string;
  /** Measures; undefined → {@link TREC_EVAL_DEFAULT_MEASURES}. */
  metrics?: string[];
  perQuery?: boolean;
  complete?: boolean;
  relevanceLevel?: number;
  onDuplicate: 'error' | 'last';
  json?: boolean;
}

/** Reads both files, scores, prints trec_eval's lines (or one JSON object). */
export async function evalRun(opts: EvalRunFlags): Promise<void> {
  const [run, { qrels }] = await Promise.all([readTrecRun(opts.run), readQrels(opts.qrels, { onDuplicate: opts.onDuplicate })]);
  const result = trecEval(run, qrels, {
    measures: opts.metrics ?? TREC_EVAL_DEFAULT_MEASURES,
    complete: opts.complete,
    relevanceLevel: opts.relevanceLevel,
  });
  if (opts.json) {
    return printJson({
      numQ: result.numQ,
      measures: result.measures,
      all: Object.fromEntries(result.all),
      perQuery: opts.perQuery ? Object.fromEntries([...result.perQuery].map(([q, v]) => [q, Object.fromEntries(v)])) : undefined,
    });
  }
  process.stdout.write([...formatTrecEval(result, { perQuery: opts.perQuery })].join('\n') + '\n');
}

/** Parses `--relevance-level`: a whole number (grades at or above it are relevant). */
export function parseRelevanceLevel(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n))
    throw new ShortlistError('INVALID_ARGUMENT', `--relevance-level must be a whole number (a grade), got "${value}"`);
  return n;
}
