/**
 * Context assembly: ranked hits' passages into a block of text for a prompt, within a budget.
 *
 * Pipeline:
 * 1. Candidates in rank order: each hit's passages, best first.
 * 2. Each candidate is added when the whole context still fits: per document, the chosen ranges
 *    are united (overlapping or adjacent chunks merge into one range — overlap is not repeated),
 *    and each range costs the words (or tokens) of its rendered block, source line included.
 *    A candidate that does not fit whole is cut to the run of whole words that fits what is left
 *    and holds the most query matches (`focus`), when that run is at least `minWords` long;
 *    otherwise it is skipped and later ones are still tried.
 * 3. Ranges come out in the order their first passage was chosen (best first).
 * Pure: the cost function is given (words by default).
 */
import type { Hit } from '../../core/types.ts';
import type { CountTokens } from '../../text/chunk.ts';

/** One range of a document in the context. */
export interface ContextPassage {
  /** The document id. */
  id: string;
  title?: string;
  /** Character range in the document's text; `text` is exactly that slice. */
  start: number;
  end: number;
  text: string;
  /** Chunk numbers merged into this range, ascending. */
  chunks: number[];
  /** Best passage score in the range. */
  score: number;
  /** Rank (1-based) of the best hit that contributed. */
  rank: number;
}

/** What {@link assembleContext} returns. */
export interface AssembledContext {
  /** The ranges, best first. */
  passages: ContextPassage[];
  /** The rendered context: each range as a source line and its text, separated by blank lines. */
  text: string;
  /** Cost of `text` by the counter (≤ budget). */
  used: number;
  budget: number;
}

/** Counts the words (runs of non-space) of a text: the default budget unit. */
export function countWordsIn(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** The source line and text of one range, as rendered. */
export function renderPassage(p: ContextPassage): string {
  return `[${p.id}${p.title ? ` · ${p.title.replace(/\s+/g, ' ')}` : ''} · ${p.start}-${p.end}]\n${p.text}`;
}

interface Range {
  start: number;
  end: number;
  chunks: number[];
  score: number;
  rank: number;
  order: number;
}

/**
 * The best passages of `hits` that fit in `budget` (counted by `count` over the rendered text,
 * words by default), adjacent and overlapping ranges of a document merged. `hits` need
 * `document` (for the text) and `passages`.
 */
/** Options of {@link assembleContext}. */
export interface AssembleOptions {
  /** Counts a text's cost. @default words ({@link countWordsIn}) */
  count?: (text: string) => number;
  /** The query's matches in a text; a passage cut to fit keeps the run of words with the most. @default none (the run starts at the passage's start) */
  focus?: (text: string) => { start: number; end: number }[];
  /** Shortest cut passage, in words; a shorter one is not added. @default 12 */
  minWords?: number;
}

export function assembleContext(hits: readonly Hit[], budget: number, options: AssembleOptions = {}): AssembledContext {
  const count = options.count ?? countWordsIn;
  const minWords = options.minWords ?? 12;
  const docs = new Map<string, { title?: string; text: string; ranges: Range[] }>();
  let order = 0;
  let used = 0;
  hits.forEach((h, i) => {
    const doc = h.document;
    if (!doc) return;
    for (const p of h.passages ?? []) {
      const entry = docs.get(doc.id) ?? { title: doc.title, text: doc.text, ranges: [] };
      const base = sumCost(doc.id, entry, entry.ranges, count);
      const range = (start: number, end: number): Range => ({ start, end, chunks: [p.chunk], score: p.score, rank: i + 1, order });
      let next = mergeRange(entry.ranges, range(p.start, p.end), doc.text);
      let delta = sumCost(doc.id, entry, next, count) - base;
      if (used + delta > budget) {
        if (entry.ranges.some((r) => r.start < p.end && p.start < r.end)) continue; // part of it is in already
        const cut = fitWords(
          doc.text,
          p.start,
          p.end,
          (s, e) => used + sumCost(doc.id, entry, mergeRange(entry.ranges, range(s, e), doc.text), count) - base <= budget,
          options.focus,
        );
        if (!cut || cut.words < minWords) continue;
        next = mergeRange(entry.ranges, range(cut.start, cut.end), doc.text);
        delta = sumCost(doc.id, entry, next, count) - base;
      }
      used += delta;
      entry.ranges = next;
      docs.set(doc.id, entry);
      order++;
    }
  });
  let passages = collect(docs);
  // Blocks are joined by blank lines, which a word or token count does not see; the check below
  // keeps the promise for any counter all the same.
  while (passages.length > 0 && count(render(passages)) > budget) passages = passages.slice(0, -1);
  const text = render(passages);
  return { passages, text, used: count(text), budget };
}

/**
 * The longest run of whole words of text[start, end) that `fits` (binary search on its length),
 * placed where it holds the most `focus` matches (centred on them; earliest on ties); undefined when no word fits.
 */
function fitWords(
  text: string,
  start: number,
  end: number,
  fits: (start: number, end: number) => boolean,
  focus?: (text: string) => { start: number; end: number }[],
): { start: number; end: number; words: number } | undefined {
  const piece = text.slice(start, end);
  const words = [...piece.matchAll(/\S+/g)].map((m) => ({ start: start + m.index, end: start + m.index + m[0].length }));
  const hits = (focus?.(piece) ?? []).map((s) => s.start + start);
  const best = (n: number): { start: number; end: number } => {
    let at = 0;
    let most = -1;
    let off = Infinity;
    for (let i = 0; i + n <= words.length; i++) {
      const from = words[i].start;
      const to = words[i + n - 1].end;
      const inside = hits.filter((h) => h >= from && h < to);
      // most matches; among those, the matches nearest the middle of the run
      const centre = inside.length > 0 ? Math.abs((from + to) / 2 - inside.reduce((a, b) => a + b, 0) / inside.length) : Infinity;
      if (inside.length > most || (inside.length === most && centre < off)) {
        most = inside.length;
        off = centre;
        at = i;
      }
    }
    return { start: words[at].start, end: words[at + n - 1].end };
  };
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const r = best(mid);
    if (fits(r.start, r.end)) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? undefined : { ...best(lo), words: lo };
}

function collect(docs: Map<string, { title?: string; text: string; ranges: Range[] }>): ContextPassage[] {
  const out: (ContextPassage & { order: number })[] = [];
  for (const [id, d] of docs) {
    for (const r of d.ranges)
      out.push({
        id,
        ...(d.title !== undefined ? { title: d.title } : {}),
        start: r.start,
        end: r.end,
        text: d.text.slice(r.start, r.end),
        chunks: r.chunks,
        score: r.score,
        rank: r.rank,
        order: r.order,
      });
  }
  return out.sort((a, b) => a.order - b.order).map(({ order: _o, ...p }) => p);
}

function render(passages: readonly ContextPassage[]): string {
  return passages.map(renderPassage).join('\n\n');
}

function sumCost(id: string, d: { title?: string; text: string }, ranges: readonly Range[], count: (text: string) => number): number {
  return ranges.reduce((s, r) => s + cost(id, d, r, count), 0);
}

function cost(id: string, d: { title?: string; text: string }, r: Range, count: (text: string) => number): number {
  return count(
    renderPassage({
      id,
      title: d.title,
      start: r.start,
      end: r.end,
      text: d.text.slice(r.start, r.end),
      chunks: r.chunks,
      score: r.score,
      rank: r.rank,
    }),
  );
}

/** `ranges` with `add` united in: ranges that overlap it or touch it (only whitespace between) merge. Sorted by start. */
export function mergeRange(ranges: readonly Range[], add: Range, text: string): Range[] {
  const all = [...ranges, add].sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of all) {
    const last = out.at(-1);
    if (last && r.start <= last.end + gapLength(text, last.end, r.start)) {
      last.end = Math.max(last.end, r.end);
      last.chunks = [...new Set([...last.chunks, ...r.chunks])].sort((a, b) => a - b);
      last.score = Math.max(last.score, r.score);
      last.rank = Math.min(last.rank, r.rank);
      last.order = Math.min(last.order, r.order);
    } else out.push({ ...r, chunks: [...r.chunks] });
  }
  return out;
}

/** The length of text[from, to) when it is only whitespace, else -1 (so the ranges do not touch). */
function gapLength(text: string, from: number, to: number): number {
  if (to <= from) return 0;
  return /^\s*$/.test(text.slice(from, to)) ? to - from : -1;
}

export type { CountTokens };
