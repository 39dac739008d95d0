/**
 * Reliability diagram (DeGroot & Fienberg 1983; Niculescu-Mizil & Caruana, ICML 2005): per
 * equal-width probability bin, the mean predicted P(relevant) against the fraction actually
 * relevant, before and after calibration, on the held-out queries. The diagonal is perfect
 * calibration; empty bins are left out.
 */
import { baseOption, fmt, type ChartSpec } from '../chart.ts';
import type { CalibrationInput } from '../inputs.ts';

type Bin = CalibrationInput['heldOut']['before']['reliability'][number];

/** The [mean predicted, fraction relevant] points of the non-empty bins. */
export function reliabilityPoints(bins: readonly Bin[]): [number, number][] {
  return bins
    .filter((b) => b.count > 0 && b.meanPredicted !== null && b.fractionPositive !== null)
    .map((b) => [b.meanPredicted!, b.fractionPositive!]);
}

/** Before and after lines (one point per non-empty bin) over the diagonal. */
export function reliabilityChart(x: CalibrationInput): ChartSpec {
  const h = x.heldOut;
  const before = x.uncalibrated === 'sigmoid' ? 'raw (sigmoid of score)' : 'raw score';
  return {
    title: `Reliability — ${x.stage} (${x.fit.method})`,
    note: `${h.n.toLocaleString('en-US')} held-out pairs (${h.positives} relevant), ${h.bins} bins. Brier ${fmt(h.before.brier)} → ${fmt(h.after.brier)}, ECE ${fmt(h.before.ece)} → ${fmt(h.after.ece)}.`,
    width: 440,
    height: 400,
    option: {
      ...baseOption(),
      grid: { left: 56, right: 24, top: 48, bottom: 48 },
      xAxis: { type: 'value', name: 'predicted P(relevant)', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
      yAxis: { type: 'value', name: 'fraction relevant', min: 0, max: 1 },
      series: [
        {
          name: 'perfect',
          type: 'line',
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#888' },
          itemStyle: { color: '#888' },
          data: [
            [0, 0],
            [1, 1],
          ],
        },
        { name: before, type: 'line', symbolSize: 7, data: reliabilityPoints(h.before.reliability) },
        { name: `${x.fit.method} calibrated`, type: 'line', symbolSize: 7, data: reliabilityPoints(h.after.reliability) },
      ],
    },
  };
}
