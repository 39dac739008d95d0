/**
 * FrenchAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.fr.FrenchLightStemmer): the
 * "light" French stemmer of Jacques Savoy — plural and feminine endings, a few derivational
 * suffixes, accents folded and doubled letters merged in `norm`. Ported step for step.
 */
import type { TermFilter } from '../chain.ts';
import { deleteAt, endsWith, isLetter, joinUnits, units } from './stemmer-util.ts';

function stem(s: string[], len: number): number {
  if (len > 5 && s[len - 1] === 'x') {
    if (s[len - 3] === 'a' && s[len - 2] === 'u' && s[len - 4] !== 'e') s[len - 2] = 'l';
    len--;
  }
  if (len > 3 && s[len - 1] === 'x') len--;
  if (len > 3 && s[len - 1] === 's') len--;
  if (len > 9 && endsWith(s, len, 'issement')) {
    len -= 6;
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 8 && endsWith(s, len, 'issant')) {
    len -= 4;
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 6 && endsWith(s, len, 'ement')) {
    len -= 4;
    if (len > 3 && endsWith(s, len, 'ive')) {
      len--;
      s[len - 1] = 'f';
    }
    return norm(s, len);
  }
  if (len > 11 && endsWith(s, len, 'ficatrice')) {
    len -= 5;
    s[len - 2] = 'e';
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 10 && endsWith(s, len, 'ficateur')) {
    len -= 4;
    s[len - 2] = 'e';
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 9 && endsWith(s, len, 'catrice')) {
    len -= 3;
    s[len - 4] = 'q';
    s[len - 3] = 'u';
    s[len - 2] = 'e';
    return norm(s, len);
  }
  if (len > 8 && endsWith(s, len, 'cateur')) {
    len -= 2;
    s[len - 4] = 'q';
    s[len - 3] = 'u';
    s[len - 2] = 'e';
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 8 && endsWith(s, len, 'atrice')) {
    len -= 4;
    s[len - 2] = 'e';
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 7 && endsWith(s, len, 'ateur')) {
    len -= 3;
    s[len - 2] = 'e';
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 6 && endsWith(s, len, 'trice')) {
    len--;
    s[len - 3] = 'e';
    s[len - 2] = 'u';
    s[len - 1] = 'r';
  }
  if (len > 5 && endsWith(s, len, 'i\u00e8me')) return norm(s, len - 4);
  if (len > 7 && endsWith(s, len, 'teuse')) {
    len -= 2;
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 6 && endsWith(s, len, 'teur')) {
    len--;
    s[len - 1] = 'r';
    return norm(s, len);
  }
  if (len > 5 && endsWith(s, len, 'euse')) return norm(s, len - 2);
  if (len > 8 && endsWith(s, len, '\u00e8re')) {
    len--;
    s[len - 2] = 'e';
    return norm(s, len);
  }
  if (len > 7 && endsWith(s, len, 'ive')) {
    len--;
    s[len - 1] = 'f';
    return norm(s, len);
  }
  if (len > 4 && (endsWith(s, len, 'folle') || endsWith(s, len, 'molle'))) {
    len -= 2;
    s[len - 1] = 'u';
    return norm(s, len);
  }
  if (len > 9 && endsWith(s, len, 'nnelle')) return norm(s, len - 5);
  if (len > 9 && endsWith(s, len, 'nnel')) return norm(s, len - 3);
  if (len > 4 && endsWith(s, len, '\u00e8te')) {
    len--;
    s[len - 2] = 'e';
  }
  if (len > 8 && endsWith(s, len, 'ique')) len -= 4;
  if (len > 8 && endsWith(s, len, 'esse')) return norm(s, len - 3);
  if (len > 7 && endsWith(s, len, 'inage')) return norm(s, len - 3);
  if (len > 9 && endsWith(s, len, 'isation')) {
    len -= 7;
    if (len > 5 && endsWith(s, len, 'ual')) s[len - 2] = 'e';
    return norm(s, len);
  }
  if (len > 9 && endsWith(s, len, 'isateur')) return norm(s, len - 7);
  if (len > 8 && endsWith(s, len, 'ation')) return norm(s, len - 5);
  if (len > 8 && endsWith(s, len, 'ition')) return norm(s, len - 5);
  return norm(s, len);
}

const NORM: Readonly<Record<string, string>> = {
  '\u00e0': 'a',
  '\u00e1': 'a',
  '\u00e2': 'a',
  '\u00f4': 'o',
  '\u00e8': 'e',
  '\u00e9': 'e',
  '\u00ea': 'e',
  '\u00f9': 'u',
  '\u00fb': 'u',
  '\u00ee': 'i',
  '\u00e7': 'c',
};

function norm(s: string[], len: number): number {
  if (len > 4) {
    for (let i = 0; i < len; i++) s[i] = NORM[s[i]] ?? s[i];
    let ch = s[0];
    for (let j = 1; j < len; j++) {
      if (s[j] === ch && isLetter(ch)) len = deleteAt(s, j--, len);
      else ch = s[j];
    }
  }
  if (len > 4 && endsWith(s, len, 'ie')) len -= 2;
  if (len > 4) {
    if (s[len - 1] === 'r') len--;
    if (s[len - 1] === 'e') len--;
    if (s[len - 1] === 'e') len--;
    if (s[len - 1] === s[len - 2] && isLetter(s[len - 1])) len--;
  }
  return len;
}

/** FrenchLightStemFilter. */
export const frenchLightStemFilter: TermFilter = (term) => {
  const s = units(term);
  return joinUnits(s, stem(s, s.length));
};
