/**
 * TextTokenizer equals the Rust Hugging Face tokenizers on generated texts (accents, CJK, numbers,
 * punctuation, long words, special-token look-alikes): token ids, segment ids, special tokens,
 * truncation and overflow windows, for WordPiece, byte-level BPE and Unigram tokenizers.
 * The 1,000-text corpus check is in corpus-parity.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { byteLevelBpeTokenizer, unigramTokenizer } from '../../../scripts/models/synthetic-tokenizers.ts';
import { generatedTexts } from '../../../scripts/models/texts.ts';
import { bert, compare, pairsOf, vocabularies, type Json } from './parity.test-helper.ts';

describe('TextTokenizer equals the Rust tokenizers', () => {
  for (const [name, vocab] of vocabularies()) {
    test(`WordPiece (${name}) on generated texts: accents, CJK, numbers, punctuation, long words`, async () => {
      const texts = generatedTexts(80, 11);
      const queries = generatedTexts(50, 12, 24);
      const { tokenizer, config } = bert(vocab);
      const result = await compare(tokenizer, config, texts, pairsOf(queries, texts, 80), { strides: [0, 24] });
      assert.ok(result.checked > 600, `${result.checked} comparisons`);
      assert.deepEqual(result.mismatches, []);
    });
  }

  test('byte-level BPE (RoBERTa layout) and SentencePiece Unigram (XLM-R layout)', async () => {
    const texts = generatedTexts(60, 31);
    const queries = generatedTexts(40, 32, 16);
    for (const [{ tokenizer, config }, overflowTypeIds] of [
      [byteLevelBpeTokenizer(), true],
      [unigramTokenizer(), false],
    ] as const) {
      const result = await compare(tokenizer, config, texts, pairsOf(queries, texts, 60), { strides: [0, 16], overflowTypeIds });
      assert.ok(result.checked > 400, `${result.checked} comparisons`);
      assert.deepEqual(result.mismatches, [], `${(tokenizer.model as Json).type}`);
    }
  });
});
