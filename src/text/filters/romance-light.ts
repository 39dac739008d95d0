/**
 * The Spanish and Italian "light" stemmers of Jacques Savoy as Lucene 8.x implements them
 * (org.apache.lucene.analysis.es.SpanishLightStemmer, org.apache.lucene.analysis.it.ItalianLightStemmer):
 * words shorter than 5 (Spanish) or 6 (Italian) units are left as they are; longer ones get their
 * accents folded and one inflectional ending removed.
 */
import type { TermFilter } from '../chain.ts';
import { joinUnits, units } from './stemmer-util.ts';

const FOLD: Readonly<Record<string, string>> = {
  '\u00e0': 'a',
  '\u00e1': 'a',
  '\u00e2': 'a',
  '\u00e4': 'a',
  '\u00f2': 'o',
  '\u00f3': 'o',
  '\u00f4': 'o',
  '\u00f6': 'o',
  '\u00e8': 'e',
  '\u00e9': 'e',
  '\u00ea': 'e',
  '\u00eb': 'e',
  '\u00f9': 'u',
  '\u00fa': 'u',
  '\u00fb': 'u',
  '\u00fc': 'u',
  '\u00ec': 'i',
  '\u00ed': 'i',
  '\u00ee': 'i',
  '\u00ef': 'i',
};

function fold(s: string[], len: number): void {
  for (let i = 0; i < len; i++) s[i] = FOLD[s[i]] ?? s[i];
}

function spanishStem(s: string[], len: number): number {
  if (len < 5) return len;
  fold(s, len);
  switch (s[len - 1]) {
    case 'a':
    case 'e':
    case 'o':
      return len - 1;
    case 's':
      if (s[len - 2] === 'e' && s[len - 3] === 's' && s[len - 4] === 'e') return len - 2;
      if (s[len - 2] === 'e' && s[len - 3] === 'c') {
        s[len - 3] = 'z';
        return len - 2;
      }
      if (s[len - 2] === 'o' || s[len - 2] === 'a' || s[len - 2] === 'e') return len - 2;
      break;
  }
  return len;
}

function italianStem(s: string[], len: number): number {
  if (len < 6) return len;
  fold(s, len);
  switch (s[len - 1]) {
    case 'e':
      return s[len - 2] === 'i' || s[len - 2] === 'h' ? len - 2 : len - 1;
    case 'i':
      return s[len - 2] === 'h' || s[len - 2] === 'i' ? len - 2 : len - 1;
    case 'a':
    case 'o':
      return s[len - 2] === 'i' ? len - 2 : len - 1;
    default:
      return len;
  }
}

/** SpanishLightStemFilter. */
export const spanishLightStemFilter: TermFilter = (term) => {
  if (term.length < 5) return term;
  const s = units(term);
  return joinUnits(s, spanishStem(s, s.length));
};

/** ItalianLightStemFilter. */
export const italianLightStemFilter: TermFilter = (term) => {
  if (term.length < 6) return term;
  const s = units(term);
  return joinUnits(s, italianStem(s, s.length));
};
