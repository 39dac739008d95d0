/**
 * Fusion as the pipeline calls it: named lists (one per retriever) and resolved options in, the
 * fused list out. Maps the name-keyed weights of the config onto the lists, then runs `rrf`
 * (Cormack, Clarke & Büttcher, SIGIR 2009) or `convex` (Bruch, Gai & Ingber, ACM TOIS 2023).
 */
import { convex } from './convex.ts';
import type { ResolvedFusion } from './config.ts';
import { rrf } from './rrf.ts';
import { invalid, type FusedHit, type RankedList } from './types.ts';

/** One retriever's list with the retriever's name (the key of the config's `weights`). */
export interface NamedList {
  name: string;
  hits: RankedList;
}

/** The weight of each list, in order: `weights[name]`, or 1 when the map does not name it. Throws on names no list has. */
export function weightsByName(weights: Readonly<Record<string, number>>, names: readonly string[]): number[] {
  for (const key of Object.keys(weights)) {
    if (!names.includes(key))
      throw invalid(`fusion.weights names "${key}", which is not a retriever of this pipeline; retrievers: ${names.join(', ')}`);
  }
  return names.map((n) => (Object.hasOwn(weights, n) ? weights[n] : 1));
}

/** Fuses `lists` with `options` (see `resolveFusion`); `sources[i]` of each hit refers to `lists[i]`. */
export function fuse(lists: readonly NamedList[], options: ResolvedFusion): FusedHit[] {
  const names = lists.map((l) => l.name);
  if (new Set(names).size !== names.length) throw invalid(`fusion: retriever names must be unique, got ${names.join(', ')}`);
  const weights = weightsByName(options.weights, names);
  const hits = lists.map((l) => l.hits);
  if (options.method === 'rrf') return rrf(hits, { k: options.k, weights });
  return convex(hits, { weights, normalizer: options.normalizer, missing: options.missing, clip: options.clip });
}
