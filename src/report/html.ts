/** Small HTML helpers for the report page: escaping, tables and number formatting. */

/** Escapes `&`, `<`, `>`, `"` and `'` for text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A table cell: plain text, or a number (right-aligned) with an optional CSS class. */
export type Cell = string | number | { text: string; numeric?: boolean; className?: string };

/** An HTML `<table>`; numbers are right-aligned, every value is escaped. */
export function htmlTable(header: string[], rows: Cell[][], className = ''): string {
  const cell = (c: Cell, tag: 'td' | 'th') => {
    const text = typeof c === 'object' ? c.text : String(c);
    const classes = [
      typeof c === 'number' || (typeof c === 'object' && c.numeric) ? 'num' : '',
      typeof c === 'object' ? (c.className ?? '') : '',
    ]
      .filter(Boolean)
      .join(' ');
    return `<${tag}${classes ? ` class="${classes}"` : ''}>${escapeHtml(text)}</${tag}>`;
  };
  const head = `<tr>${header.map((h) => cell(h, 'th')).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** A metric value with 4 decimals as a numeric cell. */
export function metricCell(x: number, className?: string): Cell {
  return { text: x.toFixed(4), numeric: true, className };
}

/** A p-value: 4 decimals, or scientific below 0.0001; `sig` marks p < 0.05. */
export function pCell(p: number): Cell {
  return { text: p < 0.0001 ? p.toExponential(1) : p.toFixed(4), numeric: true, className: p < 0.05 ? 'sig' : '' };
}

/** A signed difference: `+0.0123` / `−0.0123`, coloured by sign. */
export function deltaCell(x: number): Cell {
  const text = `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
  return { text, numeric: true, className: x > 1e-12 ? 'up' : x < -1e-12 ? 'down' : '' };
}
