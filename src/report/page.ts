/**
 * The report page: one self-contained HTML file. Pipeline: 1. order the inputs (evaluations,
 * sweeps, comparisons, calibrations, stored fits) → 2. one section per input, charts rendered to
 * inline SVG (`sections.ts`) → 3. wrap them in a page with inline CSS. No script, no external
 * font, stylesheet or image: the file opens offline and can be mailed or attached as it is.
 */
import { escapeHtml } from './html.ts';
import { INPUT_KINDS, type ReportInput } from './inputs.ts';
import { section } from './sections.ts';

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** Page title. @default 'shortlist report' */
  title?: string;
  /** Time stamp shown in the header. @default the current time */
  generatedAt?: Date;
}

const ORDER = Object.keys(INPUT_KINDS);

const CSS = `
:root{color-scheme:light;--fg:#1d1d1f;--muted:#666;--line:#e3e3e3;--bg:#fff;--panel:#fafafa;--good:#00795a;--bad:#b4420a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:36px 0 2px;padding-top:16px;border-top:1px solid var(--line)}
h3{font-size:14px;margin:18px 0 6px;color:#333}
p.meta,.note,header p{color:var(--muted);margin:0 0 12px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f2f2f2;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th{font-weight:600;background:var(--panel)}
td.num,th.num{text-align:right}
td.rerank{font-weight:600}
td.best{font-weight:700;background:#eef7f3}
td.sig{font-weight:700}
td.up{color:var(--good)} td.down{color:var(--bad)}
.tables{display:flex;flex-wrap:wrap;gap:8px 40px}
.grid{display:flex;flex-wrap:wrap;gap:12px 20px;align-items:flex-start}
figure.chart{max-width:100%;margin:10px 0;padding:10px 12px;border:1px solid var(--line);border-radius:6px;background:var(--bg)}
figure.chart figcaption{display:flex;flex-direction:column;margin-bottom:4px}
figure.chart figcaption .note{font-size:12px;margin:2px 0 0}
figure.chart svg{display:block;max-width:100%;height:auto}
p.rec{background:#eef7f3;border-left:3px solid var(--good);padding:6px 10px}
`;

/** Builds the whole HTML page for `inputs` (at least one); sections appear only for the inputs given. */
export function buildReport(inputs: readonly ReportInput[], options: ReportOptions = {}): string {
  const title = options.title ?? 'shortlist report';
  const at = (options.generatedAt ?? new Date())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const sorted = [...inputs].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const sections = sorted.map((input) => `<section data-kind="${input.kind}">\n${section(input)}\n</section>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><p>Generated ${escapeHtml(at)} from ${inputs.length} input${inputs.length === 1 ? '' : 's'}: ${sorted.map((i) => `${i.kind} <code>${escapeHtml(i.file)}</code>`).join(', ')}.</p></header>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
