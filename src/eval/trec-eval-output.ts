/**
 * Printing results the way `trec_eval -q` does, so our output can be diffed against it line by
 * line: `%-22s\t%s\t%.4f` with trec_eval's measure names and C's round-half-even on exact ties.
 */
import type { EvalResult } from './evaluate.ts';
import { parseMetric, type MetricSpec } from './metrics.ts';

/**
 * trec_eval's name for a metric (`ndcg@10` → `ndcg_cut_10`, `p@10` → `P_10`, `mrr` →
 * `recip_rank`, `r-prec` → `Rprec`); our own name for `mrr@k`, which trec_eval lacks.
 */
export function trecEvalName(metric: string | MetricSpec): string {
  const spec = typeof metric === 'string' ? parseMetric(metric) : metric;
  switch (spec.kind) {
    case 'ndcg':
      return spec.k === undefined ? 'ndcg' : `ndcg_cut_${spec.k}`;
    case 'map':
      return spec.k === undefined ? 'map' : `map_cut_${spec.k}`;
    case 'recall':
      return `recall_${spec.k}`;
    case 'p':
      return `P_${spec.k}`;
    case 'mrr':
      return spec.k === undefined ? 'recip_rank' : spec.name;
    case 'r-prec':
      return 'Rprec';
    case 'success':
      return `success_${spec.k}`;
    case 'bpref':
      return 'bpref';
    case 'judged':
      return `judged_${spec.k}`;
  }
}

/**
 * Formats like C's `printf("%.*f")`: rounds the exact binary value, and an exact tie goes to the
 * even digit (0.03125 → `0.0312`), where `Number#toFixed` would round up.
 */
export function formatFixed(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const exact = Math.abs(x).toFixed(100); // exact for any double that could tie at `digits`
  const dot = exact.indexOf('.');
  const kept = exact.slice(0, dot) + exact.slice(dot + 1, dot + 1 + digits);
  const rest = exact.slice(dot + 1 + digits);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const lastDigit = kept.charCodeAt(kept.length - 1) - 48;
  const up = first > 5 || (first === 5 && (tail || lastDigit % 2 === 1));
  const n = BigInt(kept) + (up ? 1n : 0n);
  const neg = x < 0 || Object.is(x, -0);
  const s = n.toString().padStart(digits + 1, '0');
  const out = digits > 0 ? `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}` : s;
  return neg ? `-${out}` : out;
}

/**
 * The lines `trec_eval -q -c` prints for `result`: per query (in the result's order), then `all`.
 * trec_eval orders measures by its internal table; ours follow `result.metrics`.
 */
export function* formatTrecEvalOutput(result: EvalResult, options: { perQuery?: boolean } = {}): Generator<string> {
  const names = result.metrics.map((m) => [m, trecEvalName(m)] as const);
  const line = (name: string, qid: string, v: number): string => `${name.padEnd(22)}\t${qid}\t${formatFixed(v, 4)}`;
  if (options.perQuery ?? true) {
    for (const [qid, values] of result.perQuery) for (const [m, name] of names) yield line(name, qid, values[m]);
  }
  for (const [m, name] of names) yield line(name, 'all', result.mean[m]);
}
