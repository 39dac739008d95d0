/**
 * Word tokenization that matches Lucene 8.7's `StandardTokenizer` (JFlex, UAX#29 word breaks of
 * Unicode 9.0, lucene/core/src/java/org/apache/lucene/analysis/standard/StandardTokenizerImpl.jflex).
 *
 * Two paths, one result:
 * - A char loop over per-code-point classes implements the grammar for letters (any script,
 *   Hangul and Hebrew included), digits, `_`-like connectors, mid-word punctuation (`.` `:` `'`
 *   `’` `·` join two letters; `.` `,` `;` `'` join two digits), marks and format characters
 *   (they stay with the character before), Katakana runs, and Han / Hiragana characters (one
 *   token each). A token needs a letter or digit; tokens longer than 255 UTF-16 units are cut
 *   at the longest valid prefix of at most 255 units and the rest is scanned afresh (Lucene's
 *   `%buffer 255`).
 * - A whitespace-delimited chunk holding an emoji, a ZWJ, or South-East-Asian script (Thai, Lao,
 *   Myanmar, Khmer, …) goes through `Intl.Segmenter` (ICU's UAX#29 rules), adjusted to Lucene:
 *   emoji sequences and the other symbols Lucene's emoji 11 data makes tokens (©, ®, ™, ★) are
 *   tokens (ICU says not word-like), a skin-tone modifier without an emoji base is its own token,
 *   runs of South-East-Asian letters stay one token (ICU splits them with a dictionary), Han
 *   characters are split, Katakana runs and Hangul joined, and code points Lucene does not call
 *   letters split words.
 * The per-code-point tables (unicode-tables.ts) come from asking Lucene and ICU about every code
 * point (scripts/lucene/make-unicode-tables.ts).
 *
 * Measured against Lucene itself (scripts/lucene/): identical on every document and query of the
 * BEIR test collections, on 80,000 random strings of mixed scripts and punctuation, and on every
 * single code point but ~40 exotic ones (South-East-Asian signs and digits, characters added after
 * Unicode 9); about 0.1% of random strings that mix Thai marks, skin tones and ZWJs with
 * punctuation still differ.
 */
import { inRanges, MAX_TOKEN_LENGTH, segmentChunk as segmentChunkWith } from './icu-words.ts';
import { LUCENE_BREAKER_RANGES, LUCENE_SYMBOL_RANGES } from './unicode-tables.ts';

export { MAX_TOKEN_LENGTH } from './icu-words.ts';

// Character classes, as Lucene's grammar sees them (Word_Break values of Unicode 9.0).
const OTHER = 0; // breaks words and is dropped
const SPACE = 1; // ASCII whitespace: also ends a chunk
const LETTER = 2; // ALetter
const DIGIT = 3; // Numeric
const UNDERSCORE = 4; // ExtendNumLet: joins letters and digits, never a token alone
const MID_LETTER = 5; // ':' '·' join two letters
const MID_NUM_LET = 6; // '.' '\'' '’' join two letters or two digits
const MID_NUM = 7; // ',' ';' join two digits
const EXTEND = 8; // Extend and Format: belong to the character before (WB4)
const SPECIAL = 9; // needs the segmenter path: South-East-Asian scripts, emoji, ZWJ
const KATAKANA = 10; // Katakana: runs join each other, and letters or digits only through '_'
const IDEOGRAPH = 11; // Han and Hiragana: every character is a token of its own
const HEBREW = 12; // Hebrew_Letter: a letter that also takes a trailing ' and joins across "
const AFTER_QUOTE = 13; // scanner state: after a Hebrew letter's single quote

const MID_LETTERS = new Set([0x3a, 0xb7, 0x2d7, 0x387, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const MID_NUM_LETS = new Set([0x2e, 0x27, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const MID_NUMS = new Set([0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b]);
/** Scripts and characters the segmenter path handles (Lucene gives them rules of their own). */
const SPECIAL_CHARS = new RegExp(
  '[\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Myanmar}\\p{Script=Khmer}\\p{Script=Tai_Le}' +
    '\\p{Script=New_Tai_Lue}\\p{Script=Tai_Tham}\\p{Script=Tai_Viet}\\p{Script=Ahom}' +
    '\\p{Regional_Indicator}\\p{Extended_Pictographic}\\p{Emoji_Modifier}\\u200D\\u20E3\\uFE0E\\uFE0F]',
  'u',
);
const KATAKANA_CHARS = /[\p{Script=Katakana}\u3031-\u3035\u309B\u309C\u30A0\u30FC\uFF70\u32D0-\u32FE\u3300-\u3357]/u;
const IDEOGRAPH_CHARS = /[\p{Script=Han}\p{Script=Hiragana}]/u;

// One class per code point, computed on first sight (255 = not yet known).
const classes = new Uint8Array(0x110000).fill(255);

/** Lucene's word-break class of code point `cp`. */
function classOf(cp: number): number {
  const known = classes[cp];
  if (known !== 255) return known;
  const cls = computeClass(cp);
  classes[cp] = cls;
  return cls;
}

function computeClass(cp: number): number {
  if (cp === 32 || (cp >= 9 && cp <= 13)) return SPACE;
  if (MID_LETTERS.has(cp)) return MID_LETTER;
  if (MID_NUM_LETS.has(cp)) return MID_NUM_LET;
  if (MID_NUMS.has(cp)) return MID_NUM;
  if (cp < 128) {
    if ((cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122)) return LETTER;
    if (cp >= 48 && cp <= 57) return DIGIT;
    return cp === 95 ? UNDERSCORE : OTHER;
  }
  // Unicode 9.0 classes that later versions changed
  if (cp === 0x66b) return DIGIT; // ARABIC DECIMAL SEPARATOR
  if (cp === 0x1cf2 || cp === 0x1cf3 || cp === 0xff9e || cp === 0xff9f) return EXTEND;
  if (cp === 0x3005 || cp === 0x303b) return LETTER; // ideographic iteration marks
  if (inRanges(cp, LUCENE_SYMBOL_RANGES)) return SPECIAL;
  if (inRanges(cp, LUCENE_BREAKER_RANGES)) return OTHER;
  const ch = String.fromCodePoint(cp);
  if (SPECIAL_CHARS.test(ch)) return SPECIAL;
  if (KATAKANA_CHARS.test(ch)) return KATAKANA;
  if (/(?=\p{L})\p{Script=Hebrew}/u.test(ch)) return HEBREW;
  if (cp === 0x5f3) return LETTER; // HEBREW PUNCTUATION GERESH is ALetter
  if (IDEOGRAPH_CHARS.test(ch) && !/\p{M}/u.test(ch)) return IDEOGRAPH;
  if (cp === 0x200b) return OTHER; // ZERO WIDTH SPACE is not Format
  if (/[\p{Pc}\u202F]/u.test(ch)) return UNDERSCORE;
  if (/\p{Nd}/u.test(ch)) return DIGIT;
  if (/[\p{M}\p{Cf}]/u.test(ch)) return EXTEND;
  return /\p{Alphabetic}/u.test(ch) ? LETTER : OTHER; // letters, letter numbers, circled letters
}

/** The tokens of `text` as Lucene's StandardTokenizer emits them (original case). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  let floor = 0; // text before this was already tokenized (an emitted token ends here)
  while (i < n) {
    const c = text.charCodeAt(i);
    const cp = c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c;
    const cls = classOf(cp);
    if (cls === LETTER || cls === DIGIT || cls === UNDERSCORE || cls === KATAKANA || cls === HEBREW) {
      const next = scanToken(text, i, out);
      i = floor = next >= 0 ? next : segmentChunk(text, chunkStart(text, i, floor), out);
    } else if (cls === IDEOGRAPH) {
      // one character with its marks (Lucene's IDEOGRAPHIC and HIRAGANA tokens)
      let j = i + (cp > 0xffff ? 2 : 1);
      while (j < n && classOf(codePointAt(text, j)) === EXTEND) j += codePointAt(text, j) > 0xffff ? 2 : 1;
      if (j < n && classOf(codePointAt(text, j)) === SPECIAL) {
        i = floor = segmentChunk(text, chunkStart(text, i, floor), out);
        continue;
      }
      out.push(text.slice(i, j));
      i = floor = j;
    } else if (cls === SPECIAL) {
      i = floor = segmentChunk(text, chunkStart(text, i, floor), out);
    } else {
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** The code point at `i` (a lone surrogate stands for itself). */
function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c;
}

/**
 * Scans one token starting at word character `start` with Lucene's rules, pushes it (if it has
 * a letter or digit) and returns where scanning continues; returns -1 when it meets a character
 * for the segmenter path, so the caller re-reads the chunk that way.
 */
function scanToken(text: string, start: number, out: string[]): number {
  const n = text.length;
  const limit = start + MAX_TOKEN_LENGTH; // Lucene's buffer: a token never goes past this
  let accept = -1; // end of the longest valid token so far
  let hasCore = false;
  let j = start;
  let prev = OTHER;
  let viaMid = false; // the current character was joined through a mid character
  scan: for (;;) {
    const joinedThroughMid = viaMid;
    viaMid = false;
    // text[j] starts a word character (letter, digit, underscore)
    const cp = codePointAt(text, j);
    const size = cp > 0xffff ? 2 : 1;
    if (j + size > limit) break;
    const cls = classOf(cp);
    j += size;
    if (cls !== UNDERSCORE) hasCore = true;
    prev = cls;
    if (hasCore) accept = j;
    // marks and format characters after it belong to it (WB4)
    let d = OTHER;
    let dcp = 0;
    while (j < n) {
      dcp = codePointAt(text, j);
      d = classOf(dcp);
      if (d !== EXTEND) break;
      if (j + (dcp > 0xffff ? 2 : 1) > limit) break scan;
      j += dcp > 0xffff ? 2 : 1;
      if (hasCore) accept = j;
    }
    if (j >= n) break;
    if (d === SPECIAL) return -1;
    if (d === UNDERSCORE) continue;
    if (d === KATAKANA) {
      if (prev === KATAKANA || prev === UNDERSCORE) continue;
      break;
    }
    if (d === LETTER || d === DIGIT || d === HEBREW) {
      if (prev !== KATAKANA) continue;
      break;
    }
    if (prev === AFTER_QUOTE) break;
    // (Lucene's grammar only applies those to a Hebrew letter that starts a sequence)
    const quote = prev === HEBREW && !joinedThroughMid && (dcp === 0x27 || dcp === 0x22);
    if ((d < MID_LETTER || d > MID_NUM) && !quote) break;
    // a mid character joins two letters or two digits; after a Hebrew letter, ' ends a word and
    // " joins two Hebrew letters
    let k = j + (dcp > 0xffff ? 2 : 1);
    let e = OTHER;
    while (k < n) {
      const ecp = codePointAt(text, k);
      e = classOf(ecp);
      if (e !== EXTEND) break;
      k += ecp > 0xffff ? 2 : 1;
    }
    if (quote && dcp === 0x27) {
      if (k > limit) break;
      j = accept = k;
      prev = AFTER_QUOTE;
      if (k >= n) break;
      if (e === SPECIAL) return -1;
      if (e === LETTER || e === HEBREW || e === DIGIT || e === UNDERSCORE) continue;
      break;
    }
    if (k >= n) break;
    if (e === SPECIAL) return -1;
    const letters = (prev === LETTER || prev === HEBREW) && (e === LETTER || e === HEBREW);
    const joins =
      (quote ? prev === HEBREW && e === HEBREW : letters && d !== MID_NUM) || (prev === DIGIT && e === DIGIT && d !== MID_LETTER);
    if (!joins) break;
    j = k;
    viaMid = true;
  }
  if (accept < 0) {
    // only underscores: nothing to emit. A run cut by the window restarts one char later (JFlex).
    return j - start >= MAX_TOKEN_LENGTH ? start + 1 : j;
  }
  out.push(text.slice(start, accept));
  return accept;
}

/**
 * Where the chunk holding the non-ASCII character at `i` starts: after the last ASCII space, but
 * not before `floor` (the end of text already tokenized, always a word boundary).
 */
function chunkStart(text: string, i: number, floor: number): number {
  let s = i;
  while (s > floor && !isAsciiSpace(text.charCodeAt(s - 1))) s--;
  return s;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The segmenter path for the chunk at `start`, re-tokenizing leftovers with {@link tokenize}. */
function segmentChunk(text: string, start: number, out: string[]): number {
  return segmentChunkWith(text, start, out, tokenize);
}
