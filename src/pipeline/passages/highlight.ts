/**
 * Which words of a passage match the query, analyzer-aware: a word matches when the analyzer turns
 * it into a term the query also has ("cells" matches a query saying "cell" with the English
 * analyzer, as BM25 matched them). Words are runs of letters, digits and joiners; each is analysed
 * on its own, so any analyzer works. Pure.
 */
import type { Analyzer } from '../../text/analyzer.ts';

/** A matched word's character range in the text. */
export interface Span {
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}\p{M}_]+(?:['’.][\p{L}\p{N}\p{M}_]+)*/gu;

/** The ranges of the words of `text` whose terms the query shares, in text order. */
export function matchSpans(text: string, queryTerms: ReadonlySet<string>, analyzer: Analyzer): Span[] {
  if (queryTerms.size === 0) return [];
  const out: Span[] = [];
  const seen = new Map<string, boolean>();
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    let hit = seen.get(word);
    if (hit === undefined) {
      hit = analyzer.analyze(word).some((t) => queryTerms.has(t));
      seen.set(word, hit);
    }
    if (hit) out.push({ start: m.index, end: m.index + word.length });
  }
  return out;
}

/** `text` with every span wrapped in `open` … `close` (e.g. ANSI colour codes). */
export function markSpans(text: string, spans: readonly Span[], open: string, close: string): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + open + text.slice(s.start, s.end) + close;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * A window of at most `width` characters of `text` where its spans are densest (whole words, `…`
 * where cut), with the spans inside it shifted to the window.
 */
export function snippet(text: string, spans: readonly Span[], width: number): { text: string; spans: Span[] } {
  const flat = text.replace(/\s/g, ' ');
  if (flat.length <= width) return { text: flat, spans: [...spans] };
  // the window (starting a quarter width before a match) that holds the most matches
  let first = spans[0]?.start ?? 0;
  let most = 0;
  for (const s of spans) {
    const lo = s.start - Math.floor(width / 4);
    const inside = spans.filter((t) => t.start >= lo && t.end <= lo + width).length;
    if (inside > most) {
      most = inside;
      first = s.start;
    }
  }
  let from = Math.max(0, Math.min(first - Math.floor(width / 4), flat.length - width));
  if (from > 0) {
    const space = flat.indexOf(' ', from);
    if (space >= 0 && space < first) from = space + 1;
  }
  let to = Math.min(flat.length, from + width);
  if (to < flat.length) {
    const space = flat.lastIndexOf(' ', to);
    if (space > from) to = space;
  }
  const lead = from > 0 ? '…' : '';
  const tail = to < flat.length ? '…' : '';
  const inside = spans
    .filter((s) => s.start >= from && s.end <= to)
    .map((s) => ({ start: s.start - from + lead.length, end: s.end - from + lead.length }));
  return { text: lead + flat.slice(from, to) + tail, spans: inside };
}
