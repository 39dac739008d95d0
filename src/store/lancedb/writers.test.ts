/**
 * Writers of the LanceDB backend: a writer process killed with SIGKILL in the middle of an upsert
 * (after it has deleted the old rows, while it embeds) leaves the previous version searchable and
 * the next upsert takes over the dead writer's lock; compaction; one writer at a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LanceCollectionStore } from './store.ts';
import type { Fingerprint } from '../fingerprint.ts';
import { isShortlistError } from '../../core/errors.ts';

const fingerprint: Fingerprint = {
  models: { dense: { id: 'test/constant', dims: 4 } },
  analyzer: 'english@1',
  chunking: { size: 16, overlap: 4 },
};
const embed = async (texts: string[]) => texts.map((t) => new Float32Array([t.length, 1, 0, 0]));

test('SIGKILL during an upsert leaves the previous version; the next upsert completes', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-kill-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'c');
  const store = await LanceCollectionStore.create(dir, { fingerprint, dims: 4 });
  const old = Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, text: `old text ${i}` }));
  await store.upsert(old, { embed });
  const before = await store.info();
  await store.close();

  const child = join(root, 'writer.mts');
  const storeUrl = new URL('./store.ts', import.meta.url).href;
  writeFileSync(
    child,
    `import { LanceCollectionStore } from ${JSON.stringify(storeUrl)};
const store = await LanceCollectionStore.open(${JSON.stringify(dir)});
const docs = Array.from({ length: 400 }, (_, i) => ({ id: 'd' + i, text: 'new text ' + i }));
await store.upsert(docs, { batchSize: 4, embed: async (texts) => {
  process.stdout.write('embedding\\n');
  await new Promise((r) => setTimeout(r, 20));
  return texts.map((t) => new Float32Array([t.length, 2, 0, 0]));
} });
process.stdout.write('committed\\n');
`,
  );
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.split('embedding').length > 3) resolve(); // a few batches in: old rows already deleted
      if (out.includes('committed')) reject(new Error('the writer finished before it was killed'));
    });
    proc.on('exit', () => reject(new Error(`the writer exited early: ${out}`)));
  });
  proc.kill('SIGKILL');
  await new Promise((r) => proc.once('close', r));
  assert.ok(existsSync(join(dir, 'LOCK')), 'the killed writer left its lock behind');

  const reader = await LanceCollectionStore.open(dir, { fingerprint });
  t.after(() => reader.close());
  assert.deepEqual(await reader.info(), before);
  assert.deepEqual((await reader.get(['d3']))[0].text, 'old text 3');
  const hits = await reader.vectorSearch(new Float32Array([1, 0, 0, 0]), 100);
  assert.equal(hits.length, 20);

  const next = await reader.upsert([...old.slice(0, 10), { id: 'x', text: 'extra' }], { embed });
  assert.deepEqual([next.added, next.unchanged, next.deleted], [1, 10, 0]);
  assert.equal((await reader.info()).documents, 21);
  assert.equal((await reader.vectorSearch(new Float32Array([1, 0, 0, 0]), 100)).length, 21);
  assert.ok(!existsSync(join(dir, 'LOCK')));
});

test('compact keeps the content and search results; a second writer in the same process is refused', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-compact-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = await LanceCollectionStore.create(join(root, 'c'), { fingerprint, dims: 4 });
  t.after(() => store.close());
  for (let i = 0; i < 5; i++) await store.upsert([{ id: `d${i}`, text: `text number ${i}` }], { embed });
  const q = new Float32Array([1, 0.5, 0, 0]);
  const before = await store.vectorSearch(q, 10);
  const info = await store.info();
  const r = await store.compact(new Date());
  assert.equal(r.version, info.version + 1);
  assert.deepEqual(await store.vectorSearch(q, 10), before);
  assert.deepEqual({ ...(await store.info()), version: 0 }, { ...info, version: 0 });

  let release!: () => void;
  const slow = store.upsert([{ id: 'slow', text: 'slow one' }], {
    embed: async (texts) => (await new Promise<void>((r) => (release = r)), embed(texts)),
  });
  while (!release) await new Promise((r) => setTimeout(r, 5));
  await assert.rejects(store.delete(['d0']), (e) => isShortlistError(e, 'CONFLICT') && /another writer \(process \d+\)/.test(e.message));
  release();
  assert.equal((await slow).added, 1);
  assert.equal((await store.delete(['d0'])).deleted, 1);
});
