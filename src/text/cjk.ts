/**
 * The `cjk` analyzer: Lucene 8.x's CJKAnalyzer (org.apache.lucene.analysis.cjk), for Chinese,
 * Japanese and Korean text without a dictionary. Its chain:
 *
 * 1. StandardTokenizer — Han and Hiragana characters one token each, Katakana and Hangul runs
 * 2. CJKWidthFilter — full-width ASCII to ASCII, half-width Katakana to full width (voiced marks
 *    combined)
 * 3. LowerCaseFilter
 * 4. CJKBigramFilter — every run of adjacent CJK tokens (no gap in the text between them) becomes
 *    the bigrams of its characters; a run of one character stays a unigram; other tokens pass
 * 5. StopFilter — CJKAnalyzer's 35 (English) stop words
 */
import type { Analyzer } from './analyzer.ts';
import { stopWords } from './filters/stop.ts';
import { lowerCase } from './lowercase.ts';
import { tokenize } from './tokenize.ts';

// CJKWidthFilter's table for U+FF65..U+FF9F (half-width Katakana and marks).
const KANA_NORM = [
  0x30fb, 0x30f2, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5, 0x30e7, 0x30c3, 0x30fc, 0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa,
  0x30ab, 0x30ad, 0x30af, 0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd, 0x30bf, 0x30c1, 0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb,
  0x30cc, 0x30cd, 0x30ce, 0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df, 0x30e0, 0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9,
  0x30ea, 0x30eb, 0x30ec, 0x30ed, 0x30ef, 0x30f3, 0x3099, 0x309a,
];
// What a voiced (U+FF9E) or semi-voiced (U+FF9F) mark adds to the Katakana U+30A6..U+30FD before it.
const KANA_COMBINE_VOICED = [
  78, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0,
  0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
];
const KANA_COMBINE_HALF_VOICED = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0,
  0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/** CJKWidthFilter. */
export function cjkWidth(term: string): string {
  let changed = false;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff9f) {
      changed = true;
      break;
    }
  }
  if (!changed) return term;
  const s: number[] = [];
  for (let i = 0; i < term.length; i++) s.push(term.charCodeAt(i));
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch >= 0xff01 && ch <= 0xff5e) s[i] = ch - 0xfee0;
    else if (ch >= 0xff65 && ch <= 0xff9f) {
      if ((ch === 0xff9e || ch === 0xff9f) && i > 0 && combine(s, i, ch)) s.splice(i--, 1);
      else s[i] = KANA_NORM[ch - 0xff65];
    }
  }
  return String.fromCharCode(...s);
}

function combine(s: number[], pos: number, ch: number): boolean {
  const prev = s[pos - 1];
  if (prev >= 0x30a6 && prev <= 0x30fd) {
    s[pos - 1] += ch === 0xff9f ? KANA_COMBINE_HALF_VOICED[prev - 0x30a6] : KANA_COMBINE_VOICED[prev - 0x30a6];
    return s[pos - 1] !== prev;
  }
  return false;
}

/**
 * StandardTokenizer token types CJKBigramFilter joins: IDEOGRAPHIC, HIRAGANA, KATAKANA, HANGUL.
 * Han characters that are not Ideographic (々 〻) are ALetter in UAX#29: their tokens are ALPHANUM.
 */
const CJK_TOKEN =
  /^(?:(?:(?=\p{Ideographic})\p{Script=Han}|\p{Script=Hiragana})[\p{M}\p{Cf}]*|[\p{Script=Katakana}\u30FC\uFF70\p{M}\p{Cf}_]+|[\p{Script=Hangul}\p{M}\p{Cf}]+)$/u;

/** The terms of `text` under Lucene 8.x's CJKAnalyzer. */
export function analyzeCjk(text: string): string[] {
  const stop = stopWords('cjk');
  const out: string[] = [];
  const emit = (term: string) => {
    if (!stop.has(term)) out.push(term);
  };
  let buffer: number[] = []; // code points of the current run of adjacent CJK tokens
  let index = 0; // next bigram starts here
  let lastEnd = 0;
  let pos = 0;
  for (const token of tokenize(text)) {
    const start = text.indexOf(token, pos);
    const end = start + token.length;
    pos = end;
    const term = lowerCase(cjkWidth(token));
    if (CJK_TOKEN.test(token)) {
      if (start !== lastEnd) {
        if (buffer.length === 1 && index === 0) emit(String.fromCodePoint(buffer[0]));
        buffer = [];
        index = 0;
      }
      for (const ch of term) buffer.push(ch.codePointAt(0) as number);
      lastEnd = end;
      for (; buffer.length - index > 1; index++) emit(String.fromCodePoint(buffer[index], buffer[index + 1]));
    } else {
      if (buffer.length === 1 && index === 0) {
        emit(String.fromCodePoint(buffer[0]));
        index = 1;
      }
      emit(term);
    }
  }
  if (buffer.length === 1 && index === 0) emit(String.fromCodePoint(buffer[0]));
  return out;
}

/** Lucene 8.x CJKAnalyzer: width folding, lowercase, bigrams of CJK runs, 35 stop words. */
export const cjkAnalyzer: Analyzer = Object.freeze({ id: 'cjk@1', analyze: analyzeCjk });
