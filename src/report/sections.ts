/**
 * One section of the report per input: its tables (plain HTML) and its charts (ECharts SVG).
 * Each builder returns the section's HTML; charts are rendered here, at build time.
 */
import { basename } from 'node:path';
import { DEFAULT_WIDTH, renderChart, type ChartSpec } from './chart.ts';
import { deltaChart } from './charts/delta.ts';
import { latencyDepthChart, qualityDepthChart } from './charts/depth.ts';
import { distributionChart } from './charts/distribution.ts';
import { fitChart } from './charts/fit.ts';
import { reliabilityChart } from './charts/reliability.ts';
import { winTieLossChart } from './charts/wins.ts';
import { deltaCell, escapeHtml, htmlTable, metricCell, pCell } from './html.ts';
import type { CalibrationInput, CompareInput, EvalInput, FitInput, ReportInput, SweepInput } from './inputs.ts';

/** A `<figure>` holding one rendered chart; `kind` names the chart builder (for tests and styling). */
export function figure(kind: string, spec: ChartSpec): string {
  const note = spec.note ? `<span class="note">${escapeHtml(spec.note)}</span>` : '';
  const width = (spec.width ?? DEFAULT_WIDTH) + 26; // + padding and border: the caption wraps at the chart's width
  return `<figure class="chart" data-chart="${escapeHtml(kind)}" style="width:${width}px"><figcaption><strong>${escapeHtml(spec.title)}</strong>${note}</figcaption>${renderChart(spec)}</figure>`;
}

function header(title: string, file: string, meta: string): string {
  return `<h2>${escapeHtml(title)}</h2><p class="meta">${escapeHtml(meta)} · <code>${escapeHtml(basename(file))}</code></p>`;
}

/** Per-stage metrics and latency tables, per-query delta chart and score distributions. */
export function evalSection(x: EvalInput, file: string): string {
  const rerank = new Set(x.pipeline.rerank.map((r) => r.name));
  const metrics = htmlTable(
    ['stage', 'candidates', ...x.metrics],
    x.stages.map((s) => [
      { text: s.stage, className: rerank.has(s.stage) ? 'rerank' : '' },
      { text: s.candidates.toFixed(1), numeric: true },
      ...x.metrics.map((m) => metricCell(s.metrics[m] ?? Number.NaN)),
    ]),
  );
  const latency = htmlTable(
    ['stage', 'p50 ms', 'p95 ms', 'mean ms'],
    x.latency.map((l) => [
      l.stage,
      { text: l.p50.toFixed(2), numeric: true },
      { text: l.p95.toFixed(2), numeric: true },
      { text: l.mean.toFixed(2), numeric: true },
    ]),
  );
  const delta = deltaChart(x);
  const parts = [
    header(
      `Pipeline evaluation — ${basename(x.dataset)} (${x.split})`,
      file,
      `${x.documents.toLocaleString('en-US')} documents, ${x.queries} queries, stages ${x.stages.map((s) => s.stage).join(' → ')}`,
    ),
    `<div class="tables"><div><h3>Metrics per stage</h3>${metrics}</div><div><h3>Latency per stage</h3>${latency}</div></div>`,
    delta ? figure('delta', delta) : '<p class="note">No rerank stage: no per-query delta to show.</p>',
    `<h3>Scores of relevant vs non-relevant candidates</h3><div class="grid">${x.stages.map((s) => figure('distribution', distributionChart(s))).join('')}</div>`,
  ];
  return parts.join('\n');
}

/** The sweep table, the recommendation, quality-vs-depth and latency-vs-depth charts. */
export function sweepSection(x: SweepInput, file: string): string {
  const total = (r: SweepInput['rows'][number]) => r.latency.find((l) => l.stage === 'total');
  const rows = x.rows.map((r) => [
    { text: String(r.depth), numeric: true, className: r.depth === x.recommendation.depth ? 'best' : '' },
    metricCell(r.recall),
    metricCell(r.ndcg10),
    metricCell(r.mrr10),
    { text: (total(r)?.mean ?? 0).toFixed(2), numeric: true },
    { text: (total(r)?.p95 ?? 0).toFixed(2), numeric: true },
  ]);
  const rec =
    x.recommendation.depth === undefined
      ? `No depth recommended: ${x.recommendation.reason}.`
      : `Recommended first-stage depth: <strong>K=${x.recommendation.depth}</strong> — ${escapeHtml(x.recommendation.reason)}.`;
  return [
    header(
      `Depth sweep — ${basename(x.dataset)} (${x.split})`,
      file,
      `${x.documents.toLocaleString('en-US')} documents, ${x.queries} queries, ${[x.firstStage, ...x.rerankStages].join(' → ')}`,
    ),
    htmlTable(['K', 'Recall@K', 'nDCG@10', 'MRR@10', 'total ms mean', 'total ms p95'], rows),
    `<p class="rec">${x.recommendation.depth === undefined ? escapeHtml(rec) : rec}</p>`,
    `<div class="grid">${figure('quality-depth', qualityDepthChart(x))}${figure('latency-depth', latencyDepthChart(x))}</div>`,
  ].join('\n');
}

/** The comparison table (means, difference, p-values, win/tie/loss) and the win/tie/loss chart. */
export function compareSection(x: CompareInput, file: string): string {
  const test = x.comparisons.some((c) => !c.exact)
    ? `randomization test with ${x.permutations.toLocaleString('en-US')} permutations (seed ${x.seed})`
    : 'exact randomization test';
  const rows = x.comparisons.map((c) => [
    c.metric,
    metricCell(c.meanA),
    metricCell(c.meanB),
    deltaCell(c.delta),
    pCell(c.randomizationP),
    pCell(c.tTestP),
    c.wins,
    c.ties,
    c.losses,
  ]);
  return [
    header(
      'Run comparison',
      file,
      `A = ${basename(x.runA)}, B = ${basename(x.runB)}; ${x.queries} queries; ${test}, paired t-test; p < 0.05 in bold`,
    ),
    htmlTable(['metric', 'A', 'B', 'B − A', 'p (randomization)', 'p (t-test)', 'win', 'tie', 'loss'], rows),
    figure('win-tie-loss', winTieLossChart(x)),
  ].join('\n');
}

/** Brier / ECE before and after on held-out queries, the fit, and the reliability diagram. */
export function calibrationSection(x: CalibrationInput, file: string): string {
  const h = x.heldOut;
  const params =
    'a' in x.fit.params ? `a = ${x.fit.params.a.toFixed(4)}, b = ${x.fit.params.b.toFixed(4)}` : `${x.fit.params.thresholds.length} steps`;
  return [
    header(
      `Calibration — ${x.stage}, ${basename(x.dataset)} (${x.split})`,
      file,
      `${x.fit.method} (${params}) fitted on ${x.fit.trainedOn.n.toLocaleString('en-US')} pairs; fingerprint ${x.fit.fingerprint ?? 'none'}`,
    ),
    `<div class="grid"><div>${htmlTable(
      ['held out', 'Brier', `ECE (${h.bins} bins)`],
      [
        ['before', metricCell(h.before.brier), metricCell(h.before.ece)],
        ['after', metricCell(h.after.brier), metricCell(h.after.ece)],
      ],
    )}</div>${figure('reliability', reliabilityChart(x))}${figure('fit', fitChart(x.fit))}</div>`,
  ].join('\n');
}

/** A stored fit on its own: the curve it applies. */
export function fitSection(x: FitInput, file: string): string {
  return [
    header('Stored calibration fit', file, `${x.method}; fingerprint ${x.fingerprint ?? 'none'}`),
    figure('fit', fitChart(x, basename(file))),
  ].join('\n');
}

/** The section of any input. */
export function section(input: ReportInput): string {
  switch (input.kind) {
    case 'eval':
      return evalSection(input.data, input.file);
    case 'sweep':
      return sweepSection(input.data, input.file);
    case 'compare':
      return compareSection(input.data, input.file);
    case 'calibration':
      return calibrationSection(input.data, input.file);
    case 'fit':
      return fitSection(input.data, input.file);
  }
}
