/**
 * A collection's fingerprint: everything that decides what its stored vectors and terms mean.
 * Stored when the collection is created; opening it with a different fingerprint fails and says
 * which entries differ.
 */
import { ShortlistError } from '../core/errors.ts';
import type { ChunkOptions } from '../text/chunk.ts';

/** One model a collection depends on. */
export interface ModelRef {
  /** Hub id or local folder name, e.g. `BAAI/bge-small-en-v1.5`. */
  id: string;
  /** Hub revision (commit) or file hash. */
  revision?: string;
  /** Output components, when the model embeds. */
  dims?: number;
  /** Whether outputs are L2-normalised. */
  normalize?: boolean;
}

/** Models (by role: `dense`, `colbert`, …), analyzer id and chunking settings. */
export interface Fingerprint {
  models: Record<string, ModelRef>;
  /** Analyzer id with version, e.g. `english@1`. */
  analyzer: string;
  /** Chunking settings plus the tokenizer that counts tokens (`words` for the fallback). */
  chunking: ChunkOptions & { tokenizer?: string };
}

/** The paths where two JSON values differ, as `path: stored X, given Y` lines. */
export function diffJson(stored: unknown, given: unknown, path = ''): string[] {
  if (isObject(stored) && isObject(given)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(given)])].sort();
    return keys.flatMap((k) => diffJson(stored[k], given[k], path ? `${path}.${k}` : k));
  }
  if (canonicalJson(stored) === canonicalJson(given)) return [];
  return [`${path || '(root)'}: stored ${show(stored)}, given ${show(given)}`];
}

/** Throws INDEX_MISMATCH naming every difference unless `given` equals `stored`. */
export function checkFingerprint(stored: Fingerprint, given: Fingerprint, where: string): void {
  const diffs = diffJson(stored, given);
  if (diffs.length === 0) return;
  throw new ShortlistError(
    'INDEX_MISMATCH',
    `the collection at ${where} was built with a different configuration: ${diffs.join('; ')}. ` +
      'Use the models, analyzer and chunking it was built with, or build a new collection in another directory.',
  );
}

/** JSON with object keys sorted, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .filter((k) => v[k] !== undefined)
              .map((k) => [k, v[k]]),
          )
        : v,
    ) ?? 'undefined'
  );
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : canonicalJson(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
