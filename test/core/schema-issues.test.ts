/** One helper turns schema issues into a ShortlistError whose location is a JSON path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { fromIssues, jsonPath } from '../../src/core/errors.ts';
import { resolvePipeline } from '../../src/pipeline/config.ts';
import { resolveFusion } from '../../src/fuse/config.ts';
import { resolveMineOptions } from '../../src/lab/mine/options.ts';
import { loadCalibration } from '../../src/pipeline/calibration/fit.ts';
import { asShortlistError, errorBody } from '../../src/server/errors.ts';

test('jsonPath writes indices in brackets and names in dots, from a root', () => {
  assert.equal(jsonPath(['retrievers', 0, 'k']), '$.retrievers[0].k');
  assert.equal(jsonPath([]), '$');
  assert.equal(jsonPath(['rerank', 1], 'pipeline'), 'pipeline.rerank[1]');
});

test('fromIssues: the first issue, the count of the rest, a hint, the file and a JSON-path field', () => {
  const r = z.object({ a: z.array(z.object({ k: z.number() })), b: z.string() }).safeParse({ a: [{ k: 'x' }], b: 1 });
  assert.equal(r.success, false);
  const e = fromIssues('INVALID_INPUT', r.error!.issues, { root: 'cfg', hint: '; fix it', file: 'c.json' });
  assert.equal(e.code, 'INVALID_INPUT');
  assert.match(e.message, /^c\.json: cfg\.a\[0\]\.k: .*number.* \(and 1 more problem\); fix it$/);
  assert.deepEqual(e.location, { file: 'c.json', field: '$.a[0].k' });
  const whole = fromIssues('INVALID_ARGUMENT', [{ path: [], message: 'expected an object' }], { root: '', whole: 'body' });
  assert.equal(whole.message, 'body: expected an object');
  assert.equal(whole.location?.field, '$');
});

test('every place that validates with a schema reports the JSON path of the bad field', () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as { location?: { field?: string } }).location?.field;
    }
    assert.fail('did not throw');
  };
  assert.equal(
    field(() => resolvePipeline({ rerank: [{ type: 'cross-encoder', model: 'm', keep: 0 }] })),
    '$.rerank[0].keep',
  );
  assert.equal(
    field(() => resolveFusion({ method: 'rrf', weights: { bm25: -1 } })),
    '$.weights.bm25',
  );
  assert.equal(
    field(() => resolveMineOptions({ rangeMax: -3 })),
    '$.rangeMax',
  );
  assert.equal(
    field(() => loadCalibration({ method: 'platt', params: { a: 'x' } }, 'fit.json')),
    '$.params.a',
  );
  const server = asShortlistError(z.object({ input: z.string() }).safeParse({ input: 3 }).error);
  assert.equal(server.location?.field, '$.input');
  assert.match(server.message, /^input: /);
  assert.equal(
    (errorBody(server, 'openai').body as { error: { param: string } }).error.param,
    'input',
    'OpenAI clients get the bare field name',
  );
});

test('listwise options are checked by one schema: a pipeline stage and the library both refuse step > windowSize', async () => {
  const { ListwiseReranker } = await import('../../src/rerank/llm-listwise/reranker.ts');
  const stage = { type: 'llm-listwise' as const, baseUrl: 'http://127.0.0.1:1/v1', model: 'm' };
  assert.throws(
    () => resolvePipeline({ rerank: [{ ...stage, windowSize: 5, step: 6 }] }),
    (e: Error & { code?: string; location?: { field?: string } }) =>
      e.code === 'INVALID_ARGUMENT' &&
      e.location?.field === '$.rerank[0].step' &&
      /^pipeline\.rerank\[0\]\.step: must not exceed windowSize \(5\), got 6$/.test(e.message),
  );
  assert.throws(
    () => resolvePipeline({ rerank: [{ ...stage, step: 21 }] }),
    /must not exceed windowSize \(20\), got 21/,
    'the default window counts',
  );
  assert.equal(resolvePipeline({ rerank: [{ ...stage, windowSize: 5, step: 5 }] }).rerank[0].name, 'llm-listwise');
  assert.throws(
    () => new ListwiseReranker({ baseUrl: stage.baseUrl, model: 'm', windowSize: 5, step: 6 }),
    /^ShortlistError: llm-listwise: step: must not exceed windowSize \(5\), got 6$|llm-listwise: step: must not exceed windowSize \(5\), got 6/,
  );
});
