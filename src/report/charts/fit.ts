/**
 * A stored calibration fit (`calibrate --out`) as the curve it applies: raw score → P(relevant).
 * Platt: the logistic curve over the scores where it rises from 1% to 99%; isotonic: its steps.
 */
import { baseOption, type ChartSpec } from '../chart.ts';
import type { FitInput } from '../inputs.ts';

/** Points of the score → probability curve: 101 for Platt, one per step for isotonic. */
export function fitCurve(fit: FitInput): [number, number][] {
  if ('thresholds' in fit.params) {
    const { thresholds, values } = fit.params;
    return thresholds.map((t, i) => [t, values[i]]);
  }
  const { a, b } = fit.params;
  const logit = (p: number) => Math.log(p / (1 - p));
  const [lo, hi] = a === 0 ? [-1, 1] : [(logit(0.01) - b) / a, (logit(0.99) - b) / a].sort((u, v) => u - v);
  return Array.from({ length: 101 }, (_, i) => {
    const s = lo + ((hi - lo) * i) / 100;
    return [s, 1 / (1 + Math.exp(-(a * s + b)))];
  });
}

/** The fitted mapping as one line (a step line for isotonic). */
export function fitChart(fit: FitInput, name = 'fit'): ChartSpec {
  const platt = !('thresholds' in fit.params);
  const params = 'a' in fit.params ? `a=${fit.params.a.toFixed(4)}, b=${fit.params.b.toFixed(4)}` : `${fit.params.thresholds.length} steps`;
  return {
    title: `Calibration fit — ${fit.fingerprint ?? name}`,
    note: `${fit.method} (${params}), fitted on ${fit.trainedOn.n.toLocaleString('en-US')} pairs (${fit.trainedOn.positives} relevant).`,
    width: 440,
    height: 320,
    option: {
      ...baseOption(),
      legend: { show: false },
      xAxis: { type: 'value', name: 'raw score', nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: 'P(relevant)', min: 0, max: 1, axisLine: { onZero: false } },
      series: [{ name: fit.method, type: 'line', showSymbol: !platt, symbolSize: 5, step: platt ? false : 'end', data: fitCurve(fit) }],
    },
  };
}
