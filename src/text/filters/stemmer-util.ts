/**
 * Helpers for stemmers ported from Lucene's hand-written Java ones (Lucene's `StemmerUtil`): they
 * work on a term's UTF-16 units in an array plus a length, as the Java code works on its char
 * buffer, so each port can follow its original step by step.
 */

/** The term's UTF-16 units, one string each. */
export function units(term: string): string[] {
  return term.split('');
}

/** The first `len` units joined back into a term. */
export function joinUnits(s: readonly string[], len: number): string {
  return (len === s.length ? s : s.slice(0, len)).join('');
}

/** Whether the first `len` units of `s` end with `suffix`. */
export function endsWith(s: readonly string[], len: number, suffix: string): boolean {
  const n = suffix.length;
  if (n > len) return false;
  for (let i = n - 1; i >= 0; i--) if (s[len - (n - i)] !== suffix[i]) return false;
  return true;
}

/** Whether the first `len` units of `s` start with `prefix`. */
export function startsWith(s: readonly string[], len: number, prefix: string): boolean {
  const n = prefix.length;
  if (n > len) return false;
  for (let i = 0; i < n; i++) if (s[i] !== prefix[i]) return false;
  return true;
}

/** Deletes the unit at `pos` (shifting the rest of the first `len` left); returns the new length. */
export function deleteAt(s: string[], pos: number, len: number): number {
  for (let i = pos; i < len - 1; i++) s[i] = s[i + 1];
  return len - 1;
}

/** Deletes `n` units at `pos`; returns the new length. */
export function deleteN(s: string[], pos: number, len: number, n: number): number {
  for (let i = pos; i + n < len; i++) s[i] = s[i + n];
  return len - n;
}

const LETTER = /^\p{L}$/u;

/** Java's `Character.isLetter(char)` on one UTF-16 unit (a lone surrogate is not a letter). */
export function isLetter(unit: string): boolean {
  return LETTER.test(unit);
}
