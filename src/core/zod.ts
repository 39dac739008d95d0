/**
 * The one way src/ reaches zod: {@link zod} loads it on first use and {@link lazySchema} builds a
 * schema on first use, so importing shortlist (for BM25 and evaluation, say) never loads zod, whose
 * load alone costs more than the rest of a BM25 start. Elsewhere in src/, `import type { z } from 'zod'`
 * only (`test/package/lazy-imports.test.ts` fails on a value import).
 */
import type * as Zod from 'zod';
import { requireEsm } from './require-esm.ts';

/** zod's `z` namespace. */
export type ZodNamespace = typeof Zod.z;

/** zod's `z`, loaded on the first call (the same instance an `import 'zod'` gets; see `requireEsm`). */
export function zod(): ZodNamespace {
  return requireEsm<typeof Zod>('zod').z;
}

/**
 * A schema built by `build` on first use: the returned object stands for the schema (parse it,
 * compose it, read its `shape`, infer its type), and the first access to any of its members builds
 * it once. Methods are bound to the built schema, so schemas composed from it hold the built one.
 */
export function lazySchema<T extends object>(build: (z: ZodNamespace) => T): T {
  let built: T | undefined;
  const schema = (): T => (built ??= build(zod()));
  return new Proxy({} as T, {
    get(_, key) {
      const s = schema();
      const value = Reflect.get(s, key, s);
      return typeof value === 'function' && key !== 'constructor' ? value.bind(s) : value;
    },
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor(_, key) {
      const d = Reflect.getOwnPropertyDescriptor(schema(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_, key, d) => Reflect.defineProperty(schema(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}
