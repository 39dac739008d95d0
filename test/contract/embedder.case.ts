/**
 * The contract every embedder meets, local (BiEncoder over an ONNX model) or remote (an HTTP
 * provider): call `embedderContract(name, setup)` from a runner test file. `setup` builds the
 * embedder once for the suite and says what it supports.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import type { EmbedKind, EmbedOptions } from '../../src/models/encoders/bi-encoder.ts';

/** The part of an embedder the contract exercises. */
export interface ContractEmbedder {
  readonly name: string;
  embed(texts: readonly string[], kind: EmbedKind, options?: EmbedOptions): Promise<Float32Array[]>;
}

/** What a runner hands the contract. */
export interface EmbedderSetup {
  embedder: ContractEmbedder;
  /** A dimension below the full one that `dims` may truncate to (Matryoshka); undefined = skip that check's truncation half. */
  truncateTo?: number;
  /** Release everything (server, session). */
  dispose(): Promise<void>;
}

const TEXTS = [
  'the cat sat on the mat',
  'a dog barked at the mailman',
  'stock markets fell sharply today',
  'cats and dogs as pets',
  'rain expected over the weekend',
];
const TOL = 1e-4;

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function close(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) <= TOL);
}

/** Run the embedder contract against the embedder `setup` builds. */
export function embedderContract(name: string, setup: () => Promise<EmbedderSetup>): void {
  describe(`embedder contract: ${name}`, () => {
    let s: EmbedderSetup;
    before(async () => {
      s = await setup();
    });
    after(() => s?.dispose());

    test('one finite unit vector per text, all the same length, as Float32Array', async () => {
      for (const kind of ['query', 'document'] as const) {
        const out = await s.embedder.embed(TEXTS, kind);
        assert.equal(out.length, TEXTS.length);
        const dim = out[0].length;
        assert.ok(dim > 1);
        for (const v of out) {
          assert.ok(v instanceof Float32Array);
          assert.equal(v.length, dim);
          assert.ok(v.every(Number.isFinite));
          assert.ok(Math.abs(norm(v) - 1) < 1e-3, `norm ${norm(v)}`);
        }
      }
    });

    test('input order is kept, and a vector does not depend on its batch-mates', async () => {
      const all = await s.embedder.embed(TEXTS, 'document');
      const reversed = await s.embedder.embed([...TEXTS].reverse(), 'document');
      TEXTS.forEach((_, i) => assert.ok(close(all[i], reversed[TEXTS.length - 1 - i]), `text ${i} moved or changed`));
      const alone = await s.embedder.embed([TEXTS[2]], 'document');
      assert.ok(close(alone[0], all[2]));
      // Distinct texts get distinct vectors, equal texts equal ones.
      assert.ok(!close(all[0], all[2]));
      const twice = await s.embedder.embed([TEXTS[1], TEXTS[1]], 'query');
      assert.ok(close(twice[0], twice[1]));
    });

    test('no texts → no vectors; a blank text → INVALID_INPUT naming its index', async () => {
      assert.deepEqual(await s.embedder.embed([], 'query'), []);
      await assert.rejects(
        s.embedder.embed(['fine', '  '], 'document'),
        (e) => isShortlistError(e, 'INVALID_INPUT') && /1/.test(e.message),
      );
    });

    test('dims truncates to a unit vector of that length; more than the model has is INVALID_ARGUMENT', async () => {
      const [full] = await s.embedder.embed([TEXTS[0]], 'query');
      if (s.truncateTo !== undefined) {
        const [short] = await s.embedder.embed([TEXTS[0]], 'query', { dims: s.truncateTo });
        assert.equal(short.length, s.truncateTo);
        assert.ok(Math.abs(norm(short) - 1) < 1e-3);
      }
      await assert.rejects(s.embedder.embed([TEXTS[0]], 'query', { dims: full.length + 1 }), (e) =>
        isShortlistError(e, 'INVALID_ARGUMENT'),
      );
      await assert.rejects(s.embedder.embed([TEXTS[0]], 'query', { dims: 0 }), (e) => isShortlistError(e, 'INVALID_ARGUMENT'));
    });
  });
}
