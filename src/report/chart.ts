/**
 * One chart of the report: an ECharts option rendered to an SVG string at build time with
 * ECharts' server-side renderer (`init(null, null, { renderer: 'svg', ssr: true })` +
 * `renderToSVGString()`), so the page needs no script and no network to show it.
 */
import type * as Echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { requireOptional } from '../core/optional.ts';

/** A chart to render: what it shows (an ECharts option) and its size in CSS pixels. */
export interface ChartSpec {
  /** Caption shown above the chart. */
  title: string;
  /** A sentence under the caption saying how to read the chart. */
  note?: string;
  option: EChartsOption;
  /** @default 720 ({@link DEFAULT_WIDTH}) */
  width?: number;
  /** @default 320 ({@link DEFAULT_HEIGHT}) */
  height?: number;
}

/** Chart width in CSS pixels when a spec gives none. */
export const DEFAULT_WIDTH = 720;
/** Chart height in CSS pixels when a spec gives none. */
export const DEFAULT_HEIGHT = 320;

/** Colours shared by every chart (colour-blind-safe Okabe–Ito order). */
export const PALETTE = Object.freeze(['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']);

/** Good (positive delta / win) and bad (loss) colours. */
export const GOOD = '#009E73';
/** See {@link GOOD}. */
export const BAD = '#D55E00';
/** Neutral (tie) colour. */
export const NEUTRAL = '#9a9a9a';

/** Options every chart starts from: no animation (a static SVG), the palette, a compact grid, a legend on top. */
export function baseOption(): EChartsOption {
  return {
    animation: false,
    color: [...PALETTE],
    textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', fontSize: 12 },
    grid: { left: 64, right: 24, top: 40, bottom: 48, containLabel: false },
    legend: { top: 4 },
  };
}

/** Renders `spec` to a standalone `<svg>` string. */
export function renderChart(spec: ChartSpec): string {
  const chart = requireOptional<typeof Echarts>('echarts').init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: spec.width ?? DEFAULT_WIDTH,
    height: spec.height ?? DEFAULT_HEIGHT,
  });
  try {
    chart.setOption(spec.option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** `x` with `digits` significant decimals, for axis labels and captions. */
export function fmt(x: number, digits = 4): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}
