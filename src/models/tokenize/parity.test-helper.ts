/**
 * Shared by the parity tests: compares TextTokenizer with the Rust Hugging Face tokenizers
 * (`@anush008/tokenizers`) on texts and pairs, truncation and overflow windows included.
 */
import { readFileSync } from 'node:fs';
import * as rust from '@anush008/tokenizers';
import { bertTokenizerConfig, bertTokenizerJson } from '../../../scripts/models/hub-files.ts';
import { builtinVocab, defaultVocabPath, readVocab } from '../../../scripts/models/vocab.ts';
import { TextTokenizer } from './index.ts';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** The SciFact folder of ../shared/datasets (absent in a clean clone). */
export const SCIFACT_DIR = new URL('../../../../shared/datasets/scifact/', import.meta.url).pathname;

/** How many encodings were compared and which differed. */
export interface Comparison {
  checked: number;
  mismatches: string[];
}

/**
 * Compares single texts (no truncation, 128, 512) and pairs (128, 512; windows with stride).
 * `overflowTypeIds: false` skips segment ids of the second and later windows: where a template
 * gives the second text type id 0 (XLM-R), Rust's overflowing encodings keep type id 1 on it, unlike
 * its own first window; ours keep the template's 0 in every window.
 */
export async function compare(
  tokenizerJson: Json,
  config: Json,
  texts: string[],
  pairs: Array<[string, string]>,
  {
    strides = [0],
    singleLengths = [undefined, 128, 512],
    overflowTypeIds = true,
  }: { strides?: number[]; singleLengths?: Array<number | undefined>; overflowTypeIds?: boolean } = {},
): Promise<Comparison> {
  const ours = TextTokenizer.fromJson(tokenizerJson, config);
  const reference = rust.Tokenizer.fromString(JSON.stringify(tokenizerJson));
  const result: Comparison = { checked: 0, mismatches: [] };
  const check = (what: string, got: { ids: number[]; typeIds: number[] }, expected: rust.Encoding, typeIds = true) => {
    result.checked++;
    if (!sameArray(got.ids, expected.getIds()) || (typeIds && !sameArray(got.typeIds, expected.getTypeIds()))) result.mismatches.push(what);
  };
  for (const maxLength of singleLengths) {
    if (maxLength === undefined) reference.disableTruncation();
    else reference.setTruncation(maxLength, { strategy: rust.TruncationStrategy.LongestFirst });
    const expected = await reference.encodeBatch(texts);
    texts.forEach((t, i) => check(`text ${i} max ${maxLength}`, ours.encode(t, maxLength), expected[i]));
  }
  for (const maxLength of [128, 512]) {
    for (const stride of strides) {
      reference.setTruncation(maxLength, { strategy: rust.TruncationStrategy.OnlySecond, stride });
      // Rust panics when the stride is not below the room a window has; our API throws instead.
      const fits = pairs.map(([q]) => maxLength - ours.numAddedTokens(true) - ours.tokenIds(q).length > stride);
      const expectedAll = await Promise.all(pairs.map(([q, d], i) => (fits[i] ? reference.encode(q, d) : null)));
      for (const [i, [q, d]] of pairs.entries()) {
        const expected = expectedAll[i];
        if (!expected) continue;
        const windows = ours.encodePairWindows(q, d, maxLength, stride);
        if (stride === 0) check(`pair ${i} max ${maxLength}`, ours.encodePair(q, d, maxLength), expected);
        const overflow = [expected, ...expected.getOverflowing()];
        result.checked++;
        if (windows.length !== overflow.length)
          result.mismatches.push(`pair ${i} max ${maxLength} stride ${stride}: ${windows.length} windows, Rust ${overflow.length}`);
        else
          windows.forEach((w, j) =>
            check(`pair ${i} max ${maxLength} stride ${stride} window ${j}`, w, overflow[j], j === 0 || overflowTypeIds),
          );
      }
    }
  }
  return result;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** tokenizer.json and tokenizer_config.json of the generated BERT models for a vocabulary. */
export function bert(vocab: string[]): { tokenizer: Json; config: Json } {
  return { tokenizer: bertTokenizerJson(vocab), config: bertTokenizerConfig(vocab, 512) };
}

/** The vocabularies to test: the built-in one always, bert-base-uncased when ../shared has it. */
export function vocabularies(): Array<[string, string[]]> {
  const shared = defaultVocabPath();
  const list: Array<[string, string[]]> = [['built-in vocab', builtinVocab()]];
  if (shared) list.push(['bert-base-uncased vocab', readVocab(shared)]);
  return list;
}

/** `n` (query, document) pairs cycling through both lists. */
export function pairsOf(queries: string[], docs: string[], n: number): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => [queries[i % queries.length], docs[(i * 37) % docs.length]]);
}

/** The first `limit` records of a JSONL file. */
export function readJsonl(path: string, limit: number): Json[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, limit)
    .map((l) => JSON.parse(l) as Json);
}
