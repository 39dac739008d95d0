/**
 * BulgarianAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.bg.BulgarianStemmer): the
 * light stemmer of Nakov's "BulStem" evaluation as Lucene implements it — definite articles,
 * plurals and a final vowel removed. Ported step for step.
 */
import type { TermFilter } from '../chain.ts';
import { endsWith, joinUnits, units } from './stemmer-util.ts';

function stem(s: string[], len: number): number {
  if (len < 4) return len;
  if (len > 5 && endsWith(s, len, '\u0438\u0449\u0430')) return len - 3;
  len = removeArticle(s, len);
  len = removePlural(s, len);
  if (len > 3) {
    if (endsWith(s, len, '\u044f')) len--;
    if (endsWith(s, len, '\u0430') || endsWith(s, len, '\u043e') || endsWith(s, len, '\u0435')) len--;
  }
  if (len > 4 && endsWith(s, len, '\u0435\u043d')) {
    s[len - 2] = '\u043d';
    len--;
  }
  if (len > 5 && s[len - 2] === '\u044a') {
    s[len - 2] = s[len - 1];
    len--;
  }
  return len;
}

function removeArticle(s: string[], len: number): number {
  if (len > 6 && endsWith(s, len, '\u0438\u044f\u0442')) return len - 3;
  if (len > 5 && ['\u044a\u0442', '\u0442\u043e', '\u0442\u0435', '\u0442\u0430', '\u0438\u044f'].some((x) => endsWith(s, len, x)))
    return len - 2;
  if (len > 4 && endsWith(s, len, '\u044f\u0442')) return len - 2;
  return len;
}

function removePlural(s: string[], len: number): number {
  if (len > 6) {
    if (endsWith(s, len, '\u043e\u0432\u0446\u0438')) return len - 3;
    if (endsWith(s, len, '\u043e\u0432\u0435')) return len - 3;
    if (endsWith(s, len, '\u0435\u0432\u0435')) {
      s[len - 3] = '\u0439';
      return len - 2;
    }
  }
  if (len > 5) {
    if (endsWith(s, len, '\u0438\u0449\u0430')) return len - 3;
    if (endsWith(s, len, '\u0442\u0430')) return len - 2;
    if (endsWith(s, len, '\u0446\u0438')) {
      s[len - 2] = '\u043a';
      return len - 1;
    }
    if (endsWith(s, len, '\u0437\u0438')) {
      s[len - 2] = '\u0433';
      return len - 1;
    }
    if (s[len - 3] === '\u0435' && s[len - 1] === '\u0438') {
      s[len - 3] = '\u044f';
      return len - 1;
    }
  }
  if (len > 4) {
    if (endsWith(s, len, '\u0441\u0438')) {
      s[len - 2] = '\u0445';
      return len - 1;
    }
    if (endsWith(s, len, '\u0438')) return len - 1;
  }
  return len;
}

/** BulgarianStemFilter. */
export const bulgarianStemFilter: TermFilter = (term) => {
  if (term.length < 4) return term;
  const s = units(term);
  return joinUnits(s, stem(s, s.length));
};
