/**
 * Killing `shortlist index` at any point (a real SIGKILL) leaves the earlier index at that path
 * intact and searchable, and the next run completes cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCollection } from '../support/collection.ts';
import { runCli, startCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'shortlist-kill-'));
const env = { SHORTLIST_CACHE: join(root, 'cache') };

async function searchIds(index: string, query: string): Promise<string[]> {
  const r = await runCli(['search', index, query, '-k', '3', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).hits.map((h: { id: string }) => h.id);
}

test('a killed index run leaves the previous index readable', async () => {
  const small = join(root, 'small');
  const big = join(root, 'big');
  const coll = writeCollection(small, { docs: 40, queries: 2, seed: 1 });
  writeCollection(big, { docs: 40000, queries: 2, seed: 2 });
  const index = join(root, 'index');
  assert.equal((await runCli(['index', small, '--out', index], { env })).code, 0);
  const query = coll.queries[0].text;
  const before = await searchIds(index, query);
  assert.equal(before.length, 3);

  // Kill at several moments: while reading, and the moment a new version folder appears on disk.
  const moments: (number | 'writing')[] = [150, 600, 'writing'];
  for (const when of moments) {
    const child = startCli(['index', big, '--out', index], { env });
    const exited = new Promise((r) => child.on('exit', r));
    if (when === 'writing') {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !readdirSync(index).some((e) => e.startsWith('.tmp-') || e === 'v000002')) {
        await new Promise((r) => setTimeout(r, 2));
      }
    } else {
      await new Promise((r) => setTimeout(r, when));
    }
    child.kill('SIGKILL');
    await exited;
    assert.deepEqual(await searchIds(index, query), before, `after a kill at ${when}`);
  }

  // The next run completes and replaces the index; leftovers of killed runs are cleaned up.
  const done = await runCli(['index', big, '--out', index, '--json'], { env });
  assert.equal(done.code, 0, done.stderr);
  assert.equal(JSON.parse(done.stdout).documents, 40000);
  assert.notDeepEqual(await searchIds(index, query), before);
  assert.deepEqual(readdirSync(index).filter((e) => e !== 'CURRENT').length, 1);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
