/**
 * Acceptance: token ids equal the Rust Hugging Face tokenizers on 1,000 texts and 1,000
 * (query, document) pairs at max length 128 and 512, pairs truncated `only_second` — real SciFact
 * texts from ../shared/datasets when present, generated texts otherwise (a clean clone).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generatedTexts } from '../../../scripts/models/texts.ts';
import { bert, compare, pairsOf, readJsonl, SCIFACT_DIR, vocabularies } from './parity.test-helper.ts';

describe('TextTokenizer equals the Rust tokenizers on a corpus', () => {
  const realData = existsSync(join(SCIFACT_DIR, 'corpus.jsonl'));
  test(`1,000 texts and 1,000 (query, document) pairs, max length 128 and 512 (${realData ? 'real SciFact' : 'generated: ../shared absent'})`, async () => {
    let docs: string[];
    let queries: string[];
    if (realData) {
      docs = readJsonl(join(SCIFACT_DIR, 'corpus.jsonl'), 1000).map((d) => (d.title ? `${d.title} ${d.text}` : String(d.text)));
      queries = readJsonl(join(SCIFACT_DIR, 'queries.jsonl'), 1000).map((q) => String(q.text));
    } else {
      docs = generatedTexts(1000, 21);
      queries = generatedTexts(300, 22, 20);
    }
    const { tokenizer, config } = bert(vocabularies().at(-1)![1]);
    const result = await compare(tokenizer, config, docs, pairsOf(queries, docs, 1000), { singleLengths: [128, 512] });
    assert.ok(result.checked >= 2000 + 2000 * 2, `${result.checked} comparisons`);
    assert.deepEqual(result.mismatches, [], `${result.mismatches.length} of ${result.checked} differ`);
  });
});
