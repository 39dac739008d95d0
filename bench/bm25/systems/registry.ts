/** The JavaScript systems the bench can run in-process, loaded lazily by name. */
import type { BenchSystem } from './types.ts';

/** Factories by name; Lucene is not here (it runs as a Java process, see lucene.ts). */
export const JS_SYSTEMS = Object.freeze({
  shortlist: async () => (await import('./shortlist.ts')).createShortlist(),
  wink: async () => (await import('./wink.ts')).createWink(),
  minisearch: async () => (await import('./minisearch.ts')).createMiniSearch(),
  orama: async () => (await import('./orama.ts')).createOrama(),
} as const);

/** Every system name `--systems` accepts, in table order. */
export const ALL_SYSTEMS = ['shortlist', 'lucene', 'wink', 'minisearch', 'orama'] as const;

/** A fresh instance of the named JavaScript system. */
export async function createSystem(name: string): Promise<BenchSystem> {
  const factory = (JS_SYSTEMS as Record<string, () => Promise<BenchSystem>>)[name];
  if (!factory) throw new Error(`unknown bench system "${name}"; valid: ${Object.keys(JS_SYSTEMS).join(', ')}`);
  return factory();
}
