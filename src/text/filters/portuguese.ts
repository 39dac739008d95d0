/**
 * PortugueseAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.pt.PortugueseLightStemmer):
 * the "light" Portuguese stemmer of Jacques Savoy — plural endings, feminine forms normalised to
 * the masculine, a final vowel removed, accents folded. Ported step for step.
 */
import type { TermFilter } from '../chain.ts';
import { endsWith, joinUnits, units } from './stemmer-util.ts';

const FOLD: Readonly<Record<string, string>> = {
  '\u00e0': 'a',
  '\u00e1': 'a',
  '\u00e2': 'a',
  '\u00e3': 'a',
  '\u00e4': 'a',
  '\u00f2': 'o',
  '\u00f3': 'o',
  '\u00f4': 'o',
  '\u00f5': 'o',
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
  '\u00e7': 'c',
};

function stem(s: string[], len: number): number {
  if (len < 4) return len;
  len = removeSuffix(s, len);
  if (len > 3 && s[len - 1] === 'a') len = normFeminine(s, len);
  if (len > 4 && (s[len - 1] === 'a' || s[len - 1] === 'e' || s[len - 1] === 'o')) len--;
  for (let i = 0; i < len; i++) s[i] = FOLD[s[i]] ?? s[i];
  return len;
}

function removeSuffix(s: string[], len: number): number {
  if (len > 4 && endsWith(s, len, 'es') && 'lrsz'.includes(s[len - 3])) return len - 2;
  if (len > 3 && endsWith(s, len, 'ns')) {
    s[len - 2] = 'm';
    return len - 1;
  }
  if (len > 4 && (endsWith(s, len, 'eis') || endsWith(s, len, '\u00e9is'))) {
    s[len - 3] = 'e';
    s[len - 2] = 'l';
    return len - 1;
  }
  if (len > 4 && endsWith(s, len, 'ais')) {
    s[len - 2] = 'l';
    return len - 1;
  }
  if (len > 4 && endsWith(s, len, '\u00f3is')) {
    s[len - 3] = 'o';
    s[len - 2] = 'l';
    return len - 1;
  }
  if (len > 4 && endsWith(s, len, 'is')) {
    s[len - 1] = 'l';
    return len;
  }
  if (len > 3 && (endsWith(s, len, '\u00f5es') || endsWith(s, len, '\u00e3es'))) {
    len--;
    s[len - 2] = '\u00e3';
    s[len - 1] = 'o';
    return len;
  }
  if (len > 6 && endsWith(s, len, 'mente')) return len - 5;
  if (len > 3 && s[len - 1] === 's') return len - 1;
  return len;
}

function normFeminine(s: string[], len: number): number {
  if (len > 7 && (endsWith(s, len, 'inha') || endsWith(s, len, 'iaca') || endsWith(s, len, 'eira'))) {
    s[len - 1] = 'o';
    return len;
  }
  if (len > 6) {
    if (['osa', 'ica', 'ida', 'ada', 'iva', 'ama'].some((x) => endsWith(s, len, x))) {
      s[len - 1] = 'o';
      return len;
    }
    if (endsWith(s, len, 'ona')) {
      s[len - 3] = '\u00e3';
      s[len - 2] = 'o';
      return len - 1;
    }
    if (endsWith(s, len, 'ora')) return len - 1;
    if (endsWith(s, len, 'esa')) {
      s[len - 3] = '\u00ea';
      return len - 1;
    }
    if (endsWith(s, len, 'na')) {
      s[len - 1] = 'o';
      return len;
    }
  }
  return len;
}

/** PortugueseLightStemFilter. */
export const portugueseLightStemFilter: TermFilter = (term) => {
  if (term.length < 4) return term;
  const s = units(term);
  return joinUnits(s, stem(s, s.length));
};
