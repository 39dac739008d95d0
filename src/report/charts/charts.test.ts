/** Every chart builder: the option carries one point or bar per input value, and the rendered SVG draws them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderChart, type ChartSpec } from '../chart.ts';
import { calibrationInput, compareInput, evalInput, plattFit, sweepInput } from '../../../test/report/fixtures.ts';
import { deltaChart, queryDeltas } from './delta.ts';
import { latencyDepthChart, qualityDepthChart } from './depth.ts';
import { distributionChart } from './distribution.ts';
import { fitChart, fitCurve } from './fit.ts';
import { reliabilityChart } from './reliability.ts';
import { winTieLossChart } from './wins.ts';

type Series = { name: string; data: unknown[] };
const series = (spec: ChartSpec) => spec.option.series as unknown as Series[];

/** Distinct data indices the SVG draws for series `i` (ECharts SSR tags each data element with them; legend items are tagged too, with another type). */
function drawn(svg: string, i: number): number {
  return new Set(
    [...svg.matchAll(new RegExp(`ecmeta_series_index="${i}" ecmeta_data_index="(\\d+)" ecmeta_ssr_type="chart"`, 'g'))].map((m) => m[1]),
  ).size;
}

test('quality vs depth: one point per depth in each of recall, nDCG@10, MRR@10; the recommended K is marked', () => {
  const x = sweepInput([10, 20, 50, 100, 200]);
  const spec = qualityDepthChart(x);
  assert.deepEqual(
    series(spec).map((s) => s.data.length),
    [5, 5, 5],
  );
  assert.deepEqual(
    series(spec)[0].data,
    x.rows.map((r) => r.recall),
  );
  const svg = renderChart(spec);
  assert.match(svg, /^<svg[^>]+width="520" height="320"/);
  assert.doesNotMatch(svg, /style="[^"]*"[^ >\n]/, 'attribute values stay quoted (no double quote inside style)');
  for (const i of [0, 1, 2]) assert.equal(drawn(svg, i), 5, `series ${i}`);
  assert.match(svg, /recommended K=20/);
});

test('latency vs depth: one series per stage plus total p95, one point per depth', () => {
  const spec = latencyDepthChart(sweepInput([10, 20, 50]));
  assert.deepEqual(
    series(spec).map((s) => s.name),
    ['bm25', 'hydrate', 'cross-encoder', 'total', 'total p95'],
  );
  assert.ok(series(spec).every((s) => s.data.length === 3));
  assert.deepEqual(series(spec)[4].data, [17.2, 32.2, 77.2]);
  assert.equal(drawn(renderChart(spec), 4), 3);
});

test('per-query delta: one bar per query, sorted, coloured by sign; none without a rerank stage', () => {
  const x = evalInput(7);
  const deltas = queryDeltas(x);
  assert.equal(deltas.length, 7);
  assert.deepEqual(
    deltas.map((d) => Math.round(d.delta * 10) / 10),
    [0.2, 0.2, 0.2, 0.2, 0, 0, -0.2],
  );
  const spec = deltaChart(x)!;
  assert.equal(series(spec)[0].data.length, 7);
  assert.match(spec.note!, /7 queries: 4 better, 2 unchanged, 1 worse/);
  const svg = renderChart(spec);
  assert.equal(drawn(svg, 0), 7);
  assert.equal((svg.match(/fill="#009E73"/g) ?? []).length, 4);
  assert.equal((svg.match(/fill="#D55E00"/g) ?? []).length, 1);
  assert.equal(deltaChart({ ...x, pipeline: { rerank: [] } }), undefined);
});

test('score distribution: one bar per bin for relevant and non-relevant, each class as shares summing to 1', () => {
  const stage = evalInput().stages[0];
  const spec = distributionChart(stage);
  const [rel, non] = series(spec);
  assert.equal(rel.data.length, 5);
  assert.equal(non.data.length, 5);
  assert.ok(Math.abs((rel.data as number[]).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.deepEqual(non.data, [0.4, 0.3, 0.2, 0.1, 0]);
  assert.match(spec.note!, /10 relevant and 100 non-relevant/);
  const svg = renderChart(spec);
  assert.equal(drawn(svg, 0), 5, 'a bar per bin (empty bins at zero height)');
  assert.equal(drawn(svg, 1), 5);
});

test('reliability: one point per non-empty bin before and after, over the diagonal', () => {
  const spec = reliabilityChart(calibrationInput(3));
  const [diag, before, after] = series(spec);
  assert.deepEqual(diag.data, [
    [0, 0],
    [1, 1],
  ]);
  assert.equal(before.data.length, 7);
  assert.equal(after.data.length, 10);
  assert.match(spec.note!, /Brier 0\.3000 → 0\.1000, ECE 0\.2000 → 0\.0300/);
  const svg = renderChart(spec);
  assert.equal(drawn(svg, 1), 7);
  assert.equal(drawn(svg, 2), 10);
});

test('win/tie/loss: three stacked series with one bar per metric', () => {
  const x = compareInput(['ndcg@10', 'map', 'recall@100', 'mrr@10']);
  const spec = winTieLossChart(x);
  assert.deepEqual(
    series(spec).map((s) => s.data.length),
    [4, 4, 4],
  );
  assert.deepEqual(series(spec)[0].data, [2, 3, 4, 5]);
  assert.deepEqual(series(spec)[2].data, [6, 5, 4, 3]);
  const svg = renderChart(spec);
  for (const i of [0, 1, 2]) assert.equal(drawn(svg, i), 4);
});

test('fit: a Platt curve rising from 1% to 99%; an isotonic fit has one point per step', () => {
  const curve = fitCurve(plattFit());
  assert.equal(curve.length, 101);
  assert.ok(Math.abs(curve[0][1] - 0.01) < 1e-9 && Math.abs(curve[100][1] - 0.99) < 1e-9);
  assert.ok(curve.every((p, i) => i === 0 || p[1] > curve[i - 1][1]));
  const iso = { ...plattFit(), method: 'isotonic' as const, params: { thresholds: [-1, 0, 2], values: [0.1, 0.4, 0.9] } };
  const spec = fitChart(iso);
  assert.deepEqual(series(spec)[0].data, [
    [-1, 0.1],
    [0, 0.4],
    [2, 0.9],
  ]);
  assert.match(renderChart(spec), /<path d="M/);
});
