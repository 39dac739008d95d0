/**
 * A faster drop-in for tokenizers.js's WordPiece model step, with identical output (checked
 * against the Rust tokenizers in the tests). The library tries every substring of a word from the
 * longest down, building each from a character array — cubic in the word length, so one
 * 100-character word (a chemical name, a URL) costs as much as a paragraph. Here a candidate is
 * never longer than the longest vocabulary entry, substrings are plain `slice`s, and the pieces of
 * each word are cached (bounded).
 *
 * Greedy longest-match-first WordPiece: Wu et al. 2016, "Google's Neural Machine Translation
 * System" (§4.1), as in BERT's `WordpieceTokenizer`.
 */

/** The parts of tokenizers.js's WordPiece model this replacement reads. */
export interface WordPieceModel {
  config: { type?: string; continuing_subword_prefix?: string };
  tokens_to_ids: Map<string, number>;
  unk_token?: string;
  max_input_chars_per_word?: number;
  encode(tokens: string[]): string[];
}

/** Most words whose pieces are cached; the cache is cleared when it fills. */
const CACHE_LIMIT = 100_000;

/** Replaces `model.encode` when the model is WordPiece; returns whether it did. */
export function installFastWordPiece(model: WordPieceModel | null | undefined): boolean {
  if (!model || model.config?.type !== 'WordPiece' || !(model.tokens_to_ids instanceof Map)) return false;
  const vocab = model.tokens_to_ids;
  const prefix = model.config.continuing_subword_prefix ?? '##';
  const maxChars = model.max_input_chars_per_word ?? 100;
  const unk = model.unk_token;
  let longest = 1;
  for (const token of vocab.keys()) {
    const body = token.startsWith(prefix) ? token.slice(prefix.length) : token;
    longest = Math.max(longest, codePointLength(body));
  }
  const cache = new Map<string, string[]>();

  const pieces = (word: string): string[] => {
    const offsets = codePointOffsets(word);
    const n = offsets.length - 1;
    if (n > maxChars) return [unk as string];
    const out: string[] = [];
    let start = 0;
    while (start < n) {
      let found: string | null = null;
      let end = Math.min(n, start + longest);
      for (; end > start; end--) {
        const sub = word.slice(offsets[start], offsets[end]);
        const candidate = start > 0 ? prefix + sub : sub;
        if (vocab.has(candidate)) {
          found = candidate;
          break;
        }
      }
      if (found === null) return [unk as string];
      out.push(found);
      start = end;
    }
    return out;
  };

  model.encode = (tokens: string[]): string[] => {
    const output: string[] = [];
    for (const token of tokens) {
      let p = cache.get(token);
      if (p === undefined) {
        p = pieces(token);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(token, p);
      }
      for (let i = 0; i < p.length; i++) output.push(p[i]);
    }
    return output;
  };
  return true;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** UTF-16 offsets of each code point's start, plus the string's length at the end. */
function codePointOffsets(s: string): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < s.length; i++) {
    offsets.push(i);
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  offsets.push(s.length);
  return offsets;
}
