/** The one registry of locations: which entry a location string belongs to, and a folder root's listing. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isShortlistError } from '../../src/core/errors.ts';
import { Collection } from '../../src/engine/collection.ts';
import { LOCATIONS, locationFor } from '../../src/engine/home/index.ts';

test('each location string belongs to exactly one entry; the folder takes the rest', () => {
  assert.deepEqual(
    LOCATIONS.map((l) => l.id),
    ['postgres', 's3', 'folder'],
  );
  assert.ok(Object.isFrozen(LOCATIONS) && LOCATIONS.every((l) => Object.isFrozen(l)));
  assert.equal(locationFor('postgres://u:secret@h:5432/db?schema=a').id, 'postgres');
  assert.equal(locationFor('postgresql://h/db?schema=a').id, 'postgres');
  assert.equal(locationFor('s3://bucket/prefix').id, 's3');
  assert.equal(locationFor('./collections/docs').id, 'folder');
  assert.doesNotMatch(locationFor('postgres://u:secret@h:5432/db?schema=a').display('postgres://u:secret@h:5432/db?schema=a'), /secret/);
  assert.equal(locationFor('s3://b/p').child('s3://b/p', 'docs'), 's3://b/p/docs');
  assert.throws(
    () => locationFor(''),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT'),
  );
});

test('a folder root lists the collections in it, and a collection opens and is found through its entry', async () => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-locations-'));
  try {
    const folder = locationFor(root);
    assert.deepEqual(await folder.list(root), []);
    const c = await Collection.create(folder.child(root, 'b'), 'bm25');
    await c.close();
    await (await Collection.create(folder.child(root, 'a'), 'bm25')).close();
    assert.deepEqual(await folder.list(root), ['a', 'b']);
    assert.equal(await folder.exists(join(root, 'a')), true);
    assert.equal(await folder.exists(join(root, 'zzz')), false);
    const { home } = await folder.open(join(root, 'a'));
    assert.equal(home.lexicalStats().documents, 0);
    await home.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
