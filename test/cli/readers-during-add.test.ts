/**
 * Readers keep working while a writer ingests, across processes: a second process searches a
 * dense collection in a loop (a fresh `Collection.open` per search, and one long-lived handle that
 * calls `refresh()`), while this process runs the real `shortlist add` of a larger batch. Every
 * answer the reader gets must be the old version's or the new version's exact answer — never an
 * error, an empty list or a mix — and after the add the reader sees the new version.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { runCli } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-readers-'));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { SHORTLIST_CACHE: join(root, 'cache'), SHORTLIST_OFFLINE: '1' };
const REPO = fileURLToPath(new URL('../..', import.meta.url));

async function ok(...args: string[]): Promise<string> {
  const r = await runCli(args, { env });
  assert.equal(r.code, 0, `shortlist ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
}

/** One line the reader prints per search. */
interface Read {
  mode: 'open' | 'refresh';
  version: number;
  documents: number;
  ids: string[];
  error?: string;
}

test('a reader in another process gets the old or the new answer while `shortlist add` writes, then the new one', async (t) => {
  let t0 = performance.now();
  const enc = await tinyModel('encoder');
  const pipeline = {
    retrievers: [{ type: 'dense', model: enc, pooling: 'mean', normalize: true, maxLength: 32, threads: 1 }],
    depth: 10,
    rerank: [],
    k: 5,
    chunking: { size: 24, overlap: 4 },
  };
  const pfile = join(root, 'pipeline.json');
  writeFileSync(pfile, JSON.stringify(pipeline));
  const small = writeCollection(join(root, 'small'), { docs: 30, queries: 1, seed: 1 });
  writeCollection(join(root, 'big'), { docs: 500, queries: 1, seed: 2 });
  const c = join(root, 'c');
  await ok('init', c, '--pipeline', pfile);
  await ok('add', c, join(root, 'small'));
  const query = small.queries[0].text;
  t.diagnostic(`setup ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const script = join(root, 'reader.mts');
  writeFileSync(
    script,
    `import { existsSync } from 'node:fs';
import { Collection } from ${JSON.stringify(new URL('../../src/engine/collection.ts', import.meta.url).href)};
const [dir, query, stopFile] = process.argv.slice(2);
const held = await Collection.open(dir);
const read = async (mode, c) => {
  try {
    const r = await c.search(query);
    const i = await c.info();
    return { mode, version: i.version, documents: i.documents, ids: r.hits.map((h) => h.id) };
  } catch (err) {
    return { mode, version: -1, documents: -1, ids: [], error: String(err?.stack ?? err) };
  }
};
process.stdout.write('ready\\n');
while (!existsSync(stopFile)) {
  const c = await Collection.open(dir).catch((err) => err);
  if (c instanceof Error) process.stdout.write(JSON.stringify({ mode: 'open', version: -1, documents: -1, ids: [], error: String(c.stack) }) + '\\n');
  else {
    process.stdout.write(JSON.stringify(await read('open', c)) + '\\n');
    await c.close();
  }
  await held.refresh();
  process.stdout.write(JSON.stringify(await read('refresh', held)) + '\\n');
}
await held.close();
`,
  );
  const stopFile = join(root, 'stop');
  const reader = spawn(process.execPath, ['--import', 'tsx', script, c, query, stopFile], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  reader.stdout.on('data', (b: Buffer) => (out += b.toString()));
  reader.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((r) => reader.on('close', r));
  const reads = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Read);
  const waitFor = async (cond: () => boolean, what: string) => {
    const deadline = Date.now() + 60_000;
    while (!cond()) {
      if (Date.now() > deadline || reader.exitCode !== null) throw new Error(`reader: ${what} never happened; stderr: ${err}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await waitFor(() => reads().length >= 2, 'a first search');
  const before = reads().length;

  t0 = performance.now();
  const added = JSON.parse(await ok('add', c, join(root, 'big'), '--json'));
  const during = reads().length - before;
  t.diagnostic(`add took ${((performance.now() - t0) / 1000).toFixed(1)} s; ${during} reads meanwhile`);
  const after = JSON.parse(await ok('search', c, query, '--json')).hits.map((h: { id: string }) => h.id);
  await waitFor(
    () =>
      reads()
        .slice(-2)
        .every((r) => r.version === added.version),
    'a read of the new version',
  );
  writeFileSync(stopFile, '');
  assert.equal(await exited, 0, err);

  const all = reads();
  const old = all[0];
  assert.deepEqual(
    all.filter((r) => r.error),
    [],
    'no read failed',
  );
  assert.equal(old.ids.length, 5);
  assert.ok(added.added > 450 && added.version === old.version + 1, JSON.stringify(added));
  assert.notDeepEqual(after, old.ids, 'the add changes the answer, so a mix would show');
  for (const r of all) {
    if (r.version === old.version) assert.deepEqual([r.documents, r.ids], [30, old.ids], `a read of version ${r.version}`);
    else assert.deepEqual([r.version, r.documents, r.ids], [added.version, 500, after], 'a read of the new version');
  }
  assert.ok(during >= 2, `the reader searched while the add ran (${during} reads)`);
  assert.ok(
    all.some((r) => r.mode === 'refresh' && r.version === old.version) && all.at(-1)!.version === added.version,
    'the long-lived handle moved from the old version to the new one',
  );
});
