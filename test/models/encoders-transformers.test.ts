/**
 * Acceptance: on the same generated folders, shortlist's embeddings equal transformers.js
 * feature-extraction (same pooling and normalisation) and its cross-encoder logits equal
 * transformers.js AutoModelForSequenceClassification with `text_pair`, to 1e-4.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutoModelForSequenceClassification, AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = '/';

const TEXTS = [
  'The results of the study show that the proposed method improves retrieval quality.',
  'cells',
  'Patients who received the treatment had lower blood pressure and fewer side effects than those in the control group, over five runs.',
  'A search engine ranks documents by their relevance to a query; the first stage retrieves candidates and the second stage reranks them with a larger model. '.repeat(
    3,
  ),
  'Ünïcödé, numbers 1234 and punctuation!?',
];
const QUERY = 'how does the second stage rerank candidates?';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('BiEncoder equals transformers.js feature-extraction', () => {
  for (const pooling of ['mean', 'cls'] as const) {
    it(`${pooling} pooling, normalised`, async () => {
      const folder = await tinyModel('encoder');
      const extractor = await pipeline('feature-extraction', folder, { dtype: 'fp32' });
      const encoder = await BiEncoder.create({ model: folder, preset: { pooling, normalize: true, maxLength: 512 }, threads: 1 });
      try {
        const expected = (await extractor(TEXTS, { pooling, normalize: true })).tolist() as number[][];
        const actual = await encoder.embed(TEXTS, 'document');
        let worst = 0;
        actual.forEach((row, i) => (worst = Math.max(worst, maxAbsDiff(row, expected[i]))));
        assert.ok(worst <= 1e-4, `max abs difference ${worst}`);
      } finally {
        await encoder.dispose();
        await extractor.dispose();
      }
    });
  }
});

describe('CrossEncoder equals transformers.js AutoModelForSequenceClassification', () => {
  it('logits with text_pair, and sigmoid scores', async () => {
    const folder = await tinyModel('classifier');
    const tokenizer = await AutoTokenizer.from_pretrained(folder);
    const model = await AutoModelForSequenceClassification.from_pretrained(folder, { dtype: 'fp32' });
    const ce = await CrossEncoder.create({ model: folder, preset: { activation: 'sigmoid', maxLength: 512 }, threads: 1 });
    try {
      const inputs = tokenizer(
        TEXTS.map(() => QUERY),
        { text_pair: TEXTS, padding: true, truncation: true },
      );
      const expected = ((await model(inputs)).logits.tolist() as number[][]).map((r) => r[0]);
      const actual = await ce.score(QUERY, TEXTS);
      assert.ok(
        maxAbsDiff(
          actual.map((s) => s.logit),
          expected,
        ) <= 1e-4,
      );
      assert.ok(
        maxAbsDiff(
          actual.map((s) => s.score),
          expected.map((x) => 1 / (1 + Math.exp(-x))),
        ) <= 1e-4,
      );
      assert.ok(
        new Set(expected.map((x) => x.toFixed(6))).size > 1,
        'scores differ across documents (a softmax over one logit would make them all 1)',
      );
    } finally {
      await ce.dispose();
      await model.dispose();
    }
  });
});
