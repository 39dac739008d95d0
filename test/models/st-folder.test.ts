/**
 * Acceptance: generated models written as sentence-transformers folders run with no explicit
 * fields, and equal transformers.js to 1e-4:
 * - bi-encoder folders (modules.json, 1_Pooling cls / mean / max / lasttoken with include_prompt,
 *   2_Normalize or not, prompts, sentence_bert_config.json max_seq_length) against transformers.js
 *   feature-extraction of the prompted text with the same pooling and normalisation;
 * - cross-encoder folders (config.json num_labels 1 with `sentence_transformers.activation_fn` or the
 *   older `sbert_ce_default_activation_function`) against AutoModelForSequenceClassification, with a
 *   sigmoid only where the folder records one.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AutoModelForSequenceClassification, AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { crossEncoderModel, sentenceTransformersModel } from '../../scripts/models/fixtures.ts';
import type { SentenceTransformersFiles } from '../../scripts/models/st-folder.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';
import { describePreset } from '../../src/models/encoders/model.ts';

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = '/';

const TEXTS = [
  'The results of the study show that the proposed method improves retrieval quality.',
  'cells',
  'Patients who received the treatment had lower blood pressure and fewer side effects than those in the control group.',
  'Ünïcödé, numbers 1234 and punctuation!?',
];
const QUERY = 'how does the second stage rerank candidates?';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Pool one unpadded text's token vectors the way sentence-transformers' Pooling module does. */
function pool(rows: number[][], pooling: SentenceTransformersFiles['pooling'], skip: number): number[] {
  if (pooling === 'cls') return rows[0];
  const kept = rows.slice(skip);
  if (pooling === 'lasttoken') return kept[kept.length - 1];
  if (pooling === 'max') return kept[0].map((_, j) => Math.max(...kept.map((r) => r[j])));
  return kept[0].map((_, j) => kept.reduce((s, r) => s + r[j], 0) / kept.length);
}

const normalize = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

const CASES: SentenceTransformersFiles[] = [
  { pooling: 'mean', normalize: true, maxSeqLength: 128, prompts: { query: 'query: ', document: 'passage: ' } },
  { pooling: 'cls', normalize: false, maxSeqLength: 96 },
  { pooling: 'max', normalize: true, maxSeqLength: 128, prompts: { query: 'search_query: ', passage: 'search_document: ' } },
  { pooling: 'lasttoken', normalize: true, maxSeqLength: 128, prompts: { query: 'Instruct: find the passage\nQuery: ' } },
  { pooling: 'mean', normalize: true, maxSeqLength: 128, includePrompt: false, prompts: { query: 'Represent this query for retrieval: ' } },
];

describe('a sentence-transformers folder runs with no flags and equals transformers.js', () => {
  for (const st of CASES) {
    it(`${st.pooling}${st.includePrompt === false ? ' without the prompt' : ''}, ${st.normalize ? 'normalised' : 'raw'}, prompts ${JSON.stringify(st.prompts ?? {})}`, async () => {
      const folder = await sentenceTransformersModel(st);
      const { preset, sources } = describePreset(folder, 'bi-encoder', {});
      assert.equal(preset.pooling, st.pooling === 'lasttoken' ? 'last' : st.pooling);
      assert.equal(preset.normalize, st.normalize);
      assert.equal(preset.maxLength, st.maxSeqLength);
      assert.equal(sources.maxLength, 'sentence_bert_config.json (max_seq_length)');
      assert.match(sources.pooling, /^1_Pooling\/config\.json \(pooling_mode_/);
      assert.match(sources.normalize, /^modules\.json/);
      const extractor = await pipeline('feature-extraction', folder, { dtype: 'fp32' });
      const tokenizer = await AutoTokenizer.from_pretrained(folder);
      const encoder = await BiEncoder.create({ model: folder, threads: 1 });
      try {
        for (const kind of ['query', 'document'] as const) {
          const prefix = (kind === 'query' ? st.prompts?.query : (st.prompts?.document ?? st.prompts?.passage)) ?? '';
          assert.equal((kind === 'query' ? preset.queryPrefix : preset.documentPrefix) ?? '', prefix);
          // sentence-transformers' prompt_length: the prompt's own tokens ([CLS] + prompt, without [SEP])
          const skip = st.includePrompt === false && prefix ? (tokenizer(prefix).input_ids.dims[1] as number) - 1 : 0;
          const actual = await encoder.embed(TEXTS, kind);
          let worst = 0;
          for (let i = 0; i < TEXTS.length; i++) {
            const rows = ((await extractor(prefix + TEXTS[i], { pooling: 'none' })).tolist() as number[][][])[0];
            let expected = pool(rows, st.pooling, skip);
            if (st.normalize) expected = normalize(expected);
            worst = Math.max(worst, maxAbsDiff(actual[i], expected));
          }
          assert.ok(worst <= 1e-4, `${kind}: max abs difference ${worst}`);
        }
        if (st.includePrompt === false) {
          const withPrompt = await BiEncoder.create({ model: folder, preset: { includePrompt: true }, threads: 1 });
          const [a] = await withPrompt.embed(TEXTS.slice(0, 1), 'query');
          const [b] = await encoder.embed(TEXTS.slice(0, 1), 'query');
          await withPrompt.dispose();
          assert.ok(maxAbsDiff(a, b) > 1e-3, 'include_prompt false changes the vector');
        }
      } finally {
        await encoder.dispose();
        await extractor.dispose();
      }
    });
  }

  it('explicit fields override the folder; a Dense module, concatenated poolings and bad JSON are clear errors', async () => {
    const folder = await sentenceTransformersModel({ pooling: 'mean', normalize: true, maxSeqLength: 128, prompts: { query: 'q: ' } });
    const { preset, sources } = describePreset(folder, 'bi-encoder', { pooling: 'cls', maxLength: 64 });
    assert.deepEqual([preset.pooling, preset.maxLength, preset.normalize, preset.queryPrefix], ['cls', 64, true, 'q: ']);
    assert.match(sources.pooling, /explicit/);
    const throwsWith = (fn: () => unknown, code: string, re: RegExp) =>
      assert.throws(fn, (e: unknown) => isShortlistError(e) && e.code === code && re.test(e.message));
    await writeFile(
      join(folder, 'modules.json'),
      JSON.stringify([
        { idx: 0, path: '', type: 'sentence_transformers.models.Transformer' },
        { idx: 1, path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
        { idx: 2, path: '2_Dense', type: 'sentence_transformers.models.Dense' },
      ]),
    );
    throwsWith(() => describePreset(folder, 'bi-encoder', {}), 'MODEL_ERROR', /Dense module \(2_Dense\)/);
    await writeFile(join(folder, 'modules.json'), '[{');
    throwsWith(() => describePreset(folder, 'bi-encoder', {}), 'INVALID_INPUT', /modules\.json is not valid JSON/);
    await writeFile(join(folder, 'modules.json'), '[]');
    await writeFile(
      join(folder, '1_Pooling/config.json'),
      JSON.stringify({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: true }),
    );
    throwsWith(() => describePreset(folder, 'bi-encoder', {}), 'MODEL_ERROR', /pooling_mode_cls_token and pooling_mode_mean_tokens/);
    const ce = await crossEncoderModel({ key: 'none' });
    throwsWith(() => describePreset(ce, 'bi-encoder', {}), 'MODEL_ERROR', /is a cross-encoder .*shortlist rerank/);
  });
});

describe('a cross-encoder folder runs with no flags: the activation config.json records, sigmoid only where it says so', () => {
  const variants = [
    { key: 'activation_fn', fn: 'Sigmoid', sigmoid: true },
    { key: 'activation_fn', fn: 'Identity', sigmoid: false },
    { key: 'sbert_ce_default_activation_function', fn: 'Identity', sigmoid: false },
    { key: 'sbert_ce_default_activation_function', fn: 'Sigmoid', sigmoid: true },
  ] as const;
  for (const v of variants) {
    it(`${v.key} = ${v.fn}`, async () => {
      const folder = await crossEncoderModel({ key: v.key, fn: v.fn });
      const { preset, sources } = describePreset(folder, 'cross-encoder', {});
      assert.equal(preset.activation, v.sigmoid ? 'sigmoid' : 'none');
      assert.match(
        sources.activation,
        new RegExp(
          `config\\.json \\(${v.key === 'activation_fn' ? 'sentence_transformers\\.activation_fn' : v.key}: torch\\.nn\\.modules\\.`,
        ),
      );
      assert.equal(preset.maxLength, 512);
      assert.equal(sources.maxLength, 'tokenizer_config.json (model_max_length)');
      const tokenizer = await AutoTokenizer.from_pretrained(folder);
      const model = await AutoModelForSequenceClassification.from_pretrained(folder, { dtype: 'fp32' });
      const ce = await CrossEncoder.create({ model: folder, threads: 1 });
      try {
        const inputs = tokenizer(
          TEXTS.map(() => QUERY),
          { text_pair: TEXTS, padding: true, truncation: true },
        );
        const logits = ((await model(inputs)).logits.tolist() as number[][]).map((r) => r[0]);
        const actual = await ce.score(QUERY, TEXTS);
        assert.ok(
          maxAbsDiff(
            actual.map((s) => s.logit),
            logits,
          ) <= 1e-4,
        );
        const expected = v.sigmoid ? logits.map((x) => 1 / (1 + Math.exp(-x))) : logits;
        assert.ok(
          maxAbsDiff(
            actual.map((s) => s.score),
            expected,
          ) <= 1e-4,
        );
      } finally {
        await ce.dispose();
        await model.dispose();
      }
    });
  }

  it("without an activation key a one-label folder gets CrossEncoder's default sigmoid, said so", async () => {
    const folder = await crossEncoderModel({ key: 'none' });
    const { preset, sources } = describePreset(folder, 'cross-encoder', {});
    assert.equal(preset.activation, 'sigmoid');
    assert.match(sources.activation, /one label, no activation key/);
  });
});
