/**
 * The model generator: tiny models generate fast and deterministically, the ONNX graph computes
 * BERT (checked against a plain TypeScript forward pass, with padding in the batch), the int8
 * file is a dynamic-quantized copy, and transformers.js loads every folder unchanged.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { generateModel, resolveModel } from '../../scripts/models/generate.ts';
import { referenceForward } from '../../scripts/models/reference.ts';
import type { Head } from '../../scripts/models/shapes.ts';
import { TextTokenizer, type Encoded } from '../../src/models/tokenize/index.ts';

const scratch = await mkdtemp(join(tmpdir(), 'shortlist-generate-test-'));
after(() => rm(scratch, { recursive: true, force: true }));

const PAIRS: Array<[string, string]> = [
  ['what causes cancer', 'Genes associated with cancer were found in large population studies.'],
  ['blood pressure treatment', 'Patients who received the treatment had lower blood pressure.'],
  ['fast search', 'The system processes one thousand documents per second on a single core.'],
];

function feeds(seqs: Encoded[]): Record<string, ort.Tensor> {
  const T = Math.max(...seqs.map((s) => s.length));
  const B = seqs.length;
  const ids = new BigInt64Array(B * T);
  const mask = new BigInt64Array(B * T);
  const types = new BigInt64Array(B * T);
  seqs.forEach((s, b) => {
    for (let t = 0; t < s.length; t++) {
      ids[b * T + t] = BigInt(s.ids[t]);
      mask[b * T + t] = 1n;
      types[b * T + t] = BigInt(s.typeIds[t]);
    }
  });
  return {
    input_ids: new ort.Tensor('int64', ids, [B, T]),
    attention_mask: new ort.Tensor('int64', mask, [B, T]),
    token_type_ids: new ort.Tensor('int64', types, [B, T]),
  };
}

async function run(dir: string, file: string, seqs: Encoded[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(join(dir, file), { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out = await session.run(feeds(seqs));
    assert.equal(session.outputNames.length, 1);
    return out[session.outputNames[0]];
  } finally {
    await session.release();
  }
}

const OUTPUT: Record<Head, string> = { encoder: 'last_hidden_state', classifier: 'logits', colbert: 'last_hidden_state' };

describe('generateModel', () => {
  test('tiny generates byte-identical for a seed', async () => {
    await generateModel({ out: join(scratch, 'a'), shape: 'tiny', head: 'classifier', seed: 7 });
    await generateModel({ out: join(scratch, 'b'), shape: 'tiny', head: 'classifier', seed: 7 });
    await generateModel({ out: join(scratch, 'c'), shape: 'tiny', head: 'classifier', seed: 8 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => readFile(join(scratch, d, 'onnx/model.onnx'))));
    assert.ok(a.equals(b), 'same seed, same bytes');
    assert.ok(!a.equals(c), 'another seed, other weights');
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
      assert.ok((await readFile(join(scratch, 'a', f))).length > 0, f);
    }
    const config = JSON.parse(await readFile(join(scratch, 'a', 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'bert');
    assert.deepEqual(config.architectures, ['BertForSequenceClassification']);
    assert.equal(config.num_labels, 1);
    assert.equal(config.num_hidden_layers, 2);
    assert.equal(config.hidden_size, 32);
  });

  test('the CLI writes a custom shape with both dtypes', async () => {
    const out = join(scratch, 'cli');
    const script = new URL('../../scripts/models/generate.ts', import.meta.url).pathname;
    const args = [
      '--import',
      'tsx',
      script,
      '--shape',
      'custom',
      '--layers',
      '1',
      '--hidden',
      '16',
      '--heads',
      '4',
      '--intermediate',
      '32',
    ];
    const { stdout } = await promisify(execFile)(process.execPath, [
      ...args,
      '--head',
      'colbert',
      '--colbert-dim',
      '8',
      '--dtypes',
      'fp32,int8',
      '--seed',
      '3',
      '--out',
      out,
    ]);
    assert.match(stdout, /wrote .*cli/);
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    assert.deepEqual(
      [config.num_hidden_layers, config.hidden_size, config.num_attention_heads, config.intermediate_size, config.colbert_dim],
      [1, 16, 4, 32, 8],
    );
    const tokenizer = await TextTokenizer.fromFolder(out);
    for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx']) {
      const y = await run(out, file, [tokenizer.encode('search engine')]);
      assert.deepEqual(y.dims, [1, tokenizer.encode('search engine').length, 8]);
    }
  });

  test('rejects unknown shapes, heads and dtypes with the valid values', async () => {
    await assert.rejects(generateModel({ out: join(scratch, 'x'), shape: 'huge' as 'tiny', head: 'encoder' }), /valid: tiny, minilm-l6/);
    await assert.rejects(
      generateModel({ out: join(scratch, 'x'), shape: 'tiny', head: 'pooler' as Head }),
      /valid: encoder, classifier, colbert/,
    );
    await assert.rejects(
      generateModel({ out: join(scratch, 'x'), shape: { layers: 1, hidden: 30, heads: 4, intermediate: 8 }, head: 'encoder' }),
      /must divide/,
    );
  });

  for (const head of ['encoder', 'classifier', 'colbert'] as const) {
    test(`${head}: ONNX Runtime output equals a plain forward pass, padding included`, async () => {
      const dir = await tinyModel(head);
      const tokenizer = await TextTokenizer.fromFolder(dir);
      const seqs = PAIRS.map(([q, d]) => tokenizer.encodePair(q, d, 128));
      const out = await run(dir, 'onnx/model.onnx', seqs);
      const { weights, shape } = resolveModel({ shape: 'tiny', head, seed: 42 });
      const T = Math.max(...seqs.map((s) => s.length));
      const width = head === 'classifier' ? 1 : head === 'colbert' ? 128 : 32;
      assert.deepEqual(out.dims, head === 'classifier' ? [3, 1] : [3, T, width]);
      let maxDiff = 0;
      seqs.forEach((s, b) => {
        const expected = referenceForward(weights, shape, head, s.ids, s.typeIds);
        const rowSize = head === 'classifier' ? width : T * width;
        const got = (out.data as Float32Array).subarray(b * rowSize, b * rowSize + expected.length);
        for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
      });
      assert.ok(maxDiff < 1e-4, `max |onnx - reference| = ${maxDiff}`);
    });
  }

  test('classifier logits differ across inputs; int8 is a MatMulInteger copy that tracks fp32', async () => {
    const dir = await tinyModel('classifier');
    const tokenizer = await TextTokenizer.fromFolder(dir);
    const docs = PAIRS.map(([, d]) => d).concat([
      'Water and energy.',
      'Computer network analysis of language data.',
      'Cells grown in a medium.',
      'The first stage retrieves candidates.',
    ]);
    const seqs = docs.map((d) => tokenizer.encodePair('how are documents ranked', d, 128));
    const fp32 = Array.from((await run(dir, 'onnx/model.onnx', seqs)).data as Float32Array);
    const int8 = Array.from((await run(dir, 'onnx/model_quantized.onnx', seqs)).data as Float32Array);
    const spread = Math.max(...fp32) - Math.min(...fp32);
    assert.ok(spread > 0.1, `logits spread ${spread}`);
    assert.ok(pearson(fp32, int8) > 0.9, `int8 vs fp32 correlation ${pearson(fp32, int8)}`);
    const model = onnxProto.onnx.ModelProto.decode(await readFile(join(dir, 'onnx/model_quantized.onnx')));
    const ops = new Set(model.graph!.node!.map((n) => n.opType));
    assert.ok(ops.has('MatMulInteger') && ops.has('DynamicQuantizeLinear'));
    const fp32Model = onnxProto.onnx.ModelProto.decode(await readFile(join(dir, 'onnx/model.onnx')));
    assert.equal(Number(fp32Model.opsetImport[0].version), 17);
    assert.ok(fp32Model.graph!.node!.some((n) => n.opType === 'LayerNormalization'));
  });

  test('transformers.js loads each folder unchanged and agrees with ONNX Runtime', async () => {
    const { AutoTokenizer, AutoModel, AutoModelForSequenceClassification, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    for (const head of ['encoder', 'classifier', 'colbert'] as const) {
      const dir = await tinyModel(head);
      env.localModelPath = dirname(dir);
      const tjsTokenizer = await AutoTokenizer.from_pretrained(basename(dir));
      const Model = head === 'classifier' ? AutoModelForSequenceClassification : AutoModel;
      const model = await Model.from_pretrained(basename(dir), { dtype: 'fp32' });
      const inputs = tjsTokenizer(
        PAIRS.map(([q]) => q),
        { text_pair: PAIRS.map(([, d]) => d), padding: true, truncation: true },
      );
      const ours = await TextTokenizer.fromFolder(dir);
      const seqs = PAIRS.map(([q, d]) => ours.encodePair(q, d, 512));
      const T = Math.max(...seqs.map((s) => s.length));
      const expectedIds = seqs.flatMap((s) => [...s.ids, ...new Array(T - s.length).fill(ours.padId)]);
      assert.deepEqual(Array.from(inputs.input_ids.data as BigInt64Array, Number), expectedIds, 'token ids');
      const out = await model(inputs);
      const tjs = out[OUTPUT[head]].data as Float32Array;
      const direct = (await run(dir, 'onnx/model.onnx', seqs)).data as Float32Array;
      assert.equal(tjs.length, direct.length);
      let maxDiff = 0;
      for (let i = 0; i < tjs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tjs[i] - direct[i]));
      assert.ok(maxDiff < 1e-5, `${head}: max |transformers.js - onnxruntime| = ${maxDiff}`);
      const quantized = await Model.from_pretrained(basename(dir), { dtype: 'q8' });
      assert.equal((await quantized(inputs))[OUTPUT[head]].dims.length, head === 'classifier' ? 2 : 3);
      await model.dispose();
      await quantized.dispose();
    }
  });

  test('the built-in vocabulary makes a working model when ../shared is absent', async () => {
    const dir = join(scratch, 'builtin');
    await generateModel({ out: dir, shape: 'tiny', head: 'encoder', vocab: 'builtin' });
    const vocab = (await readFile(join(dir, 'vocab.txt'), 'utf8')).trim().split('\n');
    assert.ok(vocab.length > 300 && vocab.length < 2000, `${vocab.length} tokens`);
    const tokenizer = await TextTokenizer.fromFolder(dir);
    const enc = tokenizer.encode('The treatments improved retrieval of 中文 data, naïvely!');
    assert.equal(enc.ids[0], tokenizer.specialTokens.cls!.id);
    assert.equal(enc.ids.at(-1), tokenizer.specialTokens.sep!.id);
    assert.ok(enc.ids.includes(tokenizer.tokenId('##ments')!) || enc.ids.includes(tokenizer.tokenId('##s')!));
    const out = await run(dir, 'onnx/model.onnx', [enc]);
    assert.deepEqual(out.dims, [1, enc.length, 32]);
    assert.ok(Array.from(out.data as Float32Array).every(Number.isFinite));
  });
});

function pearson(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}
