/** Flag value parsers that fail with a message naming the flag. */
import { ShortlistError } from '../core/errors.ts';

/** A parser for a positive whole number flag. */
export function parsePositiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a positive whole number, got "${value}"`);
    return n;
  };
}

/** A parser for a finite number flag. */
export function parseNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a number, got "${value}"`);
    return n;
  };
}

/** A parser for a comma-separated list flag. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
