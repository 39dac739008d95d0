/**
 * GermanAnalyzer's normalisation and stemming (Lucene 8.x, org.apache.lucene.analysis.de):
 * GermanNormalizationFilter (ä ö ü → a o u, ß → ss, and the `ae` `oe` `ue` spellings folded the
 * same way: an `e` after `a`, `o` or a non-leading-`q` `u` goes) and GermanLightStemFilter (the
 * "light" stemmer of Jacques Savoy: accents folded, then two rounds of suffix stripping).
 */
import type { TermFilter } from '../chain.ts';

/** GermanNormalizationFilter. */
export const germanNormalizationFilter: TermFilter = (term) => {
  let out = '';
  let state = 0; // 0: start or after other, 1: after a vowel that keeps a following e, 2: after a, o or u
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    switch (c) {
      case 'a':
      case 'o':
        state = 2;
        break;
      case 'u':
        state = state === 0 ? 2 : 1;
        break;
      case 'e':
        if (state === 2) {
          state = 1;
          continue; // deleted
        }
        state = 1;
        break;
      case 'i':
      case 'q':
      case 'y':
        state = 1;
        break;
      case '\u00e4':
        out += 'a';
        state = 1;
        continue;
      case '\u00f6':
        out += 'o';
        state = 1;
        continue;
      case '\u00fc':
        out += 'u';
        state = 1;
        continue;
      case '\u00df':
        out += 'ss';
        state = 0;
        continue;
      default:
        state = 0;
    }
    out += c;
  }
  return out;
};

const FOLD: Readonly<Record<string, string>> = {
  '\u00e0': 'a',
  '\u00e1': 'a',
  '\u00e2': 'a',
  '\u00e4': 'a',
  '\u00f2': 'o',
  '\u00f3': 'o',
  '\u00f4': 'o',
  '\u00f6': 'o',
  '\u00ec': 'i',
  '\u00ed': 'i',
  '\u00ee': 'i',
  '\u00ef': 'i',
  '\u00f9': 'u',
  '\u00fa': 'u',
  '\u00fb': 'u',
  '\u00fc': 'u',
};
const FOLDABLE = /[\u00e0-\u00e2\u00e4\u00f2-\u00f4\u00f6\u00ec-\u00ef\u00f9-\u00fc]/g;

function stEnding(ch: string): boolean {
  return 'bdfghklmnt'.includes(ch) && ch.length === 1;
}

function step1(s: string, len: number): number {
  if (len > 5 && s[len - 3] === 'e' && s[len - 2] === 'r' && s[len - 1] === 'n') return len - 3;
  if (len > 4 && s[len - 2] === 'e' && 'mnrs'.includes(s[len - 1])) return len - 2;
  if (len > 3 && s[len - 1] === 'e') return len - 1;
  if (len > 3 && s[len - 1] === 's' && stEnding(s[len - 2])) return len - 1;
  return len;
}

function step2(s: string, len: number): number {
  if (len > 5 && s[len - 3] === 'e' && s[len - 2] === 's' && s[len - 1] === 't') return len - 3;
  if (len > 4 && s[len - 2] === 'e' && (s[len - 1] === 'r' || s[len - 1] === 'n')) return len - 2;
  if (len > 4 && s[len - 2] === 's' && s[len - 1] === 't' && stEnding(s[len - 3])) return len - 2;
  return len;
}

/** GermanLightStemFilter (GermanLightStemmer). */
export const germanLightStemFilter: TermFilter = (term) => {
  const s = term.replace(FOLDABLE, (c) => FOLD[c]);
  const len = step2(s, step1(s, s.length));
  return len === s.length ? s : s.slice(0, len);
};
