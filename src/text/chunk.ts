/**
 * Token-aware chunking: a document's text cut into windows of at most `size` tokens that overlap
 * by about `overlap` tokens, each chunk keeping its character offsets into the text.
 *
 * Pipeline:
 * 1. Split the text into words (runs of non-space) with their offsets.
 * 2. Count each word's tokens with `countTokens` (a tokenizer's length without special tokens;
 *    the fallback counts one token per word). Summing per word is exact for tokenizers that
 *    pre-split on whitespace (WordPiece, most BPE) and a close estimate otherwise.
 * 3. Grow a window greedily up to `size` tokens; when it must end before the text does, move the
 *    end back (at most `lookback` of the window) to the last paragraph break, else the last
 *    sentence end, else keep the word boundary.
 * 4. Start the next window `overlap` tokens before the previous end (always moving forward).
 * Pure: the same text and options always give the same chunks.
 */
import { ShortlistError } from '../core/errors.ts';

/** How text is cut into chunks; stored in a collection's fingerprint. */
export interface ChunkOptions {
  /** Most tokens in one chunk (a single longer word still forms its own chunk). @default 256 */
  size?: number;
  /** Tokens shared by consecutive chunks; must be below `size`. @default 32 */
  overlap?: number;
  /**
   * Fraction of a window that may be given up to end it at a paragraph or sentence boundary;
   * 0 cuts at exactly `size` tokens. @default 0.25
   */
  lookback?: number;
}

/** The defaults of {@link ChunkOptions}. */
export const CHUNK_DEFAULTS = Object.freeze({ size: 256, overlap: 32, lookback: 0.25 }) satisfies Required<ChunkOptions>;

/** Counts the tokens of a piece of text (one word at a time). */
export type CountTokens = (text: string) => number;

/** One chunk of a text: its position among the chunks and its character range. */
export interface TextChunk {
  /** 0-based position among the document's chunks. */
  index: number;
  /** Offset of the chunk's first character in the text. */
  start: number;
  /** Offset just after the chunk's last character. */
  end: number;
  /** `text.slice(start, end)`. */
  text: string;
  /** Tokens in the chunk, by `countTokens`. */
  tokens: number;
}

/** Validates `options` and merges them over {@link CHUNK_DEFAULTS} into a new frozen object. */
export function resolveChunkOptions(options: ChunkOptions = {}): Readonly<Required<ChunkOptions>> {
  const o = { ...CHUNK_DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(o.size) || o.size < 1)
    throw new ShortlistError('INVALID_ARGUMENT', `chunk size must be a positive integer, got ${o.size}`, { location: { field: 'size' } });
  if (!Number.isInteger(o.overlap) || o.overlap < 0 || o.overlap >= o.size) {
    throw new ShortlistError('INVALID_ARGUMENT', `chunk overlap must be an integer from 0 to size - 1 (${o.size - 1}), got ${o.overlap}`, {
      location: { field: 'overlap' },
    });
  }
  if (!(o.lookback >= 0 && o.lookback < 1))
    throw new ShortlistError('INVALID_ARGUMENT', `chunk lookback must be in [0, 1), got ${o.lookback}`, {
      location: { field: 'lookback' },
    });
  return Object.freeze(o);
}

/** One token per word: the fallback when no tokenizer is given. */
export const countWords: CountTokens = () => 1;

interface Word {
  start: number;
  end: number;
  tokens: number;
  /** How good a place to end a chunk just after this word is: 2 paragraph, 1 sentence, 0 word. */
  breakRank: number;
}

/** The chunks of `text`; an empty or blank text has none. */
export function chunkText(text: string, options: ChunkOptions = {}, countTokens: CountTokens = countWords): TextChunk[] {
  const o = resolveChunkOptions(options);
  const words = splitWords(text, countTokens);
  const chunks: TextChunk[] = [];
  let first = 0;
  while (first < words.length) {
    let last = first;
    let total = words[first].tokens;
    while (last + 1 < words.length && total + words[last + 1].tokens <= o.size) total += words[++last].tokens;
    if (last + 1 < words.length) last = betterEnd(words, first, last, Math.floor(o.size * o.lookback));
    const start = words[first].start;
    const end = words[last].end;
    chunks.push({ index: chunks.length, start, end, text: text.slice(start, end), tokens: sumTokens(words, first, last) });
    if (last + 1 >= words.length) break;
    first = nextStart(words, first, last, o.overlap);
  }
  return chunks;
}

function splitWords(text: string, countTokens: CountTokens): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const start = m.index;
    const end = start + m[0].length;
    const tokens = countTokens(m[0]);
    if (!Number.isFinite(tokens) || tokens < 0)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `countTokens returned ${tokens} for "${m[0].slice(0, 40)}"; it must return a non-negative number`,
      );
    words.push({ start, end, tokens, breakRank: 0 });
  }
  for (let i = 0; i + 1 < words.length; i++) {
    const gap = text.slice(words[i].end, words[i + 1].start);
    const nextIsHeading = gap.includes('\n') && text[words[i + 1].start] === '#';
    if (/\n[ \t]*\n/.test(gap) || nextIsHeading) words[i].breakRank = 2;
    else if (/[.!?]["')\]]*$/.test(text.slice(words[i].start, words[i].end))) words[i].breakRank = 1;
  }
  return words;
}

/** The best end in [last - budget tokens, last]: the latest paragraph break, else sentence end, else `last`. */
function betterEnd(words: Word[], first: number, last: number, budget: number): number {
  let best = last;
  let bestRank = words[last].breakRank;
  let given = 0;
  for (let i = last - 1; i >= first && bestRank < 2; i--) {
    given += words[i + 1].tokens;
    if (given > budget) break;
    if (words[i].breakRank > bestRank) {
      best = i;
      bestRank = words[i].breakRank;
    }
  }
  return best;
}

/** The first word of the next chunk: about `overlap` tokens before `last`, always after `first`. */
function nextStart(words: Word[], first: number, last: number, overlap: number): number {
  let next = last + 1;
  let shared = 0;
  while (next - 1 > first && shared + words[next - 1].tokens <= overlap) shared += words[--next].tokens;
  return next;
}

function sumTokens(words: Word[], first: number, last: number): number {
  let total = 0;
  for (let i = first; i <= last; i++) total += words[i].tokens;
  return total;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
