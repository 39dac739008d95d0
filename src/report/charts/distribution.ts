/**
 * Score distributions: for one stage, the share of relevant and of non-relevant candidates in each
 * score bin (each class sums to 1, so a handful of relevant documents is as visible as thousands of
 * others). Well-separated humps mean the stage's scores tell relevant from non-relevant.
 */
import { baseOption, fmt, type ChartSpec } from '../chart.ts';
import type { EvalInput } from '../inputs.ts';

type Stage = EvalInput['stages'][number];

/** Two bar series (relevant, non-relevant), one bar per score bin each. */
export function distributionChart(stage: Stage): ChartSpec {
  const { min, max, relevant, nonRelevant } = stage.scores;
  const bins = relevant.length;
  const width = max > min ? (max - min) / bins : 1;
  const centres = Array.from({ length: bins }, (_, i) => min + (i + 0.5) * width);
  const share = (counts: number[]) => {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (total > 0 ? c / total : 0));
  };
  const nRel = relevant.reduce((a, b) => a + b, 0);
  const nNon = nonRelevant.reduce((a, b) => a + b, 0);
  const digits = Math.max(0, Math.min(4, 2 - Math.floor(Math.log10(Math.max(Math.abs(width), 1e-12)))));
  return {
    title: `Score distribution — ${stage.stage}`,
    note: `${nRel.toLocaleString('en-US')} relevant and ${nNon.toLocaleString('en-US')} non-relevant (or unjudged) candidates; scores ${fmt(min)} … ${fmt(max)}.`,
    width: 360,
    height: 260,
    option: {
      ...baseOption(),
      grid: { left: 48, right: 12, top: 40, bottom: 44 },
      xAxis: {
        type: 'category',
        name: 'score',
        nameLocation: 'middle',
        nameGap: 26,
        data: centres.map((c) => c.toFixed(digits)),
        axisLabel: { interval: Math.max(0, Math.ceil(bins / 5) - 1) },
      },
      yAxis: { type: 'value', name: 'share', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      series: [
        {
          name: 'relevant',
          type: 'bar',
          barGap: '-100%',
          barCategoryGap: '5%',
          itemStyle: { color: '#009E73', opacity: 0.75 },
          data: share(relevant),
        },
        { name: 'non-relevant', type: 'bar', barGap: '-100%', itemStyle: { color: '#999999', opacity: 0.55 }, data: share(nonRelevant) },
      ],
    },
  };
}
