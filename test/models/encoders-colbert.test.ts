/** ColBERT: the MaxSim kernel against a naive reference, and MultiVectorEncoder against hand-built inputs on the raw graph. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { generatedModel } from '../../scripts/models/fixtures.ts';
import { builtinVocab } from '../../scripts/models/vocab.ts';
import { MultiVectorEncoder } from '../../src/models/encoders/multi-vector.ts';
import { TextTokenizer } from '../../src/models/tokenize/index.ts';
import { maxSim } from '../../src/rerank/colbert/maxsim.ts';

/** A seeded PRNG (mulberry32) for reproducible random matrices. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** MaxSim written the obvious way over arrays of rows. */
function naiveMaxSim(q: number[][], d: number[][]): number {
  return q.reduce((sum, qv) => sum + Math.max(...d.map((dv) => dv.reduce((s, x, j) => s + x * qv[j], 0))), 0);
}

const rows = (m: Float32Array, dims: number) =>
  Array.from({ length: m.length / dims }, (_, i) => Array.from(m.subarray(i * dims, (i + 1) * dims)));

/** Run the graph directly on hand-built ids and mask; L2-normalised token rows. */
async function rawRun(folder: string, ids: number[], mask: number[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(join(folder, 'onnx/model.onnx'));
  try {
    const t = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
    const out = await session.run({ input_ids: t(ids), attention_mask: t(mask), token_type_ids: t(ids.map(() => 0)) });
    const data = out.last_hidden_state.data as Float32Array;
    return rows(data, out.last_hidden_state.dims[2]).map((r) => {
      const n = Math.hypot(...r);
      return r.map((x) => x / n);
    });
  } finally {
    await session.release();
  }
}

describe('maxSim', () => {
  it('matches a naive reference on random matrices', () => {
    const next = rng(7);
    for (const [qn, dn, dims] of [
      [1, 1, 1],
      [32, 180, 128],
      [5, 3, 96],
      [7, 40, 16],
    ]) {
      const q = Float32Array.from({ length: qn * dims }, next);
      const d = Float32Array.from({ length: dn * dims }, next);
      assert.ok(Math.abs(maxSim(q, d, dims) - naiveMaxSim(rows(q, dims), rows(d, dims))) < 1e-4);
    }
  });

  it('scores an empty document 0 and rejects mismatched shapes', () => {
    assert.equal(maxSim(new Float32Array(4), new Float32Array(0), 2), 0);
    assert.throws(() => maxSim(new Float32Array(5), new Float32Array(4), 2), /multiples of dims 2/);
  });
});

describe('MultiVectorEncoder', () => {
  const COLBERT = {
    queryLength: 16,
    documentLength: 48,
    queryMarker: '[unused0]',
    documentMarker: '[unused1]',
    maskAugment: true,
    skipPunctuation: true,
  };
  let folder: string;
  let vocabDir: string;
  let encoder: MultiVectorEncoder;
  before(async () => {
    // The built-in vocabulary plus ColBERT's marker tokens, so the test does not depend on ../shared.
    vocabDir = mkdtempSync(join(tmpdir(), 'shortlist-colbert-vocab-'));
    const vocabPath = join(vocabDir, 'vocab.txt');
    writeFileSync(vocabPath, [...builtinVocab(), '[unused0]', '[unused1]'].join('\n') + '\n');
    folder = await generatedModel({ shape: 'tiny', head: 'colbert', vocab: vocabPath, colbertDim: 16 });
    encoder = await MultiVectorEncoder.create({ model: folder, preset: { colbert: COLBERT }, threads: 1 });
  });
  after(async () => {
    await encoder.dispose();
    rmSync(vocabDir, { recursive: true, force: true });
  });

  it('builds queries as [CLS] [Q] text [SEP] [MASK]… and documents as [CLS] [D] text [SEP] without punctuation, like ColBERT', async () => {
    const tok = await TextTokenizer.fromFolder(folder);
    const id = (t: string) => tok.tokenId(t)!;
    const query = 'what is the model?';
    const doc = 'The model, trained on data.';
    const [q] = await encoder.encodeQueries([query]);
    const [d] = await encoder.encodeDocuments([doc]);

    const qIds = [id('[CLS]'), id('[unused0]'), ...tok.tokenIds(query), id('[SEP]')];
    const qMask = qIds.map(() => 1);
    while (qIds.length < COLBERT.queryLength) {
      qIds.push(id('[MASK]'));
      qMask.push(0);
    }
    const dIds = [id('[CLS]'), id('[unused1]'), ...tok.tokenIds(doc), id('[SEP]')];
    const expectedQ = await rawRun(folder, qIds, qMask);
    const punct = new Set(['.', ',', '?'].map(id));
    const expectedD = (
      await rawRun(
        folder,
        dIds,
        dIds.map(() => 1),
      )
    ).filter((_, t) => !punct.has(dIds[t]));

    assert.equal(q.tokens, COLBERT.queryLength);
    assert.equal(q.dims, 16);
    assert.equal(d.tokens, dIds.length - 2, 'the comma and the full stop are skipped');
    const flat = (m: number[][]) => m.flat();
    const diff = (a: ArrayLike<number>, b: number[]) => Math.max(...b.map((x, i) => Math.abs(x - a[i])));
    assert.ok(diff(q.data, flat(expectedQ)) < 1e-5);
    assert.ok(diff(d.data, flat(expectedD)) < 1e-5);
    for (const row of rows(d.data, d.dims)) assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5);
  });

  it('attends to the [MASK] pads when the preset says so (attendToMaskTokens)', async () => {
    const attending = await MultiVectorEncoder.create({
      model: folder,
      preset: { colbert: { ...COLBERT, attendToMaskTokens: true } },
      threads: 1,
    });
    try {
      const tok = await TextTokenizer.fromFolder(folder);
      const query = 'data model';
      const ids = [tok.tokenId('[CLS]')!, tok.tokenId('[unused0]')!, ...tok.tokenIds(query), tok.tokenId('[SEP]')!];
      while (ids.length < COLBERT.queryLength) ids.push(tok.tokenId('[MASK]')!);
      const expected = (
        await rawRun(
          folder,
          ids,
          ids.map(() => 1),
        )
      ).flat();
      const [q] = await attending.encodeQueries([query]);
      const [plain] = await encoder.encodeQueries([query]);
      assert.ok(Math.max(...expected.map((x, i) => Math.abs(x - q.data[i]))) < 1e-5);
      assert.ok(Math.max(...expected.map((x, i) => Math.abs(x - plain.data[i]))) > 1e-3, 'attending to the pads changes the vectors');
    } finally {
      await attending.dispose();
    }
  });

  it('truncates queries to the query length and documents to the document length', async () => {
    const long = 'data model analysis system '.repeat(40);
    const [q] = await encoder.encodeQueries([long]);
    const [d] = await encoder.encodeDocuments([long]);
    assert.equal(q.tokens, COLBERT.queryLength);
    assert.equal(d.tokens, COLBERT.documentLength);
  });

  it('gives the same document matrix alone and in a batch with longer documents', async () => {
    const [alone] = await encoder.encodeDocuments(['human health and climate']);
    const [, batched] = await encoder.encodeDocuments(['water energy '.repeat(20), 'human health and climate']);
    assert.equal(alone.tokens, batched.tokens);
    assert.ok(Math.max(...alone.data.map((x, i) => Math.abs(x - batched.data[i]))) <= 1e-5);
  });

  it('names the marker token the vocabulary lacks', async () => {
    await assert.rejects(
      MultiVectorEncoder.create({ model: folder, preset: { colbert: { ...COLBERT, queryMarker: '[NOPE]' } } }),
      /\[NOPE\].*colbert\.queryMarker/,
    );
  });
});
