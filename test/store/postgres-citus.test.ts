/**
 * A collection in a Citus database (the cluster of SHORTLIST_TEST_CITUS_URL: a coordinator and two
 * workers on loopback, started by `.ci/run` with `scripts/pg/cluster.sh start citus`): its tables
 * are distributed with shards on both workers; BM25 and vector hits equal a single server's bit
 * for bit; a worker that goes down during searches gives a clear error, and searches recover once
 * it is back. Skips with its reason without the cluster (never in CI).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { isShortlistError } from '../../src/core/errors.ts';
import type { Document } from '../../src/core/types.ts';
import type { Fingerprint } from '../../src/store/fingerprint.ts';
import { shardPlacements } from '../../src/store/postgres/distribute.ts';
import { PostgresCollectionStore } from '../../src/store/postgres/store.ts';
import type { EmbedFn } from '../../src/store/types.ts';
import { hashVector } from '../contract/store.case.ts';
import { dropSchemas, realTarget, skipWithout, type PgTarget } from '../support/pg-servers.ts';

const FP: Fingerprint = { models: {}, analyzer: 'english@1', chunking: { size: 24, overlap: 4 } };
const embed: EmbedFn = async (texts) => texts.map((t) => hashVector(t, 16));
const CLUSTER = new URL('../../scripts/pg/cluster.sh', import.meta.url).pathname;

function corpus(count: number): Document[] {
  const words = [
    'cell',
    'protein',
    'gene',
    'cancer',
    'patient',
    'study',
    'effect',
    'treatment',
    'risk',
    'blood',
    'virus',
    'immune',
    'brain',
    'drug',
    'trial',
  ];
  let s = 7;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
  return Array.from({ length: count }, (_, i) => ({
    id: `doc${i}`,
    title: i % 4 === 0 ? `${words[i % words.length]} report` : undefined,
    text: Array.from({ length: 5 + Math.floor(rand() * 60) }, () => words[Math.floor(words.length * rand() ** 2)]).join(' '),
    metadata: { year: 2000 + (i % 10) },
  }));
}

const skip = skipWithout('citus');
describe('a collection on Citus (coordinator + 2 workers)', { skip }, () => {
  let citus: PgTarget;
  let store: PostgresCollectionStore;
  const docs = corpus(600);
  before(async () => {
    citus = await realTarget('citus', undefined, { exclusive: true }); // no other test file uses the cluster while a worker is stopped
    await dropSchemas(citus, 'citus_t');
    store = await PostgresCollectionStore.create(`${citus.url}?schema=citus_t`, {
      fingerprint: FP,
      dims: 16,
      ...citus.connect,
      annThreshold: 300,
    });
    await store.upsert(docs.slice(0, 400), { embed });
    await store.upsert([...docs.slice(400), ...docs.slice(0, 20).map((d) => ({ ...d, text: `${d.text} revised` }))], { embed });
    await store.delete(['doc5', 'doc6']);
  });
  after(async () => {
    await store?.close();
    if (citus) {
      try {
        await dropSchemas(citus, 'citus_t');
      } finally {
        await citus.close(); // releases the cluster's advisory lock even when the clean-up failed
      }
    }
  });

  test('documents and chunks are distributed by document id with shards on both workers; small tables are reference tables', async () => {
    assert.deepEqual(store.distribution, { distributed: true, shards: 8 });
    const placements = await shardPlacements(
      { query: (text: string, values: unknown[]) => citus.sql(text, values).then((rows) => ({ rows })) } as never,
      'citus_t',
    );
    for (const t of ['documents', 'chunks']) {
      assert.equal(Object.keys(placements[t] ?? {}).length, 2, `${t} has shards on both workers: ${JSON.stringify(placements)}`);
      assert.equal(
        Object.values(placements[t]).reduce((a, b) => a + b, 0),
        8,
      );
    }
    const kinds = await citus.sql<{ t: string; kind: string; col: string | null; co: number }>(
      `SELECT split_part(table_name::text, '.', 2) AS t, citus_table_type AS kind, distribution_column AS col, colocation_id AS co FROM citus_tables WHERE table_name::text LIKE 'citus_t.%' ORDER BY 1`,
    );
    const byName = Object.fromEntries(kinds.map((k) => [k.t, k]));
    assert.deepEqual(
      ['collection', 'config', 'schema_version', 'versions'].map((t) => byName[t]?.kind),
      ['reference', 'reference', 'reference', 'reference'],
    );
    assert.deepEqual([byName.documents.col, byName.chunks.col], ['id', 'doc_id']);
    assert.equal(byName.documents.co, byName.chunks.co, 'documents and chunks are co-located');
    const info = await store.info();
    assert.deepEqual([info.documents, info.ann, info.annSearch?.source], [598, true, 'calibrated']);
  });

  test("BM25 and vector hits equal a single server's bit for bit", { skip: skipWithout('postgres') }, async () => {
    const single = await realTarget('postgres', 'citus_equal');
    const one = await PostgresCollectionStore.create(`${single.url}?schema=equal`, {
      fingerprint: FP,
      dims: 16,
      ...single.connect,
      annThreshold: 300,
    });
    try {
      await one.upsert(docs.slice(0, 400), { embed });
      await one.upsert([...docs.slice(400), ...docs.slice(0, 20).map((d) => ({ ...d, text: `${d.text} revised` }))], { embed });
      await one.delete(['doc5', 'doc6']);
      assert.deepEqual(one.bm25Stats(), store.bm25Stats(), 'the same global BM25 statistics');
      for (const q of ['protein cancer', 'virus immune brain revised', 'report gene', 'zzz']) {
        assert.deepEqual(await store.bm25Search(q, 50), await one.bm25Search(q, 50), `bm25: ${q}`);
        assert.deepEqual(
          await store.bm25Search(q, 20, { filter: 'year >= 2005' }),
          await one.bm25Search(q, 20, { filter: 'year >= 2005' }),
          `bm25 filtered: ${q}`,
        );
      }
      for (let i = 0; i < 10; i++) {
        const v = hashVector(`query ${i}`, 16);
        assert.deepEqual(
          await store.vectorSearch(v, 20, { exact: true }),
          await one.vectorSearch(v, 20, { exact: true }),
          'exact top-20 merged from the shards',
        );
      }
    } finally {
      await one.close();
      await single.close();
    }
  });

  test('a worker that goes down during searches gives a clear error; searches recover when it is back', {
    skip:
      process.getuid?.() === 0 ? false : 'stopping a worker needs root (scripts/pg/cluster.sh runs the servers as the OS user postgres)',
  }, async () => {
    const v = hashVector('query 1', 16);
    const want = await store.vectorSearch(v, 10, { exact: true });
    const running = (async () => {
      const errors: unknown[] = [];
      for (let i = 0; i < 400 && errors.length === 0; i++) await store.vectorSearch(v, 10, { exact: true }).catch((e) => errors.push(e));
      return errors;
    })();
    execFileSync(CLUSTER, ['stop-worker', '2'], { stdio: 'ignore' });
    let errors: unknown[];
    try {
      errors = await running;
      await assert.rejects(store.get(docs.map((d) => d.id)), (e) => isShortlistError(e) && /127\.0\.0\.1:\d+/.test(e.message));
    } finally {
      execFileSync(CLUSTER, ['start-worker', '2'], { stdio: 'ignore' });
    }
    assert.equal(errors.length, 1, 'a search failed while the worker was down');
    const e = errors[0] as Error & { code?: string };
    assert.ok(isShortlistError(e, 'NETWORK_ERROR') || isShortlistError(e, 'INTERNAL'), String(e));
    assert.match(e.message, /connection|remote node|127\.0\.0\.1/i, 'the message says a node could not be reached');
    assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
    let back: unknown;
    for (let i = 0; i < 50; i++) {
      try {
        back = await store.vectorSearch(v, 10, { exact: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.deepEqual(back, want, 'searches recover once the worker is back');
    assert.equal((await store.get(['doc1'])).length, 1);
  });
});
