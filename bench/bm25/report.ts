/**
 * The bench's printed output: one table per dataset with shortlist's ratio to each peer, the
 * synthetic scale table, a summary (geometric means of the ratios) and issue 2's acceptance checks.
 * Ratios are always shortlist ÷ peer of the raw quantity: q/s× > 1, index× < 1 and mem× < 1 favour shortlist.
 */
import type { Measures } from './evaluate.ts';
import type { WorkerResult } from './protocol.ts';
import type { Reference } from './reference.ts';

/** One system's outcome on one dataset. */
export interface SystemRow {
  system: string;
  status: 'ok' | 'not installed' | 'failed' | 'timeout';
  note?: string;
  raw?: WorkerResult;
  /** Queries per second by depth. */
  qps?: Record<string, number>;
  indexMs?: number;
  peakRssMB?: number;
  rssBeforeIndexMB?: number;
  runPath?: string;
  measures?: Measures;
}

/** All systems on one collection. */
export interface DatasetReport {
  name: string;
  path: string;
  docs: number;
  queries: number;
  reference?: Reference;
  rows: SystemRow[];
}

/** Everything the bench measured (the `--json` output). */
export interface BenchReport {
  machine: { node: string; cpus: number; cpu: string; date: string };
  datasets: DatasetReport[];
  synthetic?: DatasetReport;
}

const f4 = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4));
const fx = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
const geo = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => x !== undefined && x > 0);
  return v.length ? Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length) : undefined;
};

function table(header: string[], rows: string[][]): string[] {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)];
}

function datasetTable(ds: DatasetReport, depths: string[], withQuality: boolean): string[] {
  const sl = ds.rows.find((r) => r.system === 'shortlist' && r.status === 'ok');
  const header = [
    'system',
    ...(withQuality ? ['nDCG@10', 'R@100'] : []),
    'index s',
    ...depths.map((d) => `q/s@${d}`),
    'peak MB',
    ...depths.map((d) => `q/s×@${d}`),
    'index×',
    'mem×',
  ];
  const rows = ds.rows.map((r) => {
    if (r.status !== 'ok') return [r.system, ...header.slice(1).map((_, i) => (i === 0 ? r.status : ''))];
    const peer = r.system !== 'shortlist' && sl;
    return [
      r.system,
      ...(withQuality ? [f4(r.measures?.['ndcg@10']), f4(r.measures?.['recall@100'])] : []),
      fx((r.indexMs ?? 0) / 1000),
      ...depths.map((d) => fx(r.qps?.[d])),
      fx(r.peakRssMB),
      ...depths.map((d) => (peer ? fx(ratio(sl.qps?.[d], r.qps?.[d])) : '')),
      peer ? fx(ratio(sl.indexMs, r.indexMs)) : '',
      peer ? fx(ratio(sl.peakRssMB, r.peakRssMB)) : '',
    ];
  });
  if (withQuality && ds.reference) {
    rows.push(['lucene-bm25.tsv', f4(ds.reference['ndcg@10']), f4(ds.reference['recall@100']), ...header.slice(3).map(() => '')]);
  }
  const notes = ds.rows.filter((r) => r.note).map((r) => `  ${r.system}: ${r.note}`);
  return [...table(header, rows), ...notes];
}

/** Acceptance checks of issue 2, each with the numbers behind it. */
export function acceptance(report: BenchReport): { check: string; pass: boolean | undefined; detail: string }[] {
  const out: { check: string; pass: boolean | undefined; detail: string }[] = [];
  const get = (ds: DatasetReport, s: string) => ds.rows.find((r) => r.system === s && r.status === 'ok');
  const perDataset = (check: string, fn: (ds: DatasetReport) => [boolean, string] | undefined) => {
    const parts = report.datasets.map((ds) => ({ ds, r: fn(ds) })).filter((x) => x.r);
    out.push({
      check,
      pass: parts.length ? parts.every((p) => p.r![0]) : undefined,
      detail: parts.map((p) => `${p.ds.name} ${p.r![1]}${p.r![0] ? '' : ' ✗'}`).join(', ') || 'not measured',
    });
  };
  perDataset('shortlist q/s@1000 ≥ 3× wink', (ds) => {
    const x = ratio(get(ds, 'shortlist')?.qps?.['1000'], get(ds, 'wink')?.qps?.['1000']);
    return x === undefined ? undefined : [x >= 3, `${x.toFixed(2)}×`];
  });
  perDataset('shortlist q/s@1000 ≥ Lucene', (ds) => {
    const x = ratio(get(ds, 'shortlist')?.qps?.['1000'], get(ds, 'lucene')?.qps?.['1000']);
    return x === undefined ? undefined : [x >= 1, `${x.toFixed(2)}×`];
  });
  perDataset('shortlist index time ≤ wink', (ds) => {
    const x = ratio(get(ds, 'shortlist')?.indexMs, get(ds, 'wink')?.indexMs);
    return x === undefined ? undefined : [x <= 1, `${x.toFixed(2)}×`];
  });
  const within = (a: Measures | Reference | undefined, b: Measures | Reference | undefined, tol: number): [boolean, string] | undefined => {
    if (!a || !b) return undefined;
    const dn = a['ndcg@10'] - b['ndcg@10'];
    const dr = a['recall@100'] - b['recall@100'];
    return [Math.abs(dn) <= tol && Math.abs(dr) <= tol, `Δ${dn >= 0 ? '+' : ''}${dn.toFixed(4)}/${dr >= 0 ? '+' : ''}${dr.toFixed(4)}`];
  };
  perDataset('shortlist nDCG@10/R@100 within 0.005 of Lucene (this run)', (ds) =>
    within(get(ds, 'shortlist')?.measures, get(ds, 'lucene')?.measures, 0.005),
  );
  perDataset('shortlist nDCG@10/R@100 within 0.005 of lucene-bm25.tsv', (ds) =>
    within(get(ds, 'shortlist')?.measures, ds.reference, 0.005),
  );
  perDataset('Lucene harness reproduces lucene-bm25.tsv (±0.00005)', (ds) => within(get(ds, 'lucene')?.measures, ds.reference, 0.00005));
  const syn = report.synthetic;
  const sl = syn && get(syn, 'shortlist');
  if (syn) {
    const big = syn.docs >= 1_000_000;
    out.push({
      check: `${syn.docs.toLocaleString('en')}-doc synthetic index < 120 s${big ? '' : ' (target is for 1,000,000: --synthetic)'}`,
      pass: sl?.indexMs === undefined ? undefined : big ? sl.indexMs < 120_000 : undefined,
      detail: sl ? `${(sl.indexMs! / 1000).toFixed(1)} s, peak ${sl.peakRssMB!.toFixed(0)} MB` : 'not measured',
    });
  }
  return out;
}

/** Print the whole report as text tables. */
export function printReport(report: BenchReport, print: (line: string) => void): void {
  const m = report.machine;
  print(`bench:bm25 — ${m.date}, Node ${m.node}, ${m.cpus} × ${m.cpu}; single-threaded queries, depth 1000, title + text as one field`);
  print('ratios are shortlist ÷ peer: q/s× > 1, index× < 1, mem× < 1 favour shortlist; peak MB = peak RSS of the whole process\n');
  for (const ds of report.datasets) {
    print(`${ds.name} — ${ds.docs.toLocaleString('en')} docs, ${ds.queries} queries`);
    for (const l of datasetTable(ds, ['1000'], true)) print(l);
    print('');
  }
  if (report.synthetic) {
    const s = report.synthetic;
    print(
      `synthetic Zipf — ${s.docs.toLocaleString('en')} docs of 10–30 tokens (100k-word vocabulary, s = 1), ${s.queries} queries of 2–5 terms`,
    );
    for (const l of datasetTable(s, ['10', '1000'], false)) print(l);
    print('');
  }
  if (report.datasets.length) {
    print('summary — geometric mean over datasets of shortlist ÷ peer');
    const peers = [...new Set(report.datasets.flatMap((d) => d.rows.map((r) => r.system)))].filter((s) => s !== 'shortlist');
    const rows = peers.map((p) => {
      const pairs = report.datasets.map((d) => ({
        sl: d.rows.find((r) => r.system === 'shortlist' && r.status === 'ok'),
        pr: d.rows.find((r) => r.system === p && r.status === 'ok'),
      }));
      const g = (fn: (a: SystemRow, b: SystemRow) => number | undefined) =>
        fx(geo(pairs.map(({ sl, pr }) => (sl && pr ? fn(sl, pr) : undefined))));
      const dn = pairs.filter((x) => x.sl?.measures && x.pr?.measures).map((x) => x.sl!.measures!['ndcg@10'] - x.pr!.measures!['ndcg@10']);
      return [
        p,
        g((a, b) => ratio(a.qps?.['1000'], b.qps?.['1000'])),
        g((a, b) => ratio(a.indexMs, b.indexMs)),
        g((a, b) => ratio(a.peakRssMB, b.peakRssMB)),
        dn.length ? (dn.reduce((s, x) => s + x, 0) / dn.length).toFixed(4) : '—',
      ];
    });
    for (const l of table(['peer', 'q/s×@1000', 'index×', 'mem×', 'mean ΔnDCG@10'], rows)) print(l);
    print('');
  }
  print('acceptance (issue 2)');
  for (const a of acceptance(report)) print(`  [${a.pass === undefined ? ' ? ' : a.pass ? 'ok ' : 'MISS'}] ${a.check}: ${a.detail}`);
}
