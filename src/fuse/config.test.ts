/** The fusion config: defaults, validation messages, frozen results, embedding in a larger zod schema. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { CONVEX_DEFAULTS, DEFAULTS, FusionSchema, resolveFusion } from './config.ts';
import { throwsShortlist } from './test-helpers.ts';

test('no input gives RRF with k = 60 and equal weights, as a new frozen object', () => {
  const r = resolveFusion(undefined);
  assert.deepEqual(r, { method: 'rrf', k: 60, weights: {} });
  assert.notEqual(r, DEFAULTS);
  assert.ok(Object.isFrozen(r) && Object.isFrozen(r.weights));
  assert.ok(Object.isFrozen(DEFAULTS) && Object.isFrozen(CONVEX_DEFAULTS));
});

test('a missing method means rrf; given values override defaults; the input is not mutated', () => {
  const input = { k: 10, weights: { bm25: 2 } };
  const r = resolveFusion(input);
  assert.deepEqual(r, { method: 'rrf', k: 10, weights: { bm25: 2 } });
  assert.deepEqual(input, { k: 10, weights: { bm25: 2 } });
  assert.notEqual(r.weights, input.weights);
  assert.ok(Object.isFrozen(r.weights));
});

test('convex fills normalizer and clip, keeps the required missing policy', () => {
  assert.deepEqual(resolveFusion({ method: 'convex', missing: 'drop' }), {
    method: 'convex',
    normalizer: 'minmax',
    weights: {},
    clip: false,
    missing: 'drop',
  });
  const r = resolveFusion({ method: 'convex', normalizer: 'dbsf', missing: 'zero', clip: true, weights: { dense: 0.7, bm25: 0.3 } });
  assert.equal(r.method === 'convex' && r.normalizer, 'dbsf');
});

test('an unknown method lists the valid ones', () => {
  throwsShortlist(
    () => resolveFusion({ method: 'combsum' }),
    'INVALID_ARGUMENT',
    /fusion\.method is "combsum"; valid methods: rrf, convex/,
  );
});

test('convex without a missing policy fails and says there is no default', () => {
  throwsShortlist(
    () => resolveFusion({ method: 'convex' }),
    'INVALID_ARGUMENT',
    /fusion\.missing: .*"zero"\|"min"\|"drop".*there is no default/,
  );
});

test('bad fields are named with their path', () => {
  throwsShortlist(() => resolveFusion({ method: 'rrf', k: -1 }), 'INVALID_ARGUMENT', /^fusion\.k: /);
  throwsShortlist(() => resolveFusion({ method: 'rrf', k: Number.POSITIVE_INFINITY }), 'INVALID_ARGUMENT', /^fusion\.k: /);
  throwsShortlist(() => resolveFusion({ method: 'rrf', weights: { bm25: -1 } }), 'INVALID_ARGUMENT', /^fusion\.weights\.bm25: /);
  throwsShortlist(
    () => resolveFusion({ method: 'convex', missing: 'zero', normalizer: 'l2' }),
    'INVALID_ARGUMENT',
    /fusion\.normalizer: .*minmax/,
  );
  throwsShortlist(() => resolveFusion({ method: 'rrf', normaliser: 'minmax' }), 'INVALID_ARGUMENT', /Unrecognized key.*normaliser/);
  throwsShortlist(() => resolveFusion({ method: 'rrf', missing: 'zero' }), 'INVALID_ARGUMENT', /Unrecognized key.*missing/);
  throwsShortlist(
    () => resolveFusion({ method: 'convex', missing: 'zero', clip: true }),
    'INVALID_ARGUMENT',
    /fusion\.clip applies to normalizer "dbsf" only/,
  );
  throwsShortlist(() => resolveFusion('rrf'), 'INVALID_ARGUMENT', /fusion must be an object/);
  throwsShortlist(() => resolveFusion({ k: 'x' }, 'pipeline.json: fusion'), 'INVALID_ARGUMENT', /^pipeline\.json: fusion\.k: /);
});

test('the schema embeds in a pipeline schema and parses JSON', () => {
  const Pipeline = z.object({ fusion: FusionSchema.optional() });
  const parsed = Pipeline.parse(JSON.parse('{"fusion":{"method":"convex","normalizer":"zscore","missing":"min"}}'));
  assert.deepEqual(resolveFusion(parsed.fusion), { method: 'convex', normalizer: 'zscore', weights: {}, clip: false, missing: 'min' });
  assert.equal(Pipeline.safeParse({ fusion: { method: 'convex' } }).success, false);
});
