/**
 * Well-formed UTF-16: no lone surrogate. A string holding one cannot be written as UTF-8, so a
 * store that encodes it (LanceDB, Postgres) would keep U+FFFD instead and two different ids
 * (`a\ud800`, `a\udbff`) would become one row while staying two in memory. Ids are therefore
 * refused unless well-formed, wherever documents enter or leave a collection.
 */
import { ShortlistError } from './errors.ts';

/** In unicode mode a surrogate pair is one code point, so this matches only a lone surrogate. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** True when `s` holds no lone surrogate (`String.prototype.isWellFormed`, ES2024). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** Throws INVALID_INPUT naming the first id that is not well-formed UTF-16. */
export function checkIds(ids: Iterable<string>, field = 'id'): void {
  let i = 0;
  for (const id of ids) {
    if (typeof id === 'string' && !isWellFormed(id)) {
      throw new ShortlistError(
        'INVALID_INPUT',
        `${field} ${JSON.stringify(id)} (item ${i}) holds a lone surrogate (not well-formed UTF-16); ids must be valid Unicode text`,
        { location: { field } },
      );
    }
    i++;
  }
}
