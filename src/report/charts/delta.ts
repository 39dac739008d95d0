/**
 * Per-query delta: for each evaluated query, nDCG@10 of the final (reranked) list minus nDCG@10 of
 * the first stage's list, sorted from the largest gain to the largest loss. A reranker that helps
 * on average can still hurt many queries; this chart shows how many and by how much.
 */
import { BAD, baseOption, GOOD, NEUTRAL, type ChartSpec } from '../chart.ts';
import type { EvalInput } from '../inputs.ts';

/** Per-query deltas of `metric` (final stage − first stage), largest first. */
export interface QueryDelta {
  query: string;
  delta: number;
}

/** The first-stage list's name and the final list's name of an evaluation (undefined when nothing reranks). */
export function deltaStages(x: EvalInput): { first: EvalInput['stages'][number]; final: EvalInput['stages'][number] } | undefined {
  const reranks = x.pipeline.rerank.length;
  if (reranks === 0 || x.stages.length < reranks + 1) return undefined;
  return { first: x.stages[x.stages.length - reranks - 1], final: x.stages[x.stages.length - 1] };
}

/** Sorted per-query deltas of `metric` between the final and the first stage (empty when nothing reranks). */
export function queryDeltas(x: EvalInput, metric = 'ndcg@10'): QueryDelta[] {
  const s = deltaStages(x);
  if (!s) return [];
  return Object.entries(s.final.perQuery)
    .map(([query, m]) => ({ query, delta: (m[metric] ?? 0) - (s.first.perQuery[query]?.[metric] ?? 0) }))
    .sort((a, b) => b.delta - a.delta || (a.query < b.query ? -1 : 1));
}

/** One bar per evaluated query: final minus first-stage `metric`; undefined when the pipeline has no rerank stage. */
export function deltaChart(x: EvalInput, metric = 'ndcg@10'): ChartSpec | undefined {
  const s = deltaStages(x);
  if (!s) return undefined;
  const deltas = queryDeltas(x, metric);
  const tol = 1e-9;
  const better = deltas.filter((d) => d.delta > tol).length;
  const worse = deltas.filter((d) => d.delta < -tol).length;
  return {
    title: `Per-query ${metric}: ${s.final.stage} − ${s.first.stage}`,
    note: `${deltas.length} queries: ${better} better, ${deltas.length - better - worse} unchanged, ${worse} worse after reranking.`,
    option: {
      ...baseOption(),
      legend: { show: false },
      xAxis: {
        type: 'category',
        name: 'queries (sorted by delta)',
        nameLocation: 'middle',
        nameGap: 28,
        data: deltas.map((d) => d.query),
        axisLabel: { show: deltas.length <= 30, rotate: 45 },
        axisTick: { show: false },
      },
      yAxis: { type: 'value', name: `Δ ${metric}` },
      series: [
        {
          name: `Δ ${metric}`,
          type: 'bar',
          barCategoryGap: '10%',
          data: deltas.map((d) => ({ value: d.delta, itemStyle: { color: d.delta > tol ? GOOD : d.delta < -tol ? BAD : NEUTRAL } })),
        },
      ],
    },
  };
}
