/** The preset table's shape, the facts the issue names, lookup, and explicit-field presets. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShortlistError } from '../../core/errors.ts';
import { findPreset, findPresetByOnnxRepo, getPreset, PRESET_IDS, PRESETS, presetFromFlags } from './index.ts';
import type { ModelPreset } from './types.ts';

const ALL = Object.values(PRESETS as Record<string, ModelPreset>);

const REQUIRED = [
  'BAAI/bge-small-en-v1.5',
  'BAAI/bge-base-en-v1.5',
  'intfloat/e5-small-v2',
  'intfloat/multilingual-e5-small',
  'sentence-transformers/all-MiniLM-L6-v2',
  'nomic-ai/nomic-embed-text-v1.5',
  'Snowflake/snowflake-arctic-embed-s',
  'mixedbread-ai/mxbai-embed-large-v1',
  'cross-encoder/ms-marco-MiniLM-L-6-v2',
  'cross-encoder/ms-marco-MiniLM-L-12-v2',
  'cross-encoder/ms-marco-TinyBERT-L-2-v2',
  'BAAI/bge-reranker-base',
  'BAAI/bge-reranker-v2-m3',
  'mixedbread-ai/mxbai-rerank-xsmall-v1',
  'mixedbread-ai/mxbai-rerank-base-v1',
  'jinaai/jina-reranker-v1-tiny-en',
  'answerdotai/answerai-colbert-small-v1',
  'colbert-ir/colbertv2.0',
  'jinaai/jina-colbert-v2',
];

function throwsCode(fn: () => unknown, code: string, ...needles: string[]): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isShortlistError(err), String(err));
    assert.equal(err.code, code, err.message);
    for (const n of needles) assert.ok(err.message.includes(n), `message should name '${n}': ${err.message}`);
    return err.message;
  }
  assert.fail('expected a throw');
}

describe('preset table', () => {
  test('has every model the issue lists, keyed by its own id', () => {
    for (const id of REQUIRED) assert.ok(findPreset(id), `missing preset ${id}`);
    for (const [key, p] of Object.entries(PRESETS as Record<string, ModelPreset>)) assert.equal(key, p.id);
    assert.deepEqual([...PRESET_IDS], Object.keys(PRESETS));
  });

  test('every entry is complete and consistent for its role', () => {
    for (const p of ALL) {
      const at = p.id;
      assert.ok(['bi-encoder', 'cross-encoder', 'multi-vector'].includes(p.role), at);
      assert.match(p.onnxRepo, /^[\w.-]+\/[\w.-]+$/, at);
      assert.match(p.revision ?? '(none)', /^[0-9a-f]{40}$/, `${at} pins a full 40-hex commit of ${p.onnxRepo}`);
      const files = Object.entries(p.onnxFiles);
      assert.ok(files.length > 0 && files.every(([d, f]) => ['fp32', 'fp16', 'int8'].includes(d) && f!.endsWith('.onnx')), at);
      assert.ok(p.onnxFiles.fp32, `${at} has an fp32 file`);
      assert.ok(p.inputs.includes('input_ids') && p.inputs.includes('attention_mask'), at);
      assert.ok(p.output.length > 0, at);
      assert.ok(Number.isInteger(p.maxLength) && p.maxLength >= 128, at);
      assert.ok(p.sources.length > 0 && p.sources.every((s) => s.startsWith('https://')), at);
      if (p.role === 'bi-encoder') {
        assert.ok(p.pooling && typeof p.normalize === 'boolean' && p.dims, at);
        assert.equal(p.activation, undefined, at);
      }
      if (p.role === 'cross-encoder') {
        assert.ok(p.activation && p.output === 'logits', at);
        assert.equal(p.pooling, undefined, at);
      }
      if (p.role === 'multi-vector') {
        assert.ok(p.colbert && p.dims, at);
        assert.ok(p.colbert!.queryLength < p.maxLength && p.colbert!.documentLength <= p.maxLength, at);
      }
      if (p.matryoshkaDims) {
        assert.equal(p.matryoshkaDims[0], p.dims, at);
        assert.deepEqual(
          [...p.matryoshkaDims].sort((a, b) => b - a),
          [...p.matryoshkaDims],
          at,
        );
      }
    }
  });

  test('a preset without a full revision is refused (a copy of the table with one pin removed fails the check)', () => {
    const pinned = (p: ModelPreset) => typeof p.revision === 'string' && /^[0-9a-f]{40}$/.test(p.revision);
    assert.ok(ALL.every(pinned));
    const { revision: _r, ...unpinned } = getPreset('BAAI/bge-small-en-v1.5');
    assert.equal(pinned(unpinned as ModelPreset), false);
    assert.equal(pinned({ ...unpinned, revision: 'main' } as ModelPreset), false);
    assert.equal(pinned({ ...unpinned, revision: 'b7ad92a' } as ModelPreset), false);
  });

  test('is deeply frozen', () => {
    const p = getPreset('BAAI/bge-small-en-v1.5');
    assert.throws(() => ((p as { maxLength: number }).maxLength = 1), TypeError);
    assert.throws(() => (p.inputs as string[]).push('x'), TypeError);
    assert.throws(() => ((p.onnxFiles as Record<string, string>).fp32 = 'x'), TypeError);
  });

  test('records the facts the model cards state', () => {
    const bge = getPreset('BAAI/bge-base-en-v1.5');
    assert.equal(bge.pooling, 'cls');
    assert.equal(bge.normalize, true);
    assert.equal(bge.queryPrefix, 'Represent this sentence for searching relevant passages: ');
    assert.equal(bge.documentPrefix, undefined);
    for (const id of ['intfloat/e5-small-v2', 'intfloat/multilingual-e5-small']) {
      const e5 = getPreset(id);
      assert.deepEqual([e5.pooling, e5.queryPrefix, e5.documentPrefix], ['mean', 'query: ', 'passage: ']);
    }
    const mini = getPreset('sentence-transformers/all-MiniLM-L6-v2');
    assert.deepEqual([mini.pooling, mini.normalize, mini.maxLength], ['mean', true, 256]);
    const nomic = getPreset('nomic-ai/nomic-embed-text-v1.5');
    assert.deepEqual(
      [nomic.queryPrefix, nomic.documentPrefix, nomic.pooling, nomic.maxLength],
      ['search_query: ', 'search_document: ', 'mean', 2048],
    );
    assert.deepEqual(nomic.matryoshkaDims, [768, 512, 256, 128, 64]);
    assert.equal(getPreset('Snowflake/snowflake-arctic-embed-s').pooling, 'cls');
    assert.deepEqual(
      [getPreset('mixedbread-ai/mxbai-embed-large-v1').pooling, getPreset('mixedbread-ai/mxbai-embed-large-v1').dims],
      ['cls', 1024],
    );
    // sbert_ce_default_activation_function = Identity in the ms-marco configs: raw logits.
    for (const id of [
      'cross-encoder/ms-marco-MiniLM-L-6-v2',
      'cross-encoder/ms-marco-MiniLM-L-12-v2',
      'cross-encoder/ms-marco-TinyBERT-L-2-v2',
    ]) {
      assert.equal(getPreset(id).activation, 'none', id);
    }
    for (const id of [
      'BAAI/bge-reranker-base',
      'BAAI/bge-reranker-v2-m3',
      'mixedbread-ai/mxbai-rerank-xsmall-v1',
      'mixedbread-ai/mxbai-rerank-base-v1',
    ]) {
      assert.ok(!getPreset(id).inputs.includes('token_type_ids'), `${id} has no token_type_ids`);
    }
    const colbert = getPreset('colbert-ir/colbertv2.0').colbert!;
    assert.deepEqual(
      [colbert.queryLength, colbert.queryMarker, colbert.documentMarker, colbert.maskAugment, colbert.skipPunctuation],
      [32, '[unused0]', '[unused1]', true, true],
    );
    assert.equal(getPreset('answerdotai/answerai-colbert-small-v1').dims, 96);
    assert.equal(getPreset('answerdotai/answerai-colbert-small-v1').colbert!.documentLength, 300);
    assert.deepEqual(
      [getPreset('colbert-ir/colbertv2.0').output, getPreset('answerdotai/answerai-colbert-small-v1').output],
      ['contextual', 'contextual'],
    );
    assert.equal(getPreset('jinaai/jina-colbert-v2').revision, '4cf816e5e2b03167b132a3c847a9ecd48ba708e1');
    const jina = getPreset('jinaai/jina-colbert-v2');
    assert.deepEqual([jina.colbert!.maskToken, jina.colbert!.attendToMaskTokens, jina.dims], ['<mask>', true, 128]);
  });
});

describe('lookup', () => {
  test('findPreset is case-insensitive and ignores a revision', () => {
    assert.equal(findPreset('baai/BGE-small-en-v1.5')?.id, 'BAAI/bge-small-en-v1.5');
    assert.equal(findPreset('BAAI/bge-small-en-v1.5@abc')?.id, 'BAAI/bge-small-en-v1.5');
    assert.equal(findPreset('acme/unknown'), undefined);
    assert.equal(findPreset('cross-encoder/ms-marco-MiniLM-L6-v2')?.id, 'cross-encoder/ms-marco-MiniLM-L-6-v2');
    assert.equal(findPresetByOnnxRepo('Xenova/bge-small-en-v1.5')?.id, 'BAAI/bge-small-en-v1.5');
  });

  test('getPreset on an unknown id lists the known ids and the fields to give instead', () => {
    throwsCode(
      () => getPreset('acme/unknown'),
      'MODEL_ERROR',
      'acme/unknown',
      'BAAI/bge-small-en-v1.5',
      'colbert-ir/colbertv2.0',
      '--pooling',
      '--activation',
      '--max-length',
    );
  });
});

describe('presetFromFlags', () => {
  test('explicit fields override a preset without changing the table', () => {
    const p = presetFromFlags('BAAI/bge-small-en-v1.5', 'bi-encoder', { maxLength: 128, queryPrefix: '', pooling: undefined });
    assert.equal(p.maxLength, 128);
    assert.equal(p.queryPrefix, '');
    assert.equal(p.pooling, 'cls');
    assert.ok(Object.isFrozen(p));
    assert.equal(getPreset('BAAI/bge-small-en-v1.5').maxLength, 512);
  });

  test('a model without a preset is built from its fields', () => {
    const bi = presetFromFlags('./my-model', 'bi-encoder', { pooling: 'mean', maxLength: 256, normalize: true, documentPrefix: 'doc: ' });
    assert.deepEqual(
      [bi.id, bi.role, bi.pooling, bi.maxLength, bi.normalize, bi.documentPrefix, bi.output],
      ['./my-model', 'bi-encoder', 'mean', 256, true, 'doc: ', 'last_hidden_state'],
    );
    assert.deepEqual(bi.inputs, []);
    const ce = presetFromFlags('acme/reranker', 'cross-encoder', { activation: 'sigmoid', maxLength: 512 });
    assert.deepEqual([ce.activation, ce.output, ce.normalize], ['sigmoid', 'logits', undefined]);
  });

  test('missing, wrong or mismatched fields are clear errors', () => {
    throwsCode(
      () => presetFromFlags('acme/x', 'bi-encoder', { normalize: true }),
      'MODEL_ERROR',
      'acme/x',
      'pooling',
      '--pooling',
      'maxLength',
      '--max-length',
    );
    throwsCode(() => presetFromFlags('acme/x', 'cross-encoder', { maxLength: 512 }), 'MODEL_ERROR', 'activation', '--activation');
    throwsCode(() => presetFromFlags('acme/x', 'multi-vector', {}), 'MODEL_ERROR', 'colbert-ir/colbertv2.0');
    throwsCode(() => presetFromFlags('BAAI/bge-reranker-base', 'bi-encoder', {}), 'MODEL_ERROR', 'cross-encoder');
    throwsCode(
      () => presetFromFlags('acme/x', 'bi-encoder', { pooling: 'weightedmean' as never, maxLength: 128 }),
      'INVALID_ARGUMENT',
      '--pooling',
      'weightedmean',
    );
    throwsCode(() => presetFromFlags('acme/x', 'bi-encoder', { pooling: 'cls', maxLength: 1.5 }), 'INVALID_ARGUMENT', '--max-length');
    throwsCode(() => presetFromFlags('acme/x', 'cross-encoder', { activation: 'softmax', maxLength: 512 }), 'INVALID_ARGUMENT', 'label');
    assert.equal(presetFromFlags('acme/x', 'cross-encoder', { activation: 'softmax', labelIndex: 1, maxLength: 512 }).labelIndex, 1);
  });
});
