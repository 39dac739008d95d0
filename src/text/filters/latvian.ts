/**
 * LatvianAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.lv.LatvianStemmer): the
 * light stemmer of Kreslins — the first matching noun/adjective ending (with a minimum vowel
 * count) removed, then palatalised consonants undone where the ending caused them.
 */
import type { TermFilter } from '../chain.ts';
import { endsWith, joinUnits, units } from './stemmer-util.ts';

/** [ending, vowels the word needs more than, whether removing it palatalised the consonant]. */
const AFFIXES: readonly (readonly [string, number, boolean])[] = [
  ['ajiem', 3, false],
  ['ajai', 3, false],
  ['ajam', 2, false],
  ['aj\u0101m', 2, false],
  ['ajos', 2, false],
  ['aj\u0101s', 2, false],
  ['iem', 2, true],
  ['aj\u0101', 2, false],
  ['ais', 2, false],
  ['ai', 2, false],
  ['ei', 2, false],
  ['\u0101m', 1, false],
  ['am', 1, false],
  ['\u0113m', 1, false],
  ['\u012bm', 1, false],
  ['im', 1, false],
  ['um', 1, false],
  ['us', 1, true],
  ['as', 1, false],
  ['\u0101s', 1, false],
  ['es', 1, false],
  ['os', 1, true],
  ['ij', 1, false],
  ['\u012bs', 1, false],
  ['\u0113s', 1, false],
  ['is', 1, false],
  ['ie', 1, false],
  ['u', 1, true],
  ['a', 1, true],
  ['i', 1, true],
  ['e', 1, false],
  ['\u0101', 1, false],
  ['\u0113', 1, false],
  ['\u012b', 1, false],
  ['\u016b', 1, false],
  ['o', 1, false],
  ['s', 0, false],
  ['\u0161', 0, false],
];
const VOWELS = 'aeiou\u0101\u0113\u012b\u016b';

function unpalatalize(s: string[], len: number): number {
  if (s[len] === 'u') {
    if (endsWith(s, len, 'k\u0161')) {
      len++;
      s[len - 2] = 's';
      s[len - 1] = 't';
      return len;
    }
    if (endsWith(s, len, '\u0146\u0146')) {
      s[len - 2] = s[len - 1] = 'n';
      return len;
    }
  }
  if (endsWith(s, len, 'pj') || endsWith(s, len, 'bj') || endsWith(s, len, 'mj') || endsWith(s, len, 'vj')) return len - 1;
  const pairs: readonly [string, string, string][] = [
    ['\u0161\u0146', 's', 'n'],
    ['\u017e\u0146', 'z', 'n'],
    ['\u0161\u013c', 's', 'l'],
    ['\u017e\u013c', 'z', 'l'],
    ['\u013c\u0146', 'l', 'n'],
    ['\u013c\u013c', 'l', 'l'],
  ];
  for (const [end, a, b] of pairs) {
    if (endsWith(s, len, end)) {
      s[len - 2] = a;
      s[len - 1] = b;
      return len;
    }
  }
  if (s[len - 1] === '\u010d') s[len - 1] = 'c';
  else if (s[len - 1] === '\u013c') s[len - 1] = 'l';
  else if (s[len - 1] === '\u0146') s[len - 1] = 'n';
  return len;
}

/** LatvianStemFilter. */
export const latvianStemFilter: TermFilter = (term) => {
  const s = units(term);
  let len = s.length;
  let vowels = 0;
  for (let i = 0; i < len; i++) if (VOWELS.includes(s[i])) vowels++;
  for (const [affix, vc, palatalizes] of AFFIXES) {
    if (vowels > vc && len >= affix.length + 3 && endsWith(s, len, affix)) {
      len -= affix.length;
      return joinUnits(s, palatalizes ? unpalatalize(s, len) : len);
    }
  }
  return term;
};
