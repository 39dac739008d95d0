/**
 * CzechAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.cz.CzechStemmer): the light
 * stemmer of Dolamic and Savoy — case endings, possessives, then consonant normalisation.
 * Ported step for step.
 */
import type { TermFilter } from '../chain.ts';
import { endsWith, joinUnits, units } from './stemmer-util.ts';

const CASE_3 = [
  'ech',
  'ich',
  '\u00edch',
  '\u00e9ho',
  '\u011bmi',
  'emi',
  '\u00e9mu',
  '\u011bte',
  'ete',
  '\u011bti',
  'eti',
  '\u00edho',
  'iho',
  '\u00edmi',
  '\u00edmu',
  'imu',
  '\u00e1ch',
  'ata',
  'aty',
  '\u00fdch',
  'ama',
  'ami',
  'ov\u00e9',
  'ovi',
  '\u00fdmi',
];
const CASE_2 = ['em', 'es', '\u00e9m', '\u00edm', '\u016fm', 'at', '\u00e1m', 'os', 'us', '\u00fdm', 'mi', 'ou'];
const CASE_1 = 'aeiouy\u00e1\u00e9\u00ed\u00fd\u011b\u016f';

function removeCase(s: string[], len: number): number {
  if (len > 7 && endsWith(s, len, 'atech')) return len - 5;
  if (len > 6 && (endsWith(s, len, '\u011btem') || endsWith(s, len, 'etem') || endsWith(s, len, 'at\u016fm'))) return len - 4;
  if (len > 5 && CASE_3.some((x) => endsWith(s, len, x))) return len - 3;
  if (len > 4 && CASE_2.some((x) => endsWith(s, len, x))) return len - 2;
  if (len > 3 && CASE_1.includes(s[len - 1])) return len - 1;
  return len;
}

function removePossessives(s: string[], len: number): number {
  if (len > 5 && (endsWith(s, len, 'ov') || endsWith(s, len, 'in') || endsWith(s, len, '\u016fv'))) return len - 2;
  return len;
}

function normalize(s: string[], len: number): number {
  if (endsWith(s, len, '\u010dt')) {
    s[len - 2] = 'c';
    s[len - 1] = 'k';
    return len;
  }
  if (endsWith(s, len, '\u0161t')) {
    s[len - 2] = 's';
    s[len - 1] = 'k';
    return len;
  }
  switch (s[len - 1]) {
    case 'c':
    case '\u010d':
      s[len - 1] = 'k';
      return len;
    case 'z':
    case '\u017e':
      s[len - 1] = 'h';
      return len;
  }
  if (len > 1 && s[len - 2] === 'e') {
    s[len - 2] = s[len - 1];
    return len - 1;
  }
  if (len > 2 && s[len - 2] === '\u016f') {
    s[len - 2] = 'o';
    return len;
  }
  return len;
}

/** CzechStemFilter. */
export const czechStemFilter: TermFilter = (term) => {
  const s = units(term);
  let len = removePossessives(s, removeCase(s, s.length));
  if (len > 0) len = normalize(s, len);
  return joinUnits(s, len);
};
