/**
 * `eval --pipeline dense` on scifact (../shared; a visible skip without it): when the calibrated
 * structure of the collection's vector index is the float32 exact scan, every query's ranked list
 * (ids, order, scores) equals the one the plain exact scan gives — the dense store searched with
 * `exact: true`, which is how dense search answered before the in-process index. A tiny generated
 * encoder embeds the corpus (random weights: the rankings are arbitrary but deterministic).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { Collection } from '../../src/engine/collection.ts';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import { LanceCollectionStore } from '../../src/store/lancedb/store.ts';
import type { VectorSearchOptions } from '../../src/store/types.ts';

const scifact = fileURLToPath(new URL('../../../shared/datasets/scifact/', import.meta.url));

test('scifact: eval --pipeline dense through the calibrated exact structure equals the plain exact scan per query', {
  skip: existsSync(scifact) ? false : `${scifact} not present (clean clone without ../shared)`,
  timeout: 900_000,
}, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-dense-scifact-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'c');
  const model = await tinyModel('encoder');
  // `quantization: none` restricts the calibration to float32: below ann.threshold that is the exact scan
  const pipeline = {
    retrievers: [
      {
        type: 'dense' as const,
        model,
        pooling: 'mean' as const,
        normalize: true,
        maxLength: 64,
        threads: 1,
        quantization: 'none' as const,
      },
    ],
    depth: 100,
  };
  const calibrated = await evaluatePipeline(scifact, pipeline, { collection: dir });
  const c = await Collection.open(dir);
  const info = await c.info();
  await c.close();
  assert.equal(info.vectorIndex?.path, 'exact float32');
  // the same collection, every vector search forced onto the plain exact scan
  const original = LanceCollectionStore.prototype.vectorSearch;
  let forced = 0;
  LanceCollectionStore.prototype.vectorSearch = function (
    this: LanceCollectionStore,
    v: Float32Array,
    k: number,
    o: VectorSearchOptions = {},
  ) {
    forced++;
    return original.call(this, v, k, { ...o, exact: true });
  };
  let plain;
  try {
    plain = await evaluatePipeline(scifact, pipeline, { collection: dir });
  } finally {
    LanceCollectionStore.prototype.vectorSearch = original;
  }
  assert.ok(forced >= 300, `the exact scan answered ${forced} searches`);
  const a = calibrated.runs.get('dense')!;
  const b = plain.runs.get('dense')!;
  assert.ok(a.size >= 300, `${a.size} queries`);
  assert.equal(b.size, a.size);
  for (const [qid, hits] of b) assert.deepEqual(a.get(qid), hits, `query ${qid}`);
  const at = (r: typeof calibrated) => r.stages.find((s) => s.stage === 'dense')!.metrics;
  assert.deepEqual(at(calibrated), at(plain));
});
