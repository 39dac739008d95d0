/**
 * Optional bearer-token authentication. Keys come from an environment variable or a file (one key
 * per line or comma-separated); they are hashed once and compared as SHA-256 digests with
 * `timingSafeEqual`, every key checked on every request, so timing reveals neither a key's length
 * nor how much of it matched. Keys are never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ShortlistError } from '../core/errors.ts';

/** Keys from `process.env[name]` (comma-separated); an unset or empty variable is an error naming it. */
export function keysFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const keys = splitKeys(env[name] ?? '');
  if (keys.length === 0)
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `--api-key-env ${name}: the environment variable ${name} is unset or empty; set it to one or more comma-separated keys`,
    );
  return keys;
}

/** Keys from a file: one per line or comma-separated; blank lines and `#` comments skipped. */
export function keysFromFile(path: string): string[] {
  if (!existsSync(path)) throw new ShortlistError('NOT_FOUND', `--api-key-file ${path} does not exist`);
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => !l.trim().startsWith('#'));
  const keys = splitKeys(lines.join(','));
  if (keys.length === 0) throw new ShortlistError('INVALID_ARGUMENT', `--api-key-file ${path} holds no keys; write one key per line`);
  return keys;
}

function splitKeys(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

/** Checks `Authorization: Bearer <key>` headers against a fixed set of keys in constant time. */
export class KeyChecker {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }

  /** True when keys are configured (requests must then authenticate). */
  get enabled(): boolean {
    return this.#digests.length > 0;
  }

  /** Throws UNAUTHORIZED unless `header` is `Bearer <a configured key>` (always true when no keys are configured). */
  check(header: string | undefined): void {
    if (!this.enabled) return;
    const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
    if (!match) throw new ShortlistError('UNAUTHORIZED', 'missing API key: send the header "Authorization: Bearer <key>"');
    const given = digest(match[1].trim());
    let ok = false;
    for (const d of this.#digests) ok = timingSafeEqual(d, given) || ok; // no early exit
    if (!ok) throw new ShortlistError('UNAUTHORIZED', 'invalid API key');
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
