import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkVectors, contentHash, planUpsert, prepareDocs } from './plan.ts';
import { isShortlistError } from '../core/errors.ts';

test('content hash covers title and text, not metadata; metadata is compared canonically', () => {
  const [a, b] = prepareDocs([
    { id: 'a', text: 't', metadata: { y: 1, x: [1, 2] } },
    { id: 'b', text: 't', title: 'T' },
  ]);
  assert.equal(a.contentHash, contentHash({ text: 't' }));
  assert.notEqual(a.contentHash, b.contentHash);
  assert.equal(a.metadataJson, '{"x":[1,2],"y":1}');
  assert.equal(b.metadataJson, '{}');
});

test('planUpsert sorts documents into added, content-updated, metadata-only and unchanged', () => {
  const prepared = prepareDocs([
    { id: 'new', text: 'n' },
    { id: 'same', text: 's', metadata: { k: 1 } },
    { id: 'text', text: 'changed' },
    { id: 'meta', text: 'm', metadata: { k: 2 } },
  ]);
  const stored = new Map([
    ['same', { contentHash: contentHash({ text: 's' }), metadataJson: '{"k":1}' }],
    ['text', { contentHash: contentHash({ text: 'old' }), metadataJson: '{}' }],
    ['meta', { contentHash: contentHash({ text: 'm' }), metadataJson: '{"k":1}' }],
  ]);
  const plan = planUpsert(prepared, stored);
  assert.deepEqual(
    plan.embed.map((p) => p.doc.id),
    ['new', 'text'],
  );
  assert.deepEqual(
    plan.metadataOnly.map((p) => p.doc.id),
    ['meta'],
  );
  assert.deepEqual([plan.added, plan.updated, plan.unchanged], [1, 2, 1]);
});

test('checkVectors names what is wrong with an embed result', () => {
  const ok = [new Float32Array(3)];
  assert.equal(checkVectors(ok, 1, 3, 'embed'), ok);
  const cases: [unknown, RegExp][] = [
    [[], /returned 0 vectors for 1 texts/],
    [[[1, 2, 3]], /returned a Array/],
    [[new Float32Array(4)], /4 components; the collection holds 3/],
    [[new Float32Array([1, NaN, 0])], /NaN at component 1/],
  ];
  for (const [v, re] of cases)
    assert.throws(
      () => checkVectors(v, 1, 3, 'embed'),
      (e) => isShortlistError(e, 'MODEL_ERROR') && re.test(e.message),
    );
});
