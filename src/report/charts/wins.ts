/**
 * Compare: per metric, the queries where B beats A, ties and loses, as stacked horizontal bars.
 */
import { BAD, baseOption, GOOD, NEUTRAL, type ChartSpec } from '../chart.ts';
import type { CompareInput } from '../inputs.ts';

/** Three stacked series (win, tie, loss) with one bar per compared metric. */
export function winTieLossChart(x: CompareInput): ChartSpec {
  const metrics = x.comparisons.map((c) => c.metric);
  const bar = (name: string, color: string, key: 'wins' | 'ties' | 'losses') => ({
    name,
    type: 'bar' as const,
    stack: 'queries',
    itemStyle: { color },
    label: { show: true, formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : '') },
    data: x.comparisons.map((c) => c[key]),
  });
  return {
    title: 'Win / tie / loss of B against A, per query',
    note: `${x.queries} queries.`,
    height: Math.max(160, 70 + 44 * metrics.length),
    option: {
      ...baseOption(),
      grid: { left: 96, right: 24, top: 36, bottom: 36 },
      xAxis: { type: 'value', name: 'queries', max: x.queries },
      yAxis: { type: 'category', data: metrics, inverse: true },
      series: [bar('B wins', GOOD, 'wins'), bar('tie', NEUTRAL, 'ties'), bar('B loses', BAD, 'losses')],
    },
  };
}
