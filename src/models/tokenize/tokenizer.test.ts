/**
 * TextTokenizer's own behaviour: special tokens and templates, only-second truncation, overflow
 * windows, and the errors for bad folders and impossible lengths. Parity with the Rust tokenizers
 * is in parity.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isShortlistError } from '../../core/errors.ts';
import { bertTokenizerConfig, bertTokenizerJson } from '../../../scripts/models/hub-files.ts';
import { byteLevelBpeTokenizer } from '../../../scripts/models/synthetic-tokenizers.ts';
import { builtinVocab } from '../../../scripts/models/vocab.ts';
import { TextTokenizer, windowRanges } from './index.ts';

function bert(vocab: string[]) {
  return { tokenizer: bertTokenizerJson(vocab), config: bertTokenizerConfig(vocab, 512) };
}

describe('TextTokenizer', () => {
  const { tokenizer, config } = bert(builtinVocab());
  const tok = TextTokenizer.fromJson(tokenizer, config);

  test('special tokens, pad id and template layout', () => {
    assert.equal(tok.specialTokens.cls?.token, '[CLS]');
    assert.equal(tok.padId, tok.tokenId('[PAD]'));
    assert.equal(tok.maskToken, '[MASK]');
    assert.equal(tok.numAddedTokens(false), 2);
    assert.equal(tok.numAddedTokens(true), 3);
    const pair = tok.encodePair('the cell', 'the gene');
    assert.deepEqual(pair.ids, [
      tok.tokenId('[CLS]'),
      tok.tokenId('the'),
      tok.tokenId('cell'),
      tok.tokenId('[SEP]'),
      tok.tokenId('the'),
      tok.tokenId('gene'),
      tok.tokenId('[SEP]'),
    ]);
    assert.deepEqual(pair.typeIds, [0, 0, 0, 0, 1, 1, 1]);
    assert.equal(pair.length, 7);
    assert.deepEqual(tok.encode('the cell', undefined, { addSpecialTokens: false }).ids, tok.tokenIds('the cell'));
    assert.deepEqual(tok.withSpecialTokens(tok.tokenIds('the'), tok.tokenIds('cell')).ids, tok.encodePair('the', 'cell').ids);
    assert.equal(tok.pairLength('the cell', 'the gene'), 7);
    const bpe = TextTokenizer.fromJson(byteLevelBpeTokenizer().tokenizer, byteLevelBpeTokenizer().config);
    assert.equal(bpe.padId, 1);
    assert.equal(bpe.numAddedTokens(true), 4);
    assert.ok(bpe.encodePair('a', 'b').typeIds.every((t) => t === 0));
  });

  test('pair truncation cuts only the document; windows overlap by the stride and cover it', () => {
    const doc = Array.from({ length: 100 }, (_, i) => ['cell', 'gene', 'protein', 'study'][i % 4]).join(' ');
    const enc = tok.encodePair('the query', doc, 32);
    assert.equal(enc.length, 32);
    assert.deepEqual(enc.ids.slice(0, 4), [tok.tokenId('[CLS]'), tok.tokenId('the'), tok.tokenId('query'), tok.tokenId('[SEP]')]);
    const windows = tok.encodePairWindows('the query', doc, 32, 8);
    const room = 32 - 3 - 2;
    assert.deepEqual(windows.map((w) => w.length).slice(0, -1), new Array(windows.length - 1).fill(32));
    const docIds = tok.tokenIds(doc);
    windows.forEach((w, j) => assert.deepEqual(w.ids.slice(4, -1), docIds.slice(j * (room - 8), j * (room - 8) + room)));
    assert.equal(windows.at(-1)!.ids.at(-2), docIds.at(-1));
    assert.equal(tok.encodePairWindows('the query', 'short', 32, 8).length, 1);
  });

  test('a query that leaves no room for the document, or a stride too large, is a clear error', () => {
    const long = 'cell '.repeat(40);
    assert.throws(
      () => tok.encodePair(long, 'gene', 32),
      (e: unknown) => isShortlistError(e, 'INVALID_ARGUMENT') && /query takes 40 tokens/.test((e as Error).message),
    );
    assert.throws(
      () => tok.encodePairWindows('q', 'gene '.repeat(100), 32, 40),
      (e: unknown) => isShortlistError(e, 'INVALID_ARGUMENT') && /stride/.test((e as Error).message),
    );
    assert.throws(
      () => tok.encode('x', 1),
      (e: unknown) => isShortlistError(e, 'INVALID_ARGUMENT'),
    );
    // Like Rust: a pair past maxLength fails when the document cannot be cut enough, even an empty one.
    assert.throws(
      () => tok.encodePair(long, '', 32),
      (e: unknown) => isShortlistError(e, 'INVALID_ARGUMENT'),
    );
    assert.equal(tok.encodePair('the', '', 32).length, 4);
  });

  test('a folder without tokenizer.json, or with a broken one, fails naming folder and file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shortlist-tok-'));
    after(() => rm(dir, { recursive: true, force: true }));
    await assert.rejects(
      TextTokenizer.fromFolder(dir),
      (e: unknown) =>
        isShortlistError(e, 'MODEL_ERROR') &&
        (e as Error).message.includes(dir) &&
        /tokenizer\.json does not exist/.test((e as Error).message),
    );
    await writeFile(join(dir, 'tokenizer.json'), '{"model": ');
    await assert.rejects(
      TextTokenizer.fromFolder(dir),
      (e: unknown) => isShortlistError(e, 'MODEL_ERROR') && /tokenizer\.json: not valid JSON/.test((e as Error).message),
    );
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    const loaded = await TextTokenizer.fromFolder(dir);
    assert.deepEqual(loaded.encode('the cell').ids, tok.encode('the cell').ids);
  });

  test('windowRanges matches HF overflow windows', () => {
    assert.deepEqual(windowRanges(5, 10, 2), [[0, 5]]);
    assert.deepEqual(windowRanges(10, 4, 1), [
      [0, 4],
      [3, 7],
      [6, 10],
    ]);
    assert.deepEqual(windowRanges(10, 4, 0), [
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    assert.deepEqual(windowRanges(0, 4, 0), [[0, 0]]);
    assert.throws(
      () => windowRanges(10, 4, 4),
      (e: unknown) => isShortlistError(e, 'INVALID_ARGUMENT'),
    );
  });
});
