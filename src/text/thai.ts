/**
 * The `thai` analyzer: Lucene 8.x's ThaiAnalyzer (org.apache.lucene.analysis.th) — ThaiTokenizer,
 * LowerCaseFilter, DecimalDigitFilter, StopFilter (Lucene's 115 Thai stop words).
 *
 * ThaiTokenizer takes the words of the JDK's word BreakIterator for Thai and keeps those that
 * start with a letter or digit. That iterator is two things, and shortlist follows both:
 *
 * 1. **Rules** (the JDK's legacy word-break rules, re-implemented here from their observed
 *    behaviour, checked against Lucene by test/text/lucene-diff.test.ts and lucene-held-back.test.ts):
 *    a word is letters and digits in any alternation; letters join across a hyphen, apostrophe,
 *    straight quote or period (`e-mail`, `u.s.a`), digits across a comma, period, apostrophe or
 *    quote (`1,000`, `3.14`); a number keeps one following `%`, `&`, `¢`, `‰`, `‱` or `٪` (`50%`);
 *    a currency sign, `#` or `.` glued before a number makes the word start with a symbol, so it
 *    is dropped (`$5`, `#1`, `.5`); nonspacing marks and format characters (zero-width space,
 *    soft hyphen) stay inside the word; an underscore, colon, middle dot or curly apostrophe
 *    separates. Kanji, Hiragana and Katakana runs are words of their own.
 * 2. **Dictionary**: inside a word, each run of Thai letters is cut into dictionary words, apart
 *    from the letters and digits of other scripts around it (`ไทย50%` → `ไทย`, `50%`). The JDK
 *    uses its own Thai dictionary; shortlist uses ICU's (`Intl.Segmenter`), and the two
 *    dictionaries cut some words differently — the one difference left, measured in
 *    docs/analyzers.md. The analyzer is therefore registered as experimental.
 */
import type { Analyzer } from './analyzer.ts';
import { chainAnalyzer } from './chain.ts';
import { decimalDigitFilter } from './filters/arabic.ts';
import { lowerCaseFilter } from './filters/lowercase.ts';
import { stopFilter } from './filters/stop.ts';

let segmenter: Intl.Segmenter | undefined; // built on first use (ICU's dictionary data is costly to load)

const IGNORE = /[\p{Mn}\p{Me}\p{Cf}]/u;
const KANJI = /[\u3005\u4e00-\u9fa5\uf900-\ufa2d]/u;
const KATAKANA = /[\u3099-\u309c\u30a1-\u30fe\uff66-\uff9f]/u;
const HIRAGANA = /[\u3041-\u309e\u30fc-\u30fe]/u;
const LETTER = /[\p{L}\p{Mc}]/u;
const DIGIT = /\p{N}/u;
const MID_WORD = /[\p{Pd}\u00ad\u2027"'.]/u;
const MID_NUM = /["',\u066b.]/u;
const PRE_NUM = /[#.]|(?!\u00a2)\p{Sc}/u;
const POST_NUM = /[%&\u00a2\u066a\u2030\u2031]/u;
/** Thai letters and marks the dictionary segments (Thai digits and ฿ are not among them). */
const THAI = /[\u0e01-\u0e3a\u0e40-\u0e4f]/u;
/** What Lucene's ThaiTokenizer keeps: a word whose first code point is a letter or a decimal digit. */
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]/u;

type Kind = 'letter' | 'digit' | 'kanji' | 'katakana' | 'hiragana' | 'other';

const kinds = new Map<string, Kind>();
const ignorables = new Map<string, boolean>();

/** The rules' class of a character (remembered: text repeats its characters). */
function kindOf(ch: string): Kind {
  let kind = kinds.get(ch);
  if (kind === undefined) {
    kind = classify(ch);
    if (kinds.size < 65_536) kinds.set(ch, kind);
  }
  return kind;
}

function isIgnorable(ch: string): boolean {
  let ignorable = ignorables.get(ch);
  if (ignorable === undefined) {
    ignorable = IGNORE.test(ch);
    if (ignorables.size < 65_536) ignorables.set(ch, ignorable);
  }
  return ignorable;
}

function classify(ch: string): Kind {
  if (KANJI.test(ch)) return 'kanji';
  if (KATAKANA.test(ch)) return 'katakana';
  if (HIRAGANA.test(ch)) return 'hiragana';
  if (LETTER.test(ch)) return 'letter';
  if (DIGIT.test(ch)) return 'digit';
  return 'other';
}

/** The JDK rules' words of `text` (every segment, symbols and spaces included), in order. */
export function jdkRuleSegments(text: string): string[] {
  const chars = Array.from(text);
  const kinds = chars.map(kindOf);
  const ignorable = chars.map(isIgnorable);
  const out: string[] = [];
  let i = 0;
  /** The index of the next char at or after `j` that is not ignorable. */
  const skip = (j: number): number => {
    while (j < chars.length && ignorable[j]) j++;
    return j;
  };
  const is = (j: number, kind: Kind) => j < chars.length && !ignorable[j] && kinds[j] === kind;
  /** Letters and digits in alternation from `j`, with their joiners; returns the end. */
  const alphanumeric = (from: number): number => {
    let j = from;
    let last: Kind = 'other';
    for (;;) {
      if (is(j, 'letter')) {
        while (is(j, 'letter')) j = skip(j + 1);
        while (j < chars.length && MID_WORD.test(chars[j]) && is(skip(j + 1), 'letter')) {
          j = skip(j + 1);
          while (is(j, 'letter')) j = skip(j + 1);
        }
        last = 'letter';
      } else if (is(j, 'digit')) {
        while (is(j, 'digit')) j = skip(j + 1);
        while (j < chars.length && MID_NUM.test(chars[j]) && is(skip(j + 1), 'digit')) {
          j = skip(j + 1);
          while (is(j, 'digit')) j = skip(j + 1);
        }
        last = 'digit';
      } else break;
    }
    if (last === 'digit' && j < chars.length && POST_NUM.test(chars[j])) j = skip(j + 1);
    return j;
  };
  while (i < chars.length) {
    const kind = ignorable[i] ? 'other' : kinds[i];
    let end: number;
    if (kind === 'letter' || kind === 'digit') end = alphanumeric(i);
    else if (kind === 'kanji' || kind === 'katakana' || kind === 'hiragana') {
      end = skip(i + 1);
      while (is(end, kind)) end = skip(end + 1);
    } else if (PRE_NUM.test(chars[i]) && is(skip(i + 1), 'digit')) end = alphanumeric(skip(i + 1));
    else end = skip(i + 1);
    out.push(chars.slice(i, end).join(''));
    i = end;
  }
  return out;
}

/** A rule word cut into dictionary words: Thai runs by ICU's dictionary, the rest kept whole. */
function splitThai(word: string, out: string[]): void {
  if (!THAI.test(word)) {
    out.push(word);
    return;
  }
  let run = '';
  let runIsThai = false;
  const flush = () => {
    if (run === '') return;
    if (runIsThai)
      for (const { segment } of (segmenter ??= new Intl.Segmenter('th', { granularity: 'word' })).segment(run)) out.push(segment);
    else out.push(...jdkRuleSegments(run)); // `l'` of `l'ไทย` is `l` and `'`
    run = '';
  };
  for (const ch of word) {
    // marks and format characters stay with whatever precedes them
    const thai: boolean = IGNORE.test(ch) && run !== '' ? runIsThai : THAI.test(ch);
    if (thai !== runIsThai) {
      flush();
      runIsThai = thai;
    }
    run += ch;
  }
  flush();
}

/** ThaiTokenizer's words: rule words cut by the dictionary, those that start with a letter or digit. */
export function tokenizeThai(text: string): string[] {
  const words: string[] = [];
  for (const word of jdkRuleSegments(text)) splitThai(word, words);
  return words.filter((w) => LETTER_OR_DIGIT.test(w));
}

/** Lucene 8.x ThaiAnalyzer with ICU's Thai dictionary (experimental: see docs/analyzers.md). */
export const thaiAnalyzer: Analyzer = Object.freeze({
  ...chainAnalyzer('thai@2', [lowerCaseFilter, decimalDigitFilter, stopFilter('thai')], tokenizeThai),
  experimental: "Thai words cut by ICU's dictionary, not the JDK's: see docs/analyzers.md for the measured agreement with Lucene",
});
