import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentFromFile, documentsFromFolder, listTextFiles } from './files.ts';
import { isShortlistError } from '../core/errors.ts';

function folder(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-files-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), body);
  }
  return root;
}

test('markdown and text files become documents with relative ids and heading titles', (t) => {
  const root = folder({
    'b.md': '# Bee notes\n\nBees make honey.',
    'a/x.txt': '# not a title\nplain',
    'a/skip.json': '{}',
    '.hidden/y.md': 'no',
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(
    listTextFiles(root).map((f) => f.slice(root.length + 1)),
    ['a/x.txt', 'b.md'],
  );
  assert.deepEqual(documentsFromFolder(root), [
    { id: 'a/x.txt', text: '# not a title\nplain', metadata: { path: 'a/x.txt', ext: 'txt' } },
    { id: 'b.md', title: 'Bee notes', text: '# Bee notes\n\nBees make honey.', metadata: { path: 'b.md', ext: 'md' } },
  ]);
});

test('non-UTF-8 and empty files are errors naming the file and the bad byte', (t) => {
  const root = folder({ 'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f]), 'empty.md': ' \n', 'ok.md': 'fine' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.throws(
    () => documentFromFile(join(root, 'latin1.txt'), root),
    (e) => isShortlistError(e, 'INVALID_INPUT') && /latin1\.txt: is not UTF-8 text \(byte 3\)/.test(e.message),
  );
  assert.throws(
    () => documentFromFile(join(root, 'empty.md'), root),
    (e) => isShortlistError(e, 'INVALID_INPUT') && /empty\.md: is empty/.test(e.message),
  );
  assert.throws(
    () => documentsFromFolder(root),
    (e) => isShortlistError(e, 'INVALID_INPUT'),
  );
  assert.throws(
    () => documentsFromFolder(join(root, 'nope')),
    (e) => isShortlistError(e, 'NOT_FOUND'),
  );
  const bare = folder({ 'x.json': '{}' });
  t.after(() => rmSync(bare, { recursive: true, force: true }));
  assert.throws(
    () => documentsFromFolder(bare),
    (e) => isShortlistError(e, 'EMPTY_INPUT'),
  );
});
