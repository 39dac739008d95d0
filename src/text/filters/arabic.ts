/**
 * The Arabic-script steps of Lucene 8.x (org.apache.lucene.analysis.ar, .fa, .core):
 * DecimalDigitFilter (any Unicode decimal digit → ASCII), ArabicNormalizationFilter (alef forms →
 * alef, dotless yeh → yeh, teh marbuta → heh; tatweel and harakat removed), ArabicStemFilter
 * (Larkey's light stemmer: one prefix, then suffixes), PersianNormalizationFilter (Farsi yeh,
 * keheh, heh forms; hamza above removed) and PersianCharFilter (ZWNJ → space before tokenizing).
 */
import type { TermFilter } from '../chain.ts';
import { joinUnits, units } from './stemmer-util.ts';

const ND = /\p{Nd}/u;

/** The numeric value of decimal digit `cp`: Unicode puts each 0–9 run contiguously. */
function digitValue(cp: number): number {
  let k = 0;
  while (k < 9 && ND.test(String.fromCodePoint(cp - k - 1))) k++;
  return k;
}

/** DecimalDigitFilter: every non-ASCII decimal digit (`Character.isDigit`) becomes its ASCII digit. */
export const decimalDigitFilter: TermFilter = (term) => {
  let ascii = true;
  for (let i = 0; i < term.length; i++) {
    if (term.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii || !ND.test(term)) return term;
  let out = '';
  for (const ch of term) {
    const cp = ch.codePointAt(0) as number;
    out += cp > 127 && ND.test(ch) ? String(digitValue(cp) % 10) : ch;
  }
  return out;
};

const ARABIC_NORM: Readonly<Record<string, string>> = {
  '\u0622': '\u0627',
  '\u0623': '\u0627',
  '\u0625': '\u0627',
  '\u0649': '\u064a',
  '\u0629': '\u0647',
  '\u0640': '',
  '\u064b': '',
  '\u064c': '',
  '\u064d': '',
  '\u064e': '',
  '\u064f': '',
  '\u0650': '',
  '\u0651': '',
  '\u0652': '',
};
const ARABIC_NORM_CHARS = /[\u0622\u0623\u0625\u0649\u0629\u0640\u064b-\u0652]/g;

/** ArabicNormalizationFilter. */
export const arabicNormalizationFilter: TermFilter = (term) => term.replace(ARABIC_NORM_CHARS, (c) => ARABIC_NORM[c]);

const PREFIXES = [
  '\u0627\u0644',
  '\u0648\u0627\u0644',
  '\u0628\u0627\u0644',
  '\u0643\u0627\u0644',
  '\u0641\u0627\u0644',
  '\u0644\u0644',
  '\u0648',
];
const SUFFIXES = [
  '\u0647\u0627',
  '\u0627\u0646',
  '\u0627\u062a',
  '\u0648\u0646',
  '\u064a\u0646',
  '\u064a\u0647',
  '\u064a\u0629',
  '\u0647',
  '\u0629',
  '\u064a',
];

function startsWithCheckLength(s: readonly string[], len: number, prefix: string): boolean {
  if (prefix.length === 1 && len < 4) return false;
  if (len < prefix.length + 2) return false;
  for (let i = 0; i < prefix.length; i++) if (s[i] !== prefix[i]) return false;
  return true;
}

function endsWithCheckLength(s: readonly string[], len: number, suffix: string): boolean {
  if (len < suffix.length + 2) return false;
  for (let i = 0; i < suffix.length; i++) if (s[len - suffix.length + i] !== suffix[i]) return false;
  return true;
}

/** ArabicStemFilter (ArabicStemmer). */
export const arabicStemFilter: TermFilter = (term) => {
  let s = units(term);
  let len = s.length;
  for (const prefix of PREFIXES) {
    if (startsWithCheckLength(s, len, prefix)) {
      s = s.slice(prefix.length);
      len -= prefix.length;
      break;
    }
  }
  for (const suffix of SUFFIXES) if (endsWithCheckLength(s, len, suffix)) len -= suffix.length;
  return joinUnits(s, len);
};

const PERSIAN_NORM: Readonly<Record<string, string>> = {
  '\u06cc': '\u064a',
  '\u06d2': '\u064a',
  '\u06a9': '\u0643',
  '\u06c0': '\u0647',
  '\u06c1': '\u0647',
  '\u0654': '',
};
const PERSIAN_NORM_CHARS = /[\u06cc\u06d2\u06a9\u06c0\u06c1\u0654]/g;

/** PersianNormalizationFilter. */
export const persianNormalizationFilter: TermFilter = (term) => term.replace(PERSIAN_NORM_CHARS, (c) => PERSIAN_NORM[c]);

/** PersianCharFilter: zero-width non-joiners become spaces before tokenizing. */
export function persianCharFilter(text: string): string {
  return text.includes('\u200c') ? text.replaceAll('\u200c', ' ') : text;
}
