/** The bench report: derived numbers (medians, ratios, % of peak, waste, correlations, acceptance) and its table. */
import type { BertShape } from '../../scripts/models/shapes.ts';
import { best, median, pearson, spearman } from '../common/stats.ts';
import { usefulFlops } from './flops.ts';
import type { SystemSpec, Task } from './systems.ts';

/** Raw measurements keyed by `systemId@docs` (peak: by MatMul shape). */
export interface Measurements {
  times: Record<string, number[]>;
  /** CPU time of the worker per run (all threads). */
  cpuTimes: Record<string, number[]>;
  values: Record<string, number[] | Float32Array[]>;
  padded: Record<string, number>;
  tokens: Record<string, number>;
  loadMs: Record<string, number>;
  maxRssMB: Record<string, number>;
  /** Sustained MatMul GFLOP/s per wall second, per round. */
  peak: Record<string, number[]>;
  /** Sustained MatMul GFLOP per CPU-second, per round. */
  peakCpu: Record<string, number[]>;
  /** Systems whose worker failed (e.g. killed for memory), with what happened; their later runs are skipped. */
  failures: Record<string, string>;
}

/** What {@link buildReport} needs. */
export interface ReportInput {
  cli: { docs: number[]; runs: number; warmup: number; threads: number };
  machine: { cpus: number; cpu: string; loadBefore: number[]; loadAfter: number[]; node: string };
  data: { source: string; query: string; ids: string[] };
  models: Record<Task, { folder: string; shape: BertShape; head: string }>;
  lengths: Record<Task, number[]>;
  systems: SystemSpec[];
  measurements: Measurements;
}

/** One system at one document count. */
export interface Row {
  id: string;
  label: string;
  medianMs: number;
  bestMs: number;
  /** Median CPU time of the worker (all threads, ONNX Runtime spinning included). */
  cpuMs: number;
  docsPerS: number;
  /** Useful GFLOP/s at the median time. */
  gflops: number;
  /**
   * Useful GFLOP/s at the median time over the MatMul peak's median across the same rounds (both
   * saw the same load). The peak is fp32, so for int8 rows this is only indicative.
   */
  ofPeak: number;
  /** Useful GFLOP/s at the best time over the best MatMul sample (each at its quietest moment). */
  ofPeakBest: number;
  /** Useful GFLOP per CPU-second over the MatMul's GFLOP per CPU-second (least sensitive to load). */
  ofPeakCpu: number;
  /** Share of fed tokens that were padding; undefined when the system does not say. */
  paddingWaste?: number;
  /** transformers.js median / this median (how many times faster than transformers.js). */
  vsTransformers?: number;
  /** raw ORT padded-to-longest median / this median. */
  vsOrtPadded?: number;
  maxRssMB?: number;
  loadMs?: number;
  timesMs: number[];
}

/** One task at one document count. */
export interface Section {
  task: Task;
  docs: number;
  tokens: number;
  gflop: number;
  /** Padding share when all inputs are padded to the longest. */
  paddedToLongestWaste: number;
  rows: Row[];
}

/** What a check is computed from: median wall time, best wall time, median CPU time, or an exact count. */
export type Basis = 'median' | 'best' | 'cpu' | 'exact';

/** One acceptance line of issue 3, evaluated on every basis that applies. */
export interface Check {
  name: string;
  target: string;
  values: Partial<Record<Basis, string>>;
  pass: Partial<Record<Basis, boolean>>;
}

/** The whole report (also the `--json` output). */
export interface BenchReport {
  machine: ReportInput['machine'] & { threads: number };
  settings: ReportInput['cli'];
  data: ReportInput['data'] & { tokenLengths: ReportInput['lengths'] };
  models: ReportInput['models'];
  /** MatMul peak: the shape with the best median sustained GFLOP/s; its median, best and per-CPU-second rate. */
  peak: {
    shape: string;
    median: number;
    best: number;
    cpu: number;
    byShape: Record<string, { best: number; median: number; cpu: number }>;
  };
  sections: Section[];
  quality: Record<string, number>;
  acceptance: Check[];
  failures: Record<string, string>;
}

const PEERS: Record<Task, { tjs: string; padded: string; shortlist: string }> = {
  rerank: { tjs: 'transformers.js', padded: 'ort-padded', shortlist: 'shortlist' },
  embed: { tjs: 'transformers.js-embed', padded: 'ort-padded-embed', shortlist: 'shortlist-embed' },
};

/** Derive every reported number from the measurements. */
export function buildReport(input: ReportInput): BenchReport {
  const m = input.measurements;
  const byShape = Object.fromEntries(
    Object.entries(m.peak).map(([k, v]) => [k, { best: Math.max(...v), median: median(v), cpu: median(m.peakCpu[k] ?? []) }]),
  );
  const [peakShape, peak] = Object.entries(byShape).sort((a, b) => b[1].median - a[1].median)[0] ?? [
    'none',
    { best: NaN, median: NaN, cpu: NaN },
  ];
  const sections: Section[] = [];
  for (const task of ['rerank', 'embed'] as const) {
    const specs = input.systems.filter((s) => s.task === task);
    if (specs.length === 0) continue;
    const shape = input.models[task].shape;
    for (const n of input.cli.docs) {
      const lengths = input.lengths[task].slice(0, n);
      const tokens = lengths.reduce((a, b) => a + b, 0);
      const flops = usefulFlops(shape, lengths, task === 'rerank' ? 'classifier' : 'encoder');
      const med = (id: string) => median(m.times[`${id}@${n}`] ?? []);
      const rows = specs.map((spec): Row => {
        const key = `${spec.id}@${n}`;
        const times = m.times[key] ?? [];
        const medianMs = median(times);
        const cpuMs = median(m.cpuTimes[key] ?? []);
        const padded = m.padded[key];
        const gflops = flops / medianMs / 1e6;
        return {
          id: spec.id,
          label: spec.label,
          medianMs,
          bestMs: best(times),
          cpuMs,
          docsPerS: (n / medianMs) * 1000,
          gflops,
          ofPeak: gflops / peak.median,
          ofPeakBest: flops / best(times) / 1e6 / peak.best,
          ofPeakCpu: flops / cpuMs / 1e6 / peak.cpu,
          paddingWaste: padded === undefined ? undefined : 1 - tokens / padded,
          vsTransformers: ratio(med(PEERS[task].tjs), medianMs),
          vsOrtPadded: ratio(med(PEERS[task].padded), medianMs),
          maxRssMB: m.maxRssMB[spec.id],
          loadMs: m.loadMs[spec.id],
          timesMs: times,
        };
      });
      sections.push({ task, docs: n, tokens, gflop: flops / 1e9, paddedToLongestWaste: 1 - tokens / (n * Math.max(...lengths)), rows });
    }
  }
  const quality = qualityNumbers(input);
  return {
    machine: { ...input.machine, threads: input.cli.threads },
    settings: input.cli,
    data: { ...input.data, tokenLengths: input.lengths },
    models: input.models,
    peak: { shape: peakShape, ...peak, byShape },
    sections,
    quality,
    acceptance: acceptance(sections, quality, input.cli.docs),
    failures: m.failures,
  };
}

function ratio(peer: number, mine: number): number | undefined {
  return Number.isFinite(peer) && Number.isFinite(mine) ? peer / mine : undefined;
}

/** Agreement between systems: int8 vs fp32 score correlation, shortlist vs transformers.js differences. */
function qualityNumbers(input: ReportInput): Record<string, number> {
  const v = input.measurements.values;
  const out: Record<string, number> = {};
  for (const n of input.cli.docs) {
    const fp32 = v[`shortlist@${n}`] as number[] | undefined;
    const int8 = v[`shortlist-int8@${n}`] as number[] | undefined;
    const tjs = v[`transformers.js@${n}`] as number[] | undefined;
    if (fp32 && int8) {
      out[`int8_vs_fp32_pearson@${n}`] = pearson(fp32, int8);
      out[`int8_vs_fp32_spearman@${n}`] = spearman(fp32, int8);
    }
    if (fp32 && tjs) out[`rerank_logit_max_abs_diff_vs_transformers.js@${n}`] = maxAbsDiff(fp32, tjs);
    const e = v[`shortlist-embed@${n}`] as Float32Array[] | undefined;
    const et = v[`transformers.js-embed@${n}`] as Float32Array[] | undefined;
    if (e && et) out[`embedding_max_abs_diff_vs_transformers.js@${n}`] = Math.max(...e.map((row, i) => maxAbsDiff(row, et[i])));
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The performance acceptance lines of issue 3, at 50 documents (or the first count run). */
function acceptance(sections: Section[], quality: Record<string, number>, docs: number[]): Check[] {
  const n = docs.includes(50) ? 50 : docs[0];
  const nEmbed = Math.max(...docs);
  const row = (task: Task, id: string, at = n) => sections.find((s) => s.task === task && s.docs === at)?.rows.find((r) => r.id === id);
  const checks: Check[] = [];
  const x = (v: number) => `${v.toFixed(2)}x`;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  /** A check on three bases: median wall time, best wall time, median CPU time. */
  const add = (name: string, target: number, values: Partial<Record<Basis, number>>, fmt: (v: number) => string, below = false) => {
    const entries = (Object.entries(values) as Array<[Basis, number]>).filter(([, v]) => Number.isFinite(v));
    if (entries.length === 0) return;
    checks.push({
      name,
      target: `${below ? '<' : '≥'} ${fmt(target)}`,
      values: Object.fromEntries(entries.map(([b, v]) => [b, fmt(v)])),
      pass: Object.fromEntries(entries.map(([b, v]) => [b, below ? v < target : v >= target])),
    });
  };
  const speedup = (slow: Row | undefined, fast: Row | undefined) =>
    slow && fast ? { median: slow.medianMs / fast.medianMs, best: slow.bestMs / fast.bestMs, cpu: slow.cpuMs / fast.cpuMs } : {};
  const fp32 = row('rerank', 'shortlist');
  add(`rerank ${n} docs: shortlist fp32 speed vs transformers.js`, 2, speedup(row('rerank', 'transformers.js'), fp32), x);
  add(
    `rerank ${n} docs: shortlist fp32 useful GFLOP/s as share of the MatMul peak`,
    0.75,
    fp32 ? { median: fp32.ofPeak, best: fp32.ofPeakBest, cpu: fp32.ofPeakCpu } : {},
    pct,
  );
  add(`rerank ${n} docs: int8 speed vs fp32 (shortlist)`, 1.5, speedup(fp32, row('rerank', 'shortlist-int8')), x);
  add(
    `embed ${nEmbed} docs: shortlist throughput vs transformers.js`,
    1.5,
    speedup(row('embed', 'transformers.js-embed', nEmbed), row('embed', 'shortlist-embed', nEmbed)),
    x,
  );
  const waste = (r: Row | undefined) => (r?.paddingWaste === undefined ? {} : { exact: r.paddingWaste });
  add(`rerank ${n} docs: shortlist padding waste`, 0.1, waste(fp32), pct, true);
  add(`embed ${nEmbed} docs: shortlist padding waste`, 0.1, waste(row('embed', 'shortlist-embed', nEmbed)), pct, true);
  return checks;
}

/** Print the report as plain-text tables. */
export function printReport(r: BenchReport): void {
  const out: string[] = [];
  out.push(`shortlist neural-stage bench — ${r.machine.cpu}, ${r.machine.cpus} CPUs, node ${r.machine.node}`);
  out.push(
    `intra-op threads ${r.machine.threads} for every system (inter-op 1); ${r.settings.warmup} warm-up round(s), median of ${r.settings.runs} interleaved rounds`,
  );
  out.push(
    `load average before ${r.machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${r.machine.loadAfter.map((l) => l.toFixed(2)).join(' ')} (shared machine: compare ratios, not absolute times)`,
  );
  out.push(`query: "${r.data.query}" (${r.data.source})`);
  out.push(
    `ONNX Runtime MatMul peak (sustained, ${r.peak.shape}): median ${r.peak.median.toFixed(1)} GFLOP/s, best ${r.peak.best.toFixed(1)}, ${r.peak.cpu.toFixed(1)} GFLOP per CPU-s — ` +
      Object.entries(r.peak.byShape)
        .map(([k, v]) => `${k}: median ${v.median.toFixed(1)}, best ${v.best.toFixed(1)}`)
        .join('; '),
  );
  for (const s of r.sections) {
    const model = r.models[s.task];
    out.push('');
    out.push(
      `${s.task} — ${s.docs} docs, ${s.tokens} tokens, ${s.gflop.toFixed(1)} GFLOP useful (${model.shape.layers}L-${model.shape.hidden}H ${model.head}); padded to longest wastes ${pct1(s.paddedToLongestWaste)}`,
    );
    const head = [
      'system',
      'median ms',
      'best ms',
      'CPU ms',
      'docs/s',
      'GFLOP/s',
      '%peak',
      '%peak best',
      '%peak CPU',
      'pad waste',
      'vs tjs',
      'vs ort-pad',
      'maxRSS MB',
    ];
    const rows = s.rows.map((row) => [
      row.id,
      row.medianMs.toFixed(0),
      row.bestMs.toFixed(0),
      row.cpuMs.toFixed(0),
      row.docsPerS.toFixed(1),
      row.gflops.toFixed(1),
      pct1(row.ofPeak),
      pct1(row.ofPeakBest),
      pct1(row.ofPeakCpu),
      row.paddingWaste === undefined ? '-' : pct1(row.paddingWaste),
      row.vsTransformers === undefined ? '-' : `${row.vsTransformers.toFixed(2)}x`,
      row.vsOrtPadded === undefined ? '-' : `${row.vsOrtPadded.toFixed(2)}x`,
      row.maxRssMB === undefined ? '-' : row.maxRssMB.toFixed(0),
    ]);
    out.push(...table(head, rows));
  }
  for (const [id, why] of Object.entries(r.failures ?? {})) out.push(`FAILED ${id}: ${why}`);
  out.push('');
  out.push(
    'agreement: ' +
      Object.entries(r.quality)
        .map(([k, v]) => `${k} ${k.includes('diff') ? v.toExponential(2) : v.toFixed(4)}`)
        .join('; '),
  );
  out.push('');
  out.push('acceptance (issue 3), on median wall time / best wall time / median CPU time:');
  for (const c of r.acceptance) {
    if (!c.values) continue; // a report saved by an earlier version
    const parts = (Object.keys(c.values) as Basis[]).map((b) => `${b} ${c.values[b]} ${c.pass[b] ? 'PASS' : 'FAIL'}`);
    out.push(`  ${c.name} (target ${c.target}): ${parts.join(', ')}`);
  }
  out.push('');
  out.push(
    'systems: ' +
      [...new Map(r.sections.flatMap((s) => s.rows.map((row) => [row.id, row.label]))).entries()]
        .map(([id, label]) => `${id} = ${label}`)
        .join('; '),
  );
  console.log(out.join('\n'));
}

function pct1(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
