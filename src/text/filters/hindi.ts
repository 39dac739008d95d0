/**
 * HindiAnalyzer's steps (Lucene 8.x, org.apache.lucene.analysis.in and .hi): IndicNormalizationFilter
 * (composed forms of nine Indic scripts: a vowel sign written as two code points becomes the one
 * code point Unicode has for it), HindiNormalizationFilter (nukta, chandrabindu, virama, ZWJ/ZWNJ
 * and long/short vowel distinctions folded, after Leah Larkey's Hindi stemmer) and HindiStemFilter
 * (Ramanathan and Rao's light suffix stripper). Ported step for step.
 */
import type { TermFilter } from '../chain.ts';
import { deleteAt, endsWith, joinUnits, units } from './stemmer-util.ts';

// Scripts: flag bit and block base (each block spans 128 code points).
const DEVANAGARI = 1;
const BENGALI = 2;
const GURMUKHI = 4;
const GUJARATI = 8;
const ORIYA = 16;
const TAMIL = 32;
const TELUGU = 64;
const KANNADA = 128;
const MALAYALAM = 256;
const SCRIPTS: readonly (readonly [number, number])[] = [
  [DEVANAGARI, 0x900],
  [BENGALI, 0x980],
  [GURMUKHI, 0xa00],
  [GUJARATI, 0xa80],
  [ORIYA, 0xb00],
  [TAMIL, 0xb80],
  [TELUGU, 0xc00],
  [KANNADA, 0xc80],
  [MALAYALAM, 0xd00],
];

/** [first, second, third (-1: none; 255: ZWJ), composed, scripts] as offsets within the block. */
const D = DEVANAGARI,
  B = BENGALI,
  P = GURMUKHI,
  G = GUJARATI,
  O = ORIYA,
  T = TAMIL,
  E = TELUGU,
  K = KANNADA,
  M = MALAYALAM;
const DECOMPOSITIONS: readonly (readonly number[])[] = [
  [5, 62, 69, 17, D | G],
  [5, 62, 70, 18, D],
  [5, 62, 71, 19, D | G],
  [5, 62, 72, 20, D | G],
  [5, 62, -1, 6, D | B | P | G | O],
  [5, 69, -1, 114, D],
  [5, 69, -1, 13, G],
  [5, 70, -1, 4, D],
  [5, 71, -1, 15, G],
  [5, 72, -1, 16, P | G],
  [5, 73, -1, 17, D | G],
  [5, 74, -1, 18, D],
  [5, 75, -1, 19, D | G],
  [5, 76, -1, 20, D | P | G],
  [6, 69, -1, 17, D | G],
  [6, 70, -1, 18, D],
  [6, 71, -1, 19, D | G],
  [6, 72, -1, 20, D | G],
  [7, 87, -1, 8, M],
  [9, 65, -1, 10, D],
  [9, 87, -1, 10, T | M],
  [14, 70, -1, 16, M],
  [15, 69, -1, 13, D],
  [15, 70, -1, 14, D],
  [15, 71, -1, 16, D],
  [15, 87, -1, 16, O],
  [18, 62, -1, 19, M],
  [18, 76, -1, 20, E | K],
  [18, 85, -1, 19, E],
  [18, 87, -1, 20, T | M],
  [19, 87, -1, 20, O],
  [21, 60, -1, 88, D],
  [22, 60, -1, 89, D | P],
  [23, 60, -1, 90, D | P],
  [28, 60, -1, 91, D | P],
  [33, 60, -1, 92, D | B | O],
  [34, 60, -1, 93, D | B | O],
  [35, 77, 255, 122, M],
  [36, 77, 255, 78, B],
  [40, 60, -1, 41, D],
  [40, 77, 255, 123, M],
  [43, 60, -1, 94, D | P],
  [47, 60, -1, 95, D | B],
  [44, 65, 65, 11, E],
  [48, 60, -1, 49, D],
  [48, 77, 255, 124, M],
  [50, 77, 255, 125, M],
  [51, 60, -1, 52, D],
  [51, 77, 255, 126, M],
  [53, 65, -1, 46, E],
  [62, 69, -1, 73, D | G],
  [62, 70, -1, 74, D],
  [62, 71, -1, 75, D | G],
  [62, 72, -1, 76, D | G],
  [63, 85, -1, 64, K],
  [65, 65, -1, 66, P],
  [70, 62, -1, 74, T | M],
  [70, 66, 85, 75, K],
  [70, 66, -1, 74, K],
  [70, 70, -1, 72, M],
  [70, 85, -1, 71, E | K],
  [70, 86, -1, 72, E | K],
  [70, 87, -1, 76, T | M],
  [71, 62, -1, 75, B | O | T | M],
  [71, 87, -1, 76, B | O],
  [74, 85, -1, 75, K],
  [114, 63, -1, 7, P],
  [114, 64, -1, 8, P],
  [114, 71, -1, 15, P],
  [115, 65, -1, 9, P],
  [115, 66, -1, 10, P],
  [115, 75, -1, 19, P],
];

function scriptOf(unit: number): readonly [number, number] | undefined {
  if (unit < 0x900 || unit >= 0xd80) return undefined;
  return SCRIPTS[(unit - 0x900) >> 7];
}

/** IndicNormalizationFilter. */
export const indicNormalizationFilter: TermFilter = (term) => {
  const text = term.split('').map((c) => c.charCodeAt(0));
  let len = text.length;
  let changed = false;
  for (let i = 0; i < len; i++) {
    const sd = scriptOf(text[i]);
    if (!sd) continue;
    const [flag, base] = sd;
    const ch0 = text[i] - base;
    if (!DECOMPOSITIONS.some((d) => d[0] === ch0 && (d[4] & flag) !== 0)) continue;
    if (i + 1 >= len) continue;
    if (scriptOf(text[i + 1]) !== sd) continue;
    const ch = text[i + 1] - base;
    let ch2 = -1;
    if (i + 2 < len) {
      ch2 = text[i + 2] - base;
      if (text[i + 2] === 0x200d) ch2 = 255;
      else if (scriptOf(text[i + 2]) !== sd) ch2 = -1;
    }
    for (const d of DECOMPOSITIONS) {
      if (d[0] === ch0 && (d[4] & flag) !== 0 && d[1] === ch && (d[2] < 0 || d[2] === ch2)) {
        text[i] = base + d[3];
        text.splice(i + 1, d[2] >= 0 ? 2 : 1);
        len = text.length;
        changed = true;
        break;
      }
    }
  }
  return changed ? String.fromCharCode(...text) : term;
};

const HINDI_MAP: Readonly<Record<string, string>> = {
  '\u0901': '\u0902',
  '\u0929': '\u0928',
  '\u0931': '\u0930',
  '\u0934': '\u0933',
  '\u0958': '\u0915',
  '\u0959': '\u0916',
  '\u095a': '\u0917',
  '\u095b': '\u091c',
  '\u095c': '\u0921',
  '\u095d': '\u0922',
  '\u095e': '\u092b',
  '\u095f': '\u092f',
  '\u0945': '\u0947',
  '\u0946': '\u0947',
  '\u0949': '\u094b',
  '\u094a': '\u094b',
  '\u090d': '\u090f',
  '\u090e': '\u090f',
  '\u0911': '\u0913',
  '\u0912': '\u0913',
  '\u0972': '\u0905',
  '\u0906': '\u0905',
  '\u0908': '\u0907',
  '\u090a': '\u0909',
  '\u0960': '\u090b',
  '\u0961': '\u090c',
  '\u0910': '\u090f',
  '\u0914': '\u0913',
  '\u0940': '\u093f',
  '\u0942': '\u0941',
  '\u0944': '\u0943',
  '\u0963': '\u0962',
  '\u0948': '\u0947',
  '\u094c': '\u094b',
};
const HINDI_DELETE = new Set(['\u093c', '\u200c', '\u200d', '\u094d']);

/** HindiNormalizationFilter. */
export const hindiNormalizationFilter: TermFilter = (term) => {
  const s = units(term);
  let len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s[i];
    if (c === '\u0928') {
      if (i + 1 < len && s[i + 1] === '\u094d') {
        s[i] = '\u0902';
        len = deleteAt(s, i + 1, len);
      }
    } else if (HINDI_DELETE.has(c)) {
      len = deleteAt(s, i, len);
      i--;
    } else if (HINDI_MAP[c] !== undefined) s[i] = HINDI_MAP[c];
  }
  return joinUnits(s, len);
};

/** Suffixes HindiStemmer removes, longest group first: [minimum length exceeded, suffixes]. */
const SUFFIXES: readonly (readonly [number, readonly string[]])[] = [
  [
    6,
    [
      '\u093e\u090f\u0902\u0917\u0940',
      '\u093e\u090f\u0902\u0917\u0947',
      '\u093e\u090a\u0902\u0917\u0940',
      '\u093e\u090a\u0902\u0917\u093e',
      '\u093e\u0907\u092f\u093e\u0901',
      '\u093e\u0907\u092f\u094b\u0902',
      '\u093e\u0907\u092f\u093e\u0902',
    ],
  ],
  [
    5,
    [
      '\u093e\u090f\u0917\u0940',
      '\u093e\u090f\u0917\u093e',
      '\u093e\u0913\u0917\u0940',
      '\u093e\u0913\u0917\u0947',
      '\u090f\u0902\u0917\u0940',
      '\u0947\u0902\u0917\u0940',
      '\u090f\u0902\u0917\u0947',
      '\u0947\u0902\u0917\u0947',
      '\u0942\u0902\u0917\u0940',
      '\u0942\u0902\u0917\u093e',
      '\u093e\u0924\u0940\u0902',
      '\u0928\u093e\u0913\u0902',
      '\u0928\u093e\u090f\u0902',
      '\u0924\u093e\u0913\u0902',
      '\u0924\u093e\u090f\u0902',
      '\u093f\u092f\u093e\u0901',
      '\u093f\u092f\u094b\u0902',
      '\u093f\u092f\u093e\u0902',
    ],
  ],
  [
    4,
    [
      '\u093e\u0915\u0930',
      '\u093e\u0907\u090f',
      '\u093e\u0908\u0902',
      '\u093e\u092f\u093e',
      '\u0947\u0917\u0940',
      '\u0947\u0917\u093e',
      '\u094b\u0917\u0940',
      '\u094b\u0917\u0947',
      '\u093e\u0928\u0947',
      '\u093e\u0928\u093e',
      '\u093e\u0924\u0947',
      '\u093e\u0924\u0940',
      '\u093e\u0924\u093e',
      '\u0924\u0940\u0902',
      '\u093e\u0913\u0902',
      '\u093e\u090f\u0902',
      '\u0941\u0913\u0902',
      '\u0941\u090f\u0902',
      '\u0941\u0906\u0902',
    ],
  ],
  [
    3,
    [
      '\u0915\u0930',
      '\u093e\u0913',
      '\u093f\u090f',
      '\u093e\u0908',
      '\u093e\u090f',
      '\u0928\u0947',
      '\u0928\u0940',
      '\u0928\u093e',
      '\u0924\u0947',
      '\u0940\u0902',
      '\u0924\u0940',
      '\u0924\u093e',
      '\u093e\u0901',
      '\u093e\u0902',
      '\u094b\u0902',
      '\u0947\u0902',
    ],
  ],
  [2, ['\u094b', '\u0947', '\u0942', '\u0941', '\u0940', '\u093f', '\u093e']],
];

/** HindiStemFilter. */
export const hindiStemFilter: TermFilter = (term) => {
  const s = units(term);
  const len = s.length;
  for (const [min, group] of SUFFIXES) {
    if (len > min) for (const suffix of group) if (endsWith(s, len, suffix)) return term.slice(0, len - suffix.length);
  }
  return term;
};
