/**
 * Lucene's ElisionFilter (org.apache.lucene.analysis.util.ElisionFilter): when the part of a term
 * before its first `'` or `’` is one of the language's articles (compared case-insensitively),
 * the term becomes what follows the apostrophe: `l'avion` → `avion`.
 */
import type { TermFilter } from '../chain.ts';
import { lowerCase } from '../lowercase.ts';

/** ElisionFilter with `articles` (lowercase), case-insensitive as Lucene's analyzers build them. */
export function elisionFilter(articles: readonly string[]): TermFilter {
  const set = new Set(articles);
  return (term) => {
    let index = -1;
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      if (c === 39 || c === 0x2019) {
        index = i;
        break;
      }
    }
    return index >= 0 && set.has(lowerCase(term.slice(0, index))) ? term.slice(index + 1) : term;
  };
}

/** FrenchAnalyzer.DEFAULT_ARTICLES. */
export const FRENCH_ARTICLES = ['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu'];
/** ItalianAnalyzer's DEFAULT_ARTICLES. */
export const ITALIAN_ARTICLES = [
  'c',
  'l',
  'all',
  'dall',
  'dell',
  'nell',
  'sull',
  'coll',
  'pell',
  'gl',
  'agl',
  'dagl',
  'degl',
  'negl',
  'sugl',
  'un',
  'm',
  't',
  's',
  'v',
  'd',
];
/** CatalanAnalyzer's DEFAULT_ARTICLES. */
export const CATALAN_ARTICLES = ['d', 'l', 'm', 'n', 's', 't'];
/** IrishAnalyzer's DEFAULT_ARTICLES. */
export const IRISH_ARTICLES = ['d', 'm', 'b'];
