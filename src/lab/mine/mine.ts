/**
 * Hard-negative mining from a first stage, with a cross-encoder false-negative filter.
 *
 * Pipeline, per query (in input order, so a seed gives the same output every run):
 * 1. retrieve `rangeMax + positives` candidates from the first stage
 * 2. drop labelled positives (by id, or by identical text — with or without the title — for pairs) → `positive`
 * 3. keep ranks `rangeMin + 1 … rangeMax` of what is left                           → `range`
 * 4. score: with a scorer (any {@link Reranker}, e.g. a cross-encoder) the positives and every
 *    candidate are scored by it; without one the first stage's scores are used, and the positive's
 *    score is known only when the first stage retrieved it
 * 5. filters, each candidate counted under the first that drops it: `maxScore`, `minScore`,
 *    `absoluteMargin`, `relativeMargin` (margins against the lowest-scored positive of the query;
 *    skipped for a query whose positive score is unknown, counted in `noPositiveScore`)
 * 6. sample `numNegatives`: `top` (best rank first) or `random` (seeded), kept in rank order → `notSampled`
 */
import { ShortlistError } from '../../core/errors.ts';
import { mulberry32 } from '../../core/random.ts';
import type { Candidate, Document, Hit, Reranker } from '../../core/types.ts';
import { passesAbsoluteMargin, passesRelativeMargin, resolveMineOptions, type MineOptions, type ResolvedMineOptions } from './options.ts';

/** A query to mine for, with its labelled positives. */
export interface MineItem {
  /** Query id (for reports); optional for pairs. */
  queryId?: string;
  query: string;
  positives: { id?: string; text: string }[];
}

/** A first stage to mine from: the top `k` hits, with their documents attached. */
export type MineRetrieve = (query: string, k: number) => Promise<Hit[]>;

/** One mined passage. */
export interface MinedPassage {
  id?: string;
  text: string;
  /** 1-based rank among the candidates after labelled positives were removed (negatives only). */
  rank?: number;
  /** The score filters used: the scorer's when there is one, else the first stage's. */
  score?: number;
}

/** Why a candidate was dropped. */
export type DropReason = 'positive' | 'range' | 'maxScore' | 'minScore' | 'absoluteMargin' | 'relativeMargin' | 'notSampled';

/** The reasons, in the order they are applied. */
export const DROP_REASONS: readonly DropReason[] = Object.freeze([
  'positive',
  'range',
  'maxScore',
  'minScore',
  'absoluteMargin',
  'relativeMargin',
  'notSampled',
]);

/** What mining found for one query. */
export interface MinedQuery {
  queryId?: string;
  query: string;
  positives: MinedPassage[];
  negatives: MinedPassage[];
  /** Every dropped candidate with its reason (for audits and the filter's precision/recall). */
  dropped: { id: string; reason: DropReason; score?: number }[];
}

/** How many candidates each step removed. */
export interface MineSummary {
  queries: number;
  /** Queries that got at least one negative / all `numNegatives`. */
  queriesWithNegatives: number;
  queriesFull: number;
  /** Queries whose positive score was unknown (no scorer and the positive not retrieved): margins skipped. */
  noPositiveScore: number;
  /** Candidates retrieved in all. */
  candidates: number;
  removed: Record<DropReason, number>;
  /** Negatives kept. */
  negatives: number;
  /** Scorer name, or null when the first stage's scores were used. */
  scorer: string | null;
}

/** Options of {@link mineHardNegatives}: the mining knobs plus the scorer. */
export interface MineRunOptions extends MineOptions {
  /** Rescores positives and candidates (a cross-encoder as false-negative filter / teacher). @default none */
  scorer?: Reranker;
  /** Called after each query. */
  onProgress?: (done: number, total: number) => void;
}

/** The text a document is mined as: `title text` (the title when there is one). */
export function passageText(d: Pick<Document, 'title' | 'text'>): string {
  return d.title ? `${d.title} ${d.text}` : d.text;
}

/** Mines every item (see the module comment). */
export async function mineHardNegatives(
  items: readonly MineItem[],
  retrieve: MineRetrieve,
  options: MineRunOptions = {},
): Promise<{ queries: MinedQuery[]; summary: MineSummary; options: ResolvedMineOptions }> {
  const { scorer, onProgress, ...knobs } = options;
  const o = resolveMineOptions(knobs);
  const rand = mulberry32(o.seed);
  const removed = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  const summary: MineSummary = {
    queries: items.length,
    queriesWithNegatives: 0,
    queriesFull: 0,
    noPositiveScore: 0,
    candidates: 0,
    removed,
    negatives: 0,
    scorer: scorer?.name ?? null,
  };
  const out: MinedQuery[] = [];
  for (const item of items) {
    if (item.positives.length === 0)
      throw new ShortlistError(
        'INVALID_INPUT',
        `query ${item.queryId ?? JSON.stringify(item.query)} has no positive; every mined query needs at least one`,
      );
    const mined = await mineOne(item, retrieve, o, rand, scorer);
    summary.candidates += mined.dropped.length + mined.negatives.length;
    for (const d of mined.dropped) removed[d.reason]++;
    if (mined.positives.some((p) => p.score === undefined) && hasMargin(o)) summary.noPositiveScore++;
    if (mined.negatives.length > 0) summary.queriesWithNegatives++;
    if (mined.negatives.length === o.numNegatives) summary.queriesFull++;
    summary.negatives += mined.negatives.length;
    out.push(mined);
    onProgress?.(out.length, items.length);
  }
  return { queries: out, summary, options: o };
}

async function mineOne(
  item: MineItem,
  retrieve: MineRetrieve,
  o: ResolvedMineOptions,
  rand: () => number,
  scorer?: Reranker,
): Promise<MinedQuery> {
  const hits = await retrieve(item.query, o.rangeMax + item.positives.length);
  const posIds = new Set(item.positives.map((p) => p.id).filter((id): id is string => id !== undefined));
  const posTexts = new Set(item.positives.map((p) => p.text));
  const dropped: MinedQuery['dropped'] = [];
  const firstStage = new Map<string, number>();
  const cands: { id: string; text: string; rank: number; score: number }[] = [];
  for (const h of hits) {
    const text = h.document ? passageText(h.document) : undefined;
    if (text === undefined)
      throw new ShortlistError('INTERNAL', `the first stage returned ${h.id} without its document; mining needs the text`);
    firstStage.set(h.id, h.score);
    if (posIds.has(h.id) || posTexts.has(text) || posTexts.has(h.document!.text)) {
      dropped.push({ id: h.id, reason: 'positive', score: h.score });
      continue;
    }
    cands.push({ id: h.id, text, rank: cands.length + 1, score: h.score });
  }
  const window = cands.filter((c) => {
    const inside = c.rank > o.rangeMin && c.rank <= o.rangeMax;
    if (!inside) dropped.push({ id: c.id, reason: 'range', score: c.score });
    return inside;
  });
  // scores: the scorer's for everything, or the first stage's (the positive's only when retrieved)
  const positives: MinedPassage[] = item.positives.map((p) => ({ ...(p.id !== undefined ? { id: p.id } : {}), text: p.text }));
  if (scorer) {
    const pool: Candidate[] = [
      ...positives.map((p, i) => ({ id: `\u0000positive:${i}`, text: p.text })),
      ...window.map((c) => ({ id: c.id, text: c.text })),
    ];
    const scored = new Map((await scorer.rerank(item.query, pool, pool.length)).map((h) => [h.id, h.score]));
    positives.forEach((p, i) => (p.score = scored.get(`\u0000positive:${i}`)));
    for (const c of window) c.score = scored.get(c.id) ?? -Infinity;
  } else {
    for (const h of hits) {
      const p = positives.find(
        (x) => (x.id !== undefined && x.id === h.id) || (h.document && (passageText(h.document) === x.text || h.document.text === x.text)),
      );
      if (p && p.score === undefined) p.score = firstStage.get(h.id);
    }
  }
  const known = positives.map((p) => p.score).filter((s): s is number => s !== undefined);
  const reference = known.length === positives.length ? Math.min(...known) : undefined;
  const passing = window.filter((c) => {
    const reason = dropReason(c.score, reference, o);
    if (reason) dropped.push({ id: c.id, reason, score: c.score });
    return !reason;
  });
  let chosen: typeof passing;
  if (o.samplingStrategy === 'top') chosen = passing.slice(0, o.numNegatives);
  else {
    const picked = new Set(sampleIndices(passing.length, o.numNegatives, rand));
    chosen = passing.filter((_, i) => picked.has(i));
  }
  const chosenIds = new Set(chosen.map((c) => c.id));
  for (const c of passing) if (!chosenIds.has(c.id)) dropped.push({ id: c.id, reason: 'notSampled', score: c.score });
  return {
    ...(item.queryId !== undefined ? { queryId: item.queryId } : {}),
    query: item.query,
    positives,
    negatives: chosen.map((c) => ({ id: c.id, text: c.text, rank: c.rank, score: c.score })),
    dropped,
  };
}

/** The first filter that drops a candidate with `score`, or undefined when it passes. */
function dropReason(score: number, positive: number | undefined, o: ResolvedMineOptions): DropReason | undefined {
  if (o.maxScore !== undefined && score > o.maxScore) return 'maxScore';
  if (o.minScore !== undefined && score < o.minScore) return 'minScore';
  if (positive === undefined) return undefined;
  if (o.absoluteMargin !== undefined && !passesAbsoluteMargin(score, positive, o.absoluteMargin)) return 'absoluteMargin';
  if (o.relativeMargin !== undefined && !passesRelativeMargin(score, positive, o.relativeMargin)) return 'relativeMargin';
  return undefined;
}

function hasMargin(o: ResolvedMineOptions): boolean {
  return o.absoluteMargin !== undefined || o.relativeMargin !== undefined;
}

/** `k` distinct indices of `0..n-1`, seeded (partial Fisher–Yates); all of them when `k >= n`. */
export function sampleIndices(n: number, k: number, rand: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, m);
}
