/**
 * Replicas: two `shortlist serve` processes on one backend — a collections folder, and a Postgres
 * database (the real server of SHORTLIST_TEST_PG_URL with a pool of 4 per process, else PGlite
 * over TCP with one connection per process given back after 20 ms idle) — answer `/v1/search` identically, and a document upserted through one is found through
 * the other without a restart (each server moves its handle to the newest version every
 * REFRESH_MS).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Collection } from '../../src/engine/collection.ts';
import { postgresCollectionLocation } from '../../src/engine/home/index.ts';
import { startServe } from '../support/cli.ts';
import { writeCollection } from '../support/collection.ts';
import { pgTarget, type PgTarget } from '../support/pg-servers.ts';
import { post } from './support.ts';

let tmp: string;
let beir: ReturnType<typeof writeCollection>;
let pglite: PgTarget;
before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'shortlist-replicas-'));
  beir = writeCollection(join(tmp, 'beir'), { docs: 120, queries: 6, seed: 5 });
  pglite = await pgTarget('replicas');
});
after(async () => {
  await pglite.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Replica {
  url: string;
  stop(): Promise<number | null>;
}

/** `shortlist serve --collections <root>` on a free port, once it prints its URL. */
function serve(root: string): Promise<Replica> {
  return startServe(['--port', '0', '--collections', root, '--quiet']);
}

/** The answer without its timings (which differ between any two runs). */
async function search(r: Replica, query: string) {
  const res = await post(`${r.url}/v1/search`, { collection: 'docs', query, k: 10 });
  assert.equal(res.status, 200, res.text);
  return res.json.hits as { id: string; score: number; rank: number }[];
}

async function checkReplicas(root: string, location: string): Promise<void> {
  const c = await Collection.create(location, 'bm25');
  try {
    await c.add(beir.dir);
  } finally {
    await c.close();
  }
  const [a, b] = await Promise.all([serve(root), serve(root)]);
  try {
    for (const r of [a, b])
      assert.deepEqual(((await (await fetch(`${r.url}/v1/collections`)).json()) as { collections: string[] }).collections, ['docs']);
    for (const q of [...beir.queries.map((x) => x.text), 'protein cancer therapy']) {
      const [x, y] = [await search(a, q), await search(b, q)];
      assert.ok(x.length > 0, q);
      assert.deepEqual(x, y, `identical answers for "${q}"`);
    }
    assert.deepEqual(await search(b, 'zqfreshterm'), []);
    const up = await post(`${a.url}/v1/collections/docs/documents`, {
      documents: [{ id: 'fresh', title: 'Fresh', text: 'zqfreshterm arrives through replica A' }],
    });
    assert.equal(up.status, 200, up.text);
    assert.equal(up.json.added, 1);
    assert.equal((await search(a, 'zqfreshterm'))[0]?.id, 'fresh', 'the writer sees its write at once');
    const t0 = Date.now();
    let seen: { id: string }[] = [];
    while (Date.now() - t0 < 15_000 && seen.length === 0) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await search(b, 'zqfreshterm');
    }
    assert.equal(seen[0]?.id, 'fresh', 'replica B finds the upsert without a restart');
    assert.deepEqual(await search(b, 'zqfreshterm'), await search(a, 'zqfreshterm'));
  } finally {
    assert.equal(await a.stop(), 0);
    assert.equal(await b.stop(), 0);
  }
}

describe('two shortlist serve processes on one backend', () => {
  test('a collections folder: identical answers, an upsert through one visible through the other', async () => {
    const root = join(tmp, 'collections');
    await checkReplicas(root, join(root, 'docs'));
  });

  test('a Postgres database: identical answers, an upsert through one visible through the other', async () => {
    const root = `${pglite.url}?${pglite.connectQuery}`;
    await checkReplicas(root, postgresCollectionLocation(root, 'docs'));
  });
});
