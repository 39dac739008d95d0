/**
 * Synchronous loading of a package on first use, for modules that must not pay a package's load
 * time at import (zod, the Hugging Face tokenizers) but use it from synchronous code.
 *
 * Where Node can `require()` an ES module (`process.features.require_module`: Node ≥ 20.19, 22.12),
 * the package's ES entry is required, which is the same module instance an `import` of it gets (one
 * zod in the process, whoever loads it first). Older Node requires the package's CommonJS build.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const loaded = new Map<string, unknown>();

/** The module `name` (a package this package depends on), loaded on the first call. */
export function requireEsm<T>(name: string): T {
  let mod = loaded.get(name);
  if (mod === undefined) {
    const features = process.features as { require_module?: boolean };
    mod = features.require_module ? require(fileURLToPath(import.meta.resolve(name))) : require(name);
    loaded.set(name, mod);
  }
  return mod as T;
}
