/**
 * Reading a permutation out of an LLM's answer, with repairs: a model may wrap the ranking in
 * prose, repeat an id, name ids that do not exist, or forget some. The result is always a full
 * permutation of the window, so nothing is lost and unmentioned candidates keep their prior order
 * (the repair RankGPT's `receive_permutation` makes). Pure function; no I/O.
 */

/** A repaired permutation and what had to be repaired. */
export interface ParsedPermutation {
  /** 0-based window positions, best first; always a permutation of `0 .. n-1`. */
  order: number[];
  /** Valid distinct ids the answer named, in its order (1-based, as in the prompt). */
  mentioned: number[];
  /** Ids named again after their first mention (dropped). */
  duplicates: number[];
  /** Ids outside `1 .. n` (dropped). */
  outOfRange: number[];
  /** 0-based positions the answer did not name, appended in their prior order. */
  missing: number[];
}

/** Reasoning blocks some models emit before the answer, e.g. `<think> … </think>`. */
const THINK = /<think>[\s\S]*?(<\/think>|$)/gi;
const BRACKETED = /\[\s*(\d+)\s*\]/g;
const BARE = /\d+/g;

/**
 * Parses the ranking of an `n`-item window from `answer`. Ids are the 1-based labels of the prompt:
 * when the answer holds any `[k]`, only bracketed numbers count (so numbers in surrounding prose are
 * ignored); otherwise every integer counts (`2 > 1 > 3`, `2, 1, 3`). A first mention wins over later
 * ones; ids outside `1 .. n` are dropped; positions never named follow in their prior order. An
 * answer with no usable id at all leaves the window as it was.
 */
export function parsePermutation(answer: string, n: number): ParsedPermutation {
  const text = answer.replace(THINK, ' ');
  const bracketed = [...text.matchAll(BRACKETED)].map((m) => m[1]);
  const tokens = bracketed.length > 0 ? bracketed : (text.match(BARE) ?? []);
  const seen = new Uint8Array(n);
  const mentioned: number[] = [];
  const duplicates: number[] = [];
  const outOfRange: number[] = [];
  for (const token of tokens) {
    const id = Number(token);
    if (!Number.isSafeInteger(id) || id < 1 || id > n) {
      outOfRange.push(id);
    } else if (seen[id - 1]) {
      duplicates.push(id);
    } else {
      seen[id - 1] = 1;
      mentioned.push(id);
    }
  }
  const missing: number[] = [];
  for (let p = 0; p < n; p++) if (!seen[p]) missing.push(p);
  return { order: [...mentioned.map((id) => id - 1), ...missing], mentioned, duplicates, outOfRange, missing };
}

/** True when the answer named every id exactly once and nothing else (no repair was needed). */
export function isCleanPermutation(parsed: ParsedPermutation): boolean {
  return parsed.missing.length === 0 && parsed.duplicates.length === 0 && parsed.outOfRange.length === 0;
}
