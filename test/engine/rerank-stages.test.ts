/** The rerank stage registry: one frozen entry per type the pipeline schema accepts, unknown types named with the valid ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isShortlistError } from '../../src/core/errors.ts';
import { fetchReranker, isRemoteStage, loadReranker, RERANK_STAGES, rerankStage } from '../../src/engine/models.ts';
import { resolvePipeline, RerankStageSchema } from '../../src/pipeline/config.ts';

/** Every `type` the pipeline JSON accepts for a rerank stage. */
function schemaTypes(): string[] {
  return RerankStageSchema.options.flatMap((o) => {
    const t = o.shape.type as { value?: string; options?: readonly string[] };
    return t.options ? [...t.options] : [t.value!];
  });
}

test('the registry is frozen and has one entry per rerank type of the pipeline schema', () => {
  assert.ok(Object.isFrozen(RERANK_STAGES));
  assert.deepEqual(Object.keys(RERANK_STAGES).sort(), schemaTypes().sort());
  assert.deepEqual(
    Object.keys(RERANK_STAGES)
      .filter((t) => isRemoteStage({ type: t }))
      .sort(),
    ['llm-listwise', 'remote'],
  );
});

test('an unknown type fails naming the valid ones', () => {
  assert.throws(
    () => rerankStage('bm42'),
    (e) =>
      isShortlistError(e, 'INVALID_ARGUMENT') &&
      /unknown rerank stage type "bm42"; valid types: cross-encoder, colbert, llm-listwise, remote/.test((e as Error).message),
  );
  assert.throws(
    () => rerankStage('toString'),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
    'an inherited name is not a type',
  );
});

test('remote stages load without a request or a download; a listwise stage keeps its own cache, a hosted one is wrapped in the score cache', async () => {
  const p = resolvePipeline({
    rerank: [
      { type: 'llm-listwise', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' },
      { type: 'remote', provider: 'cohere', model: 'rerank-v3.5', baseUrl: 'http://127.0.0.1:1', apiKey: { env: 'SHORTLIST_NO_SUCH_KEY' } },
    ],
  });
  for (const s of p.rerank) await fetchReranker(s);
  const [listwise, hosted] = await Promise.all(p.rerank.map((s) => loadReranker(s, 8)));
  assert.equal(listwise.name, 'llm-listwise');
  assert.equal(listwise.constructor.name, 'ListwiseReranker');
  assert.equal(hosted.name, 'remote');
  assert.equal(hosted.constructor.name, 'CachedReranker');
  assert.equal(hosted.cache.stats.capacity, 8);
  await Promise.all([listwise.dispose(), hosted.dispose()]);
});
