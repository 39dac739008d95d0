/**
 * The `Intl.Segmenter` path of `tokenize` (tokenize.ts), for whitespace-delimited chunks
 * holding emoji, ZWJ sequences or South-East-Asian script: ICU's UAX#29 word segments, adjusted
 * to what Lucene 8.7's StandardTokenizer makes of the same text (see tokenize.ts).
 */
import { LUCENE_BREAKER_RANGES, LUCENE_SYMBOL_RANGES } from './unicode-tables.ts';

/** Lucene's default `StandardTokenizer` max token length, in UTF-16 code units. */
export const MAX_TOKEN_LENGTH = 255;

// Built on first use: constructing a segmenter loads ICU's break data (tens of milliseconds), which
// text without emoji or South-East-Asian script never needs.
let wordSegmenter: Intl.Segmenter | undefined;

/** Han and Hiragana but the iteration marks 々 〻, which are letters to Lucene. */
const HAN_OR_HIRAGANA = /(?![\u3005\u303B])[\p{Script=Han}\p{Script=Hiragana}]/u;
// Line_Break=Complex_Context scripts (approximately): Thai, Lao, Myanmar, Khmer, Tai scripts, Ahom.
const SEA_SCRIPTS =
  '\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Myanmar}\\p{Script=Khmer}\\p{Script=Tai_Le}' +
  '\\p{Script=New_Tai_Lue}\\p{Script=Tai_Tham}\\p{Script=Tai_Viet}\\p{Script=Ahom}';
/** Has a South-East-Asian letter. */
const SOUTH_EAST_ASIAN = new RegExp(`(?=\\p{L})[${SEA_SCRIPTS}]`, 'u');
/** Runs of South-East-Asian letters (with their marks); a leading mark belongs to the letter before. */
const SOUTH_EAST_ASIAN_RUN = new RegExp(`(?=\\p{L})[${SEA_SCRIPTS}](?:(?=\\p{L})[${SEA_SCRIPTS}]|(?!\\u200B)[\\p{M}\\p{Cf}])*`, 'gu');
/** South-East-Asian marks: Lucene makes a token of them (Complex_Context) unless they follow a word. */
const SEA_MARK = new RegExp(`(?=\\p{M})[${SEA_SCRIPTS}]`, 'u');
const SEA_MARK_RUN = new RegExp(`(?:(?=\\p{M})[${SEA_SCRIPTS}])+(?:(?!\\u200B)[\\p{M}\\p{Cf}])*`, 'gu');
/** A word ICU starts with South-East-Asian marks, which Lucene attaches to the letter before. */
const LEADING_SEA_MARKS = new RegExp(`^(?:(?=\\p{M})[${SEA_SCRIPTS}])+`, 'u');
/** ICU calls a run of connector punctuation ("__", "‿") a word; Lucene needs a letter or digit. */
const NOT_A_WORD = /^[\p{Pc}\u202F\p{M}\p{Cf}]*$/u;
/** ICU's word status is wrong for some words ending in "_" + a mark ("Y_\u0301"): look at the start. */
const STARTS_WITH_LETTER_OR_DIGIT = /^[\p{L}\p{Nd}\p{Pc}]/u;
/** A lone regional indicator; Lucene only makes tokens of pairs (flags). */
const LONE_REGIONAL_INDICATOR = /^\p{Regional_Indicator}(?!\p{Regional_Indicator})[\p{M}\p{Cf}]*/u;
/** Katakana (Word_Break=Katakana): Lucene keeps a whole run as one token; ICU splits by dictionary. */
const KATAKANA_WORD = /^[\p{Script=Katakana}\u3031-\u3035\u309B\u309C\u30A0\u30FC\uFF70\u32D0-\u32FE\u3300-\u3357\p{M}]+$/u;
/**
 * Hangul is an ordinary letter to Lucene (it joins Latin letters, digits, `_`, `'`, `.`); ICU
 * segments it apart. Hangul letters are segmented as if they were `a` (same length), and the
 * words are then cut from the original text.
 */
const HANGUL = /\p{Script=Hangul}/u;
const HANGUL_LETTERS = /(?=\p{L})\p{Script=Hangul}/gu;
const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
/** A keycap sequence, an emoji token in Lucene ("#️⃣"); ICU calls "#️⃣" punctuation. */
const KEYCAP = /^[#*0-9]\uFE0F?\u20E3/u;
const ZWJ = 0x200d;
const SKIN_TONE_MIN = 0x1f3fb;
const SKIN_TONE_MAX = 0x1f3ff;
const MODIFIER_BASE = /^\p{Emoji_Modifier_Base}$/u;
/** Letter-like emoji (Ⓜ, 🅱) are letters inside words for Lucene. */
const ALPHABETIC = /^\p{Alphabetic}$/u;
const EXTEND_OR_FORMAT = /^(?!\u200B)[\p{M}\p{Cf}]$/u;

/** Whether Lucene starts an emoji token at code point `cp`. */
function isEmojiStart(cp: number): boolean {
  return (cp >= 0xa9 && EMOJI.test(String.fromCodePoint(cp))) || inRanges(cp, LUCENE_SYMBOL_RANGES);
}

/**
 * Pushes the emoji tokens of an ICU non-word segment: from its first emoji (with the ZWJs right
 * before it, as Lucene) to its end; a skin-tone modifier with no emoji before it stands alone.
 */
function pushSymbols(segment: string, out: string[]): void {
  const keycap = KEYCAP.exec(segment);
  if (keycap !== null) {
    out.push(keycap[0]);
    if (keycap[0].length < segment.length) pushSymbols(segment.slice(keycap[0].length), out);
    return;
  }
  for (let i = 0; i < segment.length; ) {
    const cp = segment.codePointAt(i)!;
    if (isEmojiStart(cp)) {
      let from = i;
      while (from > 0 && segment.charCodeAt(from - 1) === ZWJ) from--;
      // a skin tone only joins an Emoji_Modifier_Base before it; otherwise it is its own token
      let cut = from;
      for (let j = i; j < segment.length; ) {
        const c = segment.codePointAt(j)!;
        if (c >= SKIN_TONE_MIN && c <= SKIN_TONE_MAX && j > cut) {
          const prev = segment.codePointAt(j - 2 >= cut && segment.charCodeAt(j - 1) >= 0xdc00 ? j - 2 : j - 1)!;
          if (!MODIFIER_BASE.test(String.fromCodePoint(prev))) {
            pushLimited(segment.slice(cut, j), out);
            cut = j;
          }
        }
        j += c > 0xffff ? 2 : 1;
      }
      pushLimited(segment.slice(cut), out);
      return;
    }
    if (cp >= SKIN_TONE_MIN && cp <= SKIN_TONE_MAX) out.push(segment.slice(i, i + 2));
    i += cp > 0xffff ? 2 : 1;
  }
}

/**
 * Tokenizes the whitespace-delimited chunk starting at `start` (it may hold earlier text that the
 * char loop had not emitted yet) with `Intl.Segmenter`, adjusted to Lucene; returns its end.
 * `rescan` tokenizes leftover pieces (the char loop, `tokenize`).
 */
export function segmentChunk(text: string, start: number, out: string[], rescan: (text: string) => string[]): number {
  const n = text.length;
  let end = start;
  while (end < n) {
    const c = text.charCodeAt(end);
    if (c === 32 || (c >= 9 && c <= 13)) break; // ASCII whitespace ends the chunk
    end++;
  }
  const chunk = text.slice(start, end);
  const segmented = HANGUL.test(chunk) ? chunk.replace(HANGUL_LETTERS, 'a') : chunk;
  let seaEnd = -1; // end offset of the last South-East-Asian token pushed, to merge runs
  let katakanaEnd = -1; // end offset of the last Katakana word pushed whole, to merge runs
  let wordEnd = -1; // end offset of the last word pushed
  let previous = ''; // the previous segment
  let previousWasWord = false;
  for (const seg of (wordSegmenter ??= new Intl.Segmenter('en', { granularity: 'word' })).segment(segmented)) {
    const { index, isWordLike } = seg;
    let segment = segmented === chunk ? seg.segment : chunk.slice(index, index + seg.segment.length);
    const before = previous;
    previous = segment;
    const marks = LEADING_SEA_MARKS.exec(segment);
    const word = (isWordLike || STARTS_WITH_LETTER_OR_DIGIT.test(segment)) && !NOT_A_WORD.test(segment);
    if (!word) {
      if (SEA_MARK.test(segment)) {
        // Thai etc. marks: Extend of the word before, else a South-East-Asian token of their own
        for (const m of segment.matchAll(SEA_MARK_RUN)) {
          const at = index + m.index;
          if (m.index === 0 && (wordEnd === index || seaEnd === index)) out[out.length - 1] += m[0];
          else out.push(m[0]);
          seaEnd = at + m[0].length;
        }
        wordEnd = -1;
        continue;
      }
      wordEnd = -1;
      const loneFlag = LONE_REGIONAL_INDICATOR.exec(segment);
      if (loneFlag !== null) {
        // Lucene makes tokens of flag pairs only; what follows a lone one still counts
        if (loneFlag[0].length < segment.length) pushSymbols(segment.slice(loneFlag[0].length), out);
        continue;
      }
      // ZWJs that ICU attached to the punctuation before an emoji belong to the emoji in Lucene
      let zwj = before.length;
      while (zwj > 0 && before.charCodeAt(zwj - 1) === ZWJ) zwj--;
      if (zwj < before.length && !previousWasWord && isEmojiStart(segment.codePointAt(0)!)) {
        segment = before.slice(zwj) + segment;
      }
      previousWasWord = false;
      pushSymbols(segment, out);
      continue;
    }
    previousWasWord = true;
    if (marks !== null && wordEnd === index && out.length > 0) {
      out[out.length - 1] += marks[0]; // Extend after the word before (ICU splits at Thai marks)
      wordEnd = index + marks[0].length;
      if (marks[0].length === segment.length) continue;
      segment = segment.slice(marks[0].length);
    }
    const count = out.length;
    const segmentStart = index + (seg.segment.length - segment.length);
    wordEnd = index + seg.segment.length;
    if (!SOUTH_EAST_ASIAN.test(segment)) {
      // Lucene keeps a whole Katakana run as one token; ICU may split it with its dictionary
      if (!KATAKANA_WORD.test(segment)) pushWord(segment, out, rescan);
      else {
        if (katakanaEnd === segmentStart) out[out.length - 1] += segment;
        else pushLimited(segment, out);
        katakanaEnd = wordEnd;
      }
      if (out.length === count) wordEnd = -1;
      continue;
    }
    // Lucene keeps a whole run of South-East-Asian letters as one token, apart from other letters
    // (ICU joins them to Latin letters); what lies between runs is tokenized on its own.
    let last = 0;
    for (const run of segment.matchAll(SOUTH_EAST_ASIAN_RUN)) {
      const at = segmentStart + run.index;
      if (run.index > last) for (const t of rescan(segment.slice(last, run.index))) out.push(t);
      if (seaEnd === at) out[out.length - 1] += run[0];
      else out.push(run[0]);
      seaEnd = at + run[0].length;
      last = run.index + run[0].length;
    }
    if (last < segment.length) for (const t of rescan(segment.slice(last))) out.push(t);
  }
  return end;
}

/** Whether `cp` lies in one of the flat inclusive `[start, end, ...]` ranges. */
export function inRanges(cp: number, ranges: readonly number[]): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Pushes an ICU word segment, split where Lucene splits what ICU joins. */
function pushWord(segment: string, out: string[], rescan: (text: string) => string[]): void {
  // Split at code points Lucene does not keep in words, and cut skin-tone modifiers loose.
  for (let i = 0; i < segment.length; ) {
    const cp = segment.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const skinTone = cp >= SKIN_TONE_MIN && cp <= SKIN_TONE_MAX;
    if (!skinTone && i > 0 && cp >= 0xa9 && isEmojiStart(cp) && !ALPHABETIC.test(String.fromCodePoint(cp))) {
      // ICU keeps "X\u200d😀" together (WB3c); Lucene ends the word after the ZWJ
      pushWord(segment.slice(0, i), out, rescan);
      pushSymbols(segment.slice(i), out);
      return;
    }
    if (skinTone || (cp >= 0xb8 && inRanges(cp, LUCENE_BREAKER_RANGES))) {
      // what is left on either side is tokenized afresh ("Z.🏽abc" → "Z", "🏽", "abc")
      for (const t of rescan(segment.slice(0, i))) out.push(t);
      let end = i + size;
      if (skinTone) {
        // the modifier keeps the marks after it (Extend)
        while (end < segment.length && EXTEND_OR_FORMAT.test(segment[end])) end++;
        out.push(segment.slice(i, end));
      }
      for (const t of rescan(segment.slice(end))) out.push(t);
      return;
    }
    i += size;
  }
  if (!HAN_OR_HIRAGANA.test(segment)) {
    pushLimited(segment, out);
    return;
  }
  // one token per Han or Hiragana character (with its combining marks); runs of others stay
  let run = '';
  for (const ch of segment) {
    if (HAN_OR_HIRAGANA.test(ch)) {
      if (run) out.push(run);
      run = '';
      out.push(ch);
    } else if (/^[\p{M}\p{Cf}]$/u.test(ch) && out.length > 0 && run === '') {
      out[out.length - 1] += ch;
    } else {
      run += ch;
    }
  }
  if (run) pushLimited(run, out);
}

/** Pushes `token`, cut into pieces of at most 255 UTF-16 units without splitting a pair. */
function pushLimited(token: string, out: string[]): void {
  let s = 0;
  while (token.length - s > MAX_TOKEN_LENGTH) {
    let e = s + MAX_TOKEN_LENGTH;
    const last = token.charCodeAt(e - 1);
    if (last >= 0xd800 && last <= 0xdbff) e--;
    out.push(token.slice(s, e));
    s = e;
  }
  out.push(s === 0 ? token : token.slice(s));
}
