/** BiEncoder and CrossEncoder on tiny generated models: pooling, prefixes, Matryoshka, windows, batch invariance, errors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generatedModel, tinyModel } from '../../scripts/models/fixtures.ts';
import { isShortlistError } from '../../src/core/errors.ts';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { CrossEncoder } from '../../src/models/encoders/cross-encoder.ts';
import { l2Normalize, poolRow } from '../../src/models/encoders/pooling.ts';
import { halfToFloat } from '../../src/models/onnx/session.ts';

const SHORT = 'the first stage retrieves candidates';
const LONG = 'a search engine ranks documents by their relevance to a query and the second stage reranks them with a larger model. '.repeat(
  6,
);
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('pooling kernels', () => {
  // batch 1, length 3 (last position is padding), hidden 2
  const hidden = new Float32Array([1, 2, 3, 4, 100, 100]);
  const mask = new BigInt64Array([1n, 1n, 0n]);
  const shape = { batch: 1, length: 3, hidden: 2 };
  it('cls takes the first token, mean averages unmasked tokens, last takes the last unmasked token', () => {
    assert.deepEqual(Array.from(poolRow('cls', hidden, mask, shape, 0)), [1, 2]);
    assert.deepEqual(Array.from(poolRow('mean', hidden, mask, shape, 0)), [2, 3]);
    assert.deepEqual(Array.from(poolRow('last', hidden, mask, shape, 0)), [3, 4]);
    assert.deepEqual(Array.from(l2Normalize(new Float32Array([3, 4]))), [0.6000000238418579, 0.800000011920929]);
  });

  it('widens float16 outputs (fp16 files) to float32', () => {
    assert.deepEqual(Array.from(halfToFloat(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555]))), [
      1,
      -2,
      65504,
      2 ** -24,
      Infinity,
      0.333251953125,
    ]);
  });
});

describe('BiEncoder', () => {
  let folder: string;
  let encoder: BiEncoder;
  before(async () => {
    folder = await tinyModel('encoder');
    encoder = await BiEncoder.create({
      model: folder,
      preset: { pooling: 'mean', normalize: true, maxLength: 128, queryPrefix: 'query: ', documentPrefix: 'passage: ' },
      threads: 1,
    });
  });
  after(() => encoder.dispose());

  it('returns unit vectors in input order, with the query/document prefix applied', async () => {
    const [a, b] = await encoder.embed([SHORT, LONG], 'document');
    assert.equal(a.length, 32);
    assert.ok(Math.abs(norm(a) - 1) < 1e-5 && Math.abs(norm(b) - 1) < 1e-5);
    assert.ok(maxAbsDiff(a, b) > 1e-3, 'different texts give different vectors');
    const [q] = await encoder.embed([SHORT], 'query');
    assert.ok(maxAbsDiff(q, a) > 1e-4, 'the query prefix changes the vector');
  });

  it('gives the same embedding alone and in a batch with much longer texts (1e-5)', async () => {
    const [alone] = await encoder.embed([SHORT], 'document');
    const batched = await encoder.embed([LONG, SHORT, LONG + LONG, 'x'], 'document');
    assert.ok(maxAbsDiff(alone, batched[1]) <= 1e-5, `diff ${maxAbsDiff(alone, batched[1])}`);
    // and when forced into one padded batch with them
    const onebatch = await BiEncoder.create({
      model: folder,
      preset: { pooling: 'mean', normalize: true, maxLength: 128, documentPrefix: 'passage: ' },
      batchTokens: 1 << 20,
      batchOverhead: 1 << 20,
      threads: 1,
    });
    try {
      const padded = await onebatch.embed([LONG, SHORT], 'document');
      assert.equal(onebatch.lastStats?.batches, 1);
      assert.ok(onebatch.lastStats!.paddingWaste > 0.3, 'the short text really was padded');
      assert.ok(maxAbsDiff(alone, padded[1]) <= 1e-5, `diff ${maxAbsDiff(alone, padded[1])}`);
    } finally {
      await onebatch.dispose();
    }
  });

  it('truncates to Matryoshka dims and renormalises', async () => {
    const [full] = await encoder.embed([SHORT], 'query');
    const [small] = await encoder.embed([SHORT], 'query', { dims: 8 });
    assert.equal(small.length, 8);
    assert.ok(Math.abs(norm(small) - 1) < 1e-5);
    const expected = l2Normalize(full.slice(0, 8));
    assert.ok(maxAbsDiff(small, expected) < 1e-6);
    await assert.rejects(encoder.embed([SHORT], 'query', { dims: 33 }), /dims must be an integer in 1\.\.32/);
  });

  it('runs the int8 file when asked', async () => {
    const int8 = await BiEncoder.create({ model: folder, preset: { ...encoder.preset, inputs: [] }, dtype: 'int8', threads: 1 });
    try {
      const [q8] = await int8.embed([SHORT], 'document');
      const [f32] = await encoder.embed([SHORT], 'document');
      assert.equal(q8.length, 32);
      assert.ok(Math.abs(norm(q8) - 1) < 1e-5);
      const diff = maxAbsDiff(q8, f32);
      assert.ok(diff > 0, 'a different file ran');
      assert.ok(q8.reduce((s, x, i) => s + x * f32[i], 0) > 0.9, 'close to fp32');
    } finally {
      await int8.dispose();
    }
  });

  it('embeds nothing to nothing', async () => {
    assert.deepEqual(await encoder.embed([], 'query'), []);
  });

  it('rejects an empty text, naming its index', async () => {
    await assert.rejects(
      encoder.embed([SHORT, '  '], 'document'),
      (err) => isShortlistError(err, 'INVALID_INPUT') && /text 1 is empty/.test(err.message),
    );
  });
});

describe('CrossEncoder', () => {
  let folder: string;
  let ce: CrossEncoder;
  before(async () => {
    folder = await tinyModel('classifier');
    ce = await CrossEncoder.create({ model: folder, preset: { activation: 'sigmoid', maxLength: 64 }, threads: 1 });
  });
  after(() => ce.dispose());

  it('returns a logit and its sigmoid per document, in input order', async () => {
    const scores = await ce.score('what does the second stage do', [SHORT, 'cells were grown in a medium']);
    assert.equal(scores.length, 2);
    for (const s of scores) assert.ok(Math.abs(s.score - 1 / (1 + Math.exp(-s.logit))) < 1e-12);
    assert.notEqual(scores[0].logit, scores[1].logit);
  });

  it('gives the same score alone and in a batch with much longer documents (1e-5)', async () => {
    const q = 'what does the second stage do';
    const [alone] = await ce.score(q, [SHORT]);
    const batched = await ce.score(q, [LONG, SHORT, LONG, 'x']);
    assert.ok(Math.abs(alone.logit - batched[1].logit) <= 1e-5);
    const [first] = await ce.score(q, [LONG]);
    assert.equal(first.logit, batched[0].logit);
  });

  it('splits a long document into windows and pools them (max ≥ mean, first = truncate)', async () => {
    const q = 'ranking';
    const make = (opts: object) =>
      CrossEncoder.create({ model: folder, preset: { activation: 'sigmoid', maxLength: 64 }, threads: 1, ...opts });
    const [mx, mean, first, trunc] = await Promise.all([
      make({ windowPooling: 'max' }),
      make({ windowPooling: 'mean' }),
      make({ windowPooling: 'first' }),
      make({ longDocuments: 'truncate' }),
    ]);
    try {
      const [a] = await mx.score(q, [LONG]);
      assert.ok(mx.lastStats!.batches >= 1 && mx.lastStats!.tokens > 64, 'several windows ran');
      const [b] = await mean.score(q, [LONG]);
      const [c] = await first.score(q, [LONG]);
      const [d] = await trunc.score(q, [LONG]);
      assert.ok(a.logit >= b.logit && a.logit >= c.logit);
      assert.ok(Math.abs(c.logit - d.logit) <= 1e-5, 'first window = truncated document');
      assert.ok(trunc.lastStats!.tokens <= 64);
    } finally {
      await Promise.all([mx, mean, first, trunc].map((m) => m.dispose()));
    }
  });

  it('with windowing off, a document past the window is an error naming the model and the limit', async () => {
    const strict = await CrossEncoder.create({
      model: folder,
      preset: { activation: 'none', maxLength: 64 },
      longDocuments: 'error',
      threads: 1,
    });
    try {
      await assert.rejects(
        strict.score('q', [SHORT, LONG]),
        (err) =>
          isShortlistError(err, 'INVALID_INPUT') && err.message.includes(folder) && /document 1 .* window of 64 tokens/.test(err.message),
      );
      const [s] = await strict.score('q', [SHORT]);
      assert.equal(s.score, s.logit, "activation 'none' returns the logit");
    } finally {
      await strict.dispose();
    }
  });

  it('softmax over labels scores the probability of labelIndex', async () => {
    const twoLabels = await generatedModel({ shape: 'tiny', head: 'classifier', numLabels: 2 });
    const make = (activation: 'softmax' | 'none', labelIndex: number) =>
      CrossEncoder.create({ model: twoLabels, preset: { activation, labelIndex, maxLength: 64 }, threads: 1 });
    const [soft, raw0, raw1] = await Promise.all([make('softmax', 1), make('none', 0), make('none', 1)]);
    try {
      const [s] = await soft.score('q', [SHORT]);
      const [[a], [b]] = await Promise.all([raw0.score('q', [SHORT]), raw1.score('q', [SHORT])]);
      assert.equal(s.logit, b.logit);
      assert.ok(Math.abs(s.score - Math.exp(b.logit) / (Math.exp(a.logit) + Math.exp(b.logit))) < 1e-9);
    } finally {
      await Promise.all([soft, raw0, raw1].map((m) => m.dispose()));
    }
  });

  it('rejects an empty document or query', async () => {
    await assert.rejects(ce.score('q', ['ok', '']), /document 1 is empty/);
    await assert.rejects(ce.score(' ', ['ok']), /query 0 is empty/);
  });
});

describe('model loading errors', () => {
  it('an unknown hub id without explicit fields names the missing fields', async () => {
    await assert.rejects(
      BiEncoder.create({ model: 'nobody/unknown-embedder' }),
      (err) => isShortlistError(err, 'MODEL_ERROR') && err.message.includes('nobody/unknown-embedder') && /pooling/.test(err.message),
    );
  });

  it('a folder without tokenizer.json names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortlist-notok-'));
    try {
      cpSync(await tinyModel('encoder'), dir, { recursive: true });
      rmSync(join(dir, 'tokenizer.json'));
      await assert.rejects(
        BiEncoder.create({ model: dir, preset: { pooling: 'cls', maxLength: 64 } }),
        (err) => isShortlistError(err, 'MODEL_ERROR') && /tokenizer\.json/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a graph whose inputs differ from the preset names the model and the input', async () => {
    const folder = await tinyModel('encoder');
    await assert.rejects(
      BiEncoder.create({ model: folder, preset: { pooling: 'cls', maxLength: 64, inputs: ['input_ids', 'attention_mask'] } }),
      (err) => isShortlistError(err, 'MODEL_ERROR') && err.message.includes(folder) && /token_type_ids/.test(err.message),
    );
    await assert.rejects(
      BiEncoder.create({
        model: folder,
        preset: { pooling: 'cls', maxLength: 64, inputs: ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'] },
      }),
      (err) => isShortlistError(err, 'MODEL_ERROR') && /lacks input\(s\) position_ids/.test(err.message),
    );
  });

  it('asking for cuda without the CUDA build is a clear error', async () => {
    const folder = await tinyModel('encoder');
    await assert.rejects(
      BiEncoder.create({ model: folder, preset: { pooling: 'cls', maxLength: 64 }, executionProvider: 'cuda' }),
      (err) => isShortlistError(err, 'MODEL_ERROR') && /CUDA/.test(err.message),
    );
  });

  it('nothing keeps the process alive after dispose()', async () => {
    const folder = await tinyModel('classifier');
    const script = `
      const { CrossEncoder } = await import(${JSON.stringify(new URL('../../src/models/encoders/cross-encoder.ts', import.meta.url).href)});
      const ce = await CrossEncoder.create({ model: ${JSON.stringify(folder)}, preset: { activation: 'sigmoid', maxLength: 32 }, threads: 1 });
      await ce.score('q', ['d']);
      await ce.dispose();
      console.log('disposed');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(child.signal, null, 'the child exited by itself');
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /disposed/);
  });
});
