/**
 * Training data for the adapter from a mined file in any exported layout (triplet, n-tuple,
 * FlagEmbedding, margin-mse): rows are grouped by query text into {query, positives, negatives},
 * every distinct passage text gets one index, and a seeded split holds out whole queries for dev.
 */
import { ShortlistError } from '../../core/errors.ts';
import { readJsonl } from '../../core/jsonl.ts';
import { mulberry32 } from '../../core/random.ts';
import { shuffle } from './train.ts';

/** One query's texts. */
export interface TextGroup {
  query: string;
  positives: number[];
  negatives: number[];
}

/** Grouped rows and the passage table. */
export interface TextData {
  groups: TextGroup[];
  passages: string[];
}

/** Reads a mined JSONL file (any exported layout) into groups over one passage table (shared with `into`). */
export async function readTrainingFile(file: string, into: TextData = { groups: [], passages: [] }): Promise<TextData> {
  const index = new Map(into.passages.map((p, i) => [p, i]));
  const id = (t: string) => {
    let i = index.get(t);
    if (i === undefined) {
      i = into.passages.length;
      into.passages.push(t);
      index.set(t, i);
    }
    return i;
  };
  const groups = new Map<string, TextGroup>();
  const before = into.groups.length;
  for await (const { value, line } of readJsonl(file)) {
    const r = value as Record<string, unknown>;
    const query = (r?.anchor ?? r?.query) as unknown;
    const pos = Array.isArray(r?.pos) ? r.pos : [r?.positive];
    const neg = Array.isArray(r?.neg)
      ? r.neg
      : Object.keys(r ?? {})
          .filter((k) => k === 'negative' || /^negative_\d+$/.test(k))
          .map((k) => r[k]);
    if (typeof query !== 'string' || pos.length === 0 || ![...pos, ...neg].every((t) => typeof t === 'string')) {
      throw new ShortlistError(
        'INVALID_INPUT',
        'expected a mined row: {anchor, positive, negative…}, {query, pos, neg} or {query, positive, negative, score}',
        { location: { file, line } },
      );
    }
    let g = groups.get(query);
    if (!g) {
      g = { query, positives: [], negatives: [] };
      groups.set(query, g);
    }
    for (const t of pos as string[]) if (!g.positives.includes(id(t))) g.positives.push(id(t));
    for (const t of neg as string[]) if (!g.negatives.includes(id(t))) g.negatives.push(id(t));
  }
  into.groups.push(...groups.values());
  if (into.groups.length === before) throw new ShortlistError('EMPTY_INPUT', `${file} holds no rows`);
  return into;
}

/** Splits groups into train and dev, holding out `fraction` of the queries (seeded, at least one each). */
export function splitGroups(groups: readonly TextGroup[], fraction: number, seed: number): { train: TextGroup[]; dev: TextGroup[] } {
  if (!(fraction > 0 && fraction < 1)) throw new ShortlistError('INVALID_ARGUMENT', `--dev-fraction must be in (0, 1), got ${fraction}`);
  if (groups.length < 2)
    throw new ShortlistError('EMPTY_INPUT', 'need at least two queries to hold one out for dev; mine more or pass --dev');
  const order = shuffle(
    groups.map((_, i) => i),
    mulberry32(seed),
  );
  const nDev = Math.min(groups.length - 1, Math.max(1, Math.round(groups.length * fraction)));
  const dev = new Set(order.slice(0, nDev));
  return { train: groups.filter((_, i) => !dev.has(i)), dev: groups.filter((_, i) => dev.has(i)) };
}
