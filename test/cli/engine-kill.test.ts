/**
 * Killing `shortlist add` at any point (a real SIGKILL) leaves one whole version searchable — the
 * previous one, or the new one once its manifest is committed — and the next `add` completes
 * cleanly, with the store and the BM25 index agreeing. (Every named point of the write path, on
 * dense and hybrid collections and under `serve`, is in collection-kill.test.ts.)
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCollection } from '../support/collection.ts';
import { runCli, startCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-engine-kill-'));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { SHORTLIST_CACHE: join(root, 'cache') };

async function ok(...args: string[]): Promise<string> {
  const r = await runCli(args, { env });
  assert.equal(r.code, 0, `shortlist ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function manifestVersion(dir: string): number {
  try {
    return JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8')).version;
  } catch {
    return -1;
  }
}

test('a killed add leaves the previous version searchable; the next add completes', async () => {
  const small = writeCollection(join(root, 'small'), { docs: 30, queries: 1, seed: 1 });
  writeCollection(join(root, 'big'), { docs: 6000, queries: 1, seed: 2 });
  const c = join(root, 'c');
  await ok('init', c, '--pipeline', 'bm25');
  await ok('add', c, join(root, 'small'));
  const query = small.queries[0].text;
  const search = async () => JSON.parse(await ok('search', c, query, '-k', '3', '--json')).hits.map((h: { id: string }) => h.id);
  const before = await search();
  assert.equal(before.length, 3);

  // Kill early (starting up), as soon as the writer holds the lock (writing), and right after the
  // manifest (store and BM25 segments in one) is committed. Moments are observed on disk, not
  // guessed in milliseconds, so a fast machine cannot finish the add before the kill.
  const waitFor = async (cond: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !cond()) await new Promise((r) => setTimeout(r, 2));
  };
  const v0 = manifestVersion(c);
  for (const when of [300, 'locked', 'committed'] as const) {
    const child = startCli(['add', c, join(root, 'big')], { env });
    const exited = new Promise((r) => child.on('exit', r));
    if (when === 'committed') await waitFor(() => manifestVersion(c) > v0);
    else if (when === 'locked') await waitFor(() => existsSync(join(c, 'locks', 'LOCK')));
    else await new Promise((r) => setTimeout(r, when));
    assert.equal(child.exitCode, null, `the add must still be running when killed (${when})`);
    child.kill('SIGKILL');
    await exited;
    const info = JSON.parse(await ok('info', c, '--json'));
    const expected = when === 'committed' ? 6000 : 30;
    assert.equal(info.documents, expected, `store after a kill at ${when}`);
    assert.equal(info.bm25.documents, expected, `BM25 after a kill at ${when}: one version with the store`);
    if (when !== 'committed') assert.deepEqual(await search(), before, `after a kill at ${when}`);
  }

  const done = JSON.parse(await ok('add', c, join(root, 'big'), '--json'));
  assert.equal(done.documents, 6000); // ids d0..d29 of the small set are replaced
  const info = JSON.parse(await ok('info', c, '--json'));
  assert.equal(info.documents, 6000);
  assert.equal(info.bm25.documents, 6000);
});
