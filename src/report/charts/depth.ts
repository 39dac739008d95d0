/**
 * Sweep charts: quality vs first-stage depth (Recall@K, the ceiling, and nDCG@10 / MRR@10 after
 * reranking, with the recommended K marked) and latency vs depth (mean ms per stage, and the total
 * p95), one point per swept depth.
 */
import { basename } from 'node:path';
import type { EChartsOption } from 'echarts';
import { baseOption, fmt, type ChartSpec } from '../chart.ts';
import type { SweepInput } from '../inputs.ts';

/** Recall@K, nDCG@10 and MRR@10 per swept depth; one point per depth and series. */
export function qualityDepthChart(x: SweepInput): ChartSpec {
  const rec = x.recommendation.depth;
  const series = [
    { name: 'Recall@K (first stage)', key: 'recall' as const },
    { name: 'nDCG@10 (final)', key: 'ndcg10' as const },
    { name: 'MRR@10 (final)', key: 'mrr10' as const },
  ].map((s, i) => ({
    name: s.name,
    type: 'line' as const,
    symbolSize: 7,
    data: x.rows.map((r) => r[s.key]),
    ...(i === 1 && rec !== undefined
      ? {
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed' as const, color: '#555' },
            label: { position: 'end' as const, align: 'left' as const, formatter: `recommended K=${rec}` },
            data: [{ xAxis: String(rec) }],
          },
        }
      : {}),
  }));
  const option: EChartsOption = {
    ...baseOption(),
    grid: { left: 48, right: 24, top: 64, bottom: 48 },
    xAxis: depthAxis(x),
    yAxis: { type: 'value', min: 0, max: 1 },
    series,
  };
  return {
    title: `Quality vs depth — ${basename(x.dataset)}`,
    note: `Recall@K is the ceiling no reranker can pass; nDCG@10 and MRR@10 are after ${x.rerankStages.join(' → ') || x.firstStage}. ${x.recommendation.depth === undefined ? 'No recommendation' : `Recommended K=${x.recommendation.depth}`}: ${x.recommendation.reason}.`,
    width: 520,
    option,
  };
}

/** Mean latency per stage (ms, series named by the stage) per swept depth, and the total p95; one point per depth and series. */
export function latencyDepthChart(x: SweepInput): ChartSpec {
  const stages = x.rows[0].latency.map((l) => l.stage);
  const at = (r: SweepInput['rows'][number], stage: string) => r.latency.find((l) => l.stage === stage);
  const series = [
    ...stages.map((stage) => ({ name: stage, type: 'line' as const, symbolSize: 6, data: x.rows.map((r) => at(r, stage)?.mean ?? 0) })),
    ...(stages.includes('total')
      ? [
          {
            name: 'total p95',
            type: 'line' as const,
            symbolSize: 6,
            lineStyle: { type: 'dashed' as const },
            data: x.rows.map((r) => at(r, 'total')?.p95 ?? 0),
          },
        ]
      : []),
  ];
  return {
    title: `Latency vs depth — ${basename(x.dataset)}`,
    width: 520,
    note: 'Mean per query in ms, and the total p95. The first stage is measured at the largest K; hydrate and rerank are estimated from their per-document time.',
    option: {
      ...baseOption(),
      xAxis: depthAxis(x),
      yAxis: { type: 'value', name: 'ms', axisLabel: { formatter: (v: number) => fmt(v, 1) } },
      series,
    },
  };
}

/** One category per swept depth (sweeps go 10, 20, 50, … 500: equal steps read better than a linear axis). */
function depthAxis(x: SweepInput): EChartsOption['xAxis'] {
  return {
    type: 'category',
    boundaryGap: false,
    name: 'first-stage depth K',
    nameLocation: 'middle',
    nameGap: 28,
    data: x.rows.map((r) => String(r.depth)),
  };
}
