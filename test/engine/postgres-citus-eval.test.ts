/**
 * `eval --pipeline bm25 | dense | hybrid` (tiny generated encoder) on a collection in PostgreSQL
 * and in Citus gives, per query, exactly the values of the embedded collection: the same runs
 * (ids and scores) for BM25, the same per-query metrics for every stage. Needs the real servers
 * (SHORTLIST_TEST_PG_URL, SHORTLIST_TEST_CITUS_URL); skips with the reason without them (never in CI).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import type { PipelineInput } from '../../src/pipeline/config.ts';
import { writeCollection } from '../support/collection.ts';
import { realTarget, skipWithout, type PgTarget } from '../support/pg-servers.ts';

const skip = skipWithout('postgres') || skipWithout('citus');
describe('eval on PostgreSQL and on Citus equals the embedded collection per query', { skip }, () => {
  let tmp: string;
  let beir: ReturnType<typeof writeCollection>;
  let single: PgTarget;
  let citus: PgTarget;
  let pipelines: Record<string, string | PipelineInput>;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'shortlist-pgeval-'));
    beir = writeCollection(join(tmp, 'beir'), { docs: 200, queries: 15, seed: 5 });
    [single, citus] = [await realTarget('postgres', 'citus_eval'), await realTarget('citus')];
    const dense = {
      type: 'dense' as const,
      model: await tinyModel('encoder'),
      pooling: 'mean' as const,
      normalize: true,
      maxLength: 64,
      threads: 1,
    };
    pipelines = { bm25: 'bm25', dense: { retrievers: [dense], depth: 50 }, hybrid: { retrievers: [{ type: 'bm25' }, dense], depth: 50 } };
  });
  after(async () => {
    await single?.close();
    await citus?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const name of ['bm25', 'dense', 'hybrid']) {
    test(`--pipeline ${name}`, async () => {
      const embedded = await evaluatePipeline(beir.dir, pipelines[name]);
      for (const t of [single, citus]) {
        const stored = await evaluatePipeline(beir.dir, pipelines[name], { store: `${t.url}?${t.connectQuery}` });
        assert.deepEqual(
          stored.stages.map((s) => s.stage),
          embedded.stages.map((s) => s.stage),
        );
        stored.stages.forEach((s, i) =>
          assert.deepEqual(s.perQuery, embedded.stages[i].perQuery, `${t.kind} ${s.stage}: every per-query value`),
        );
        if (name === 'bm25')
          assert.deepEqual([...stored.runs.get('bm25')!], [...embedded.runs.get('bm25')!], `${t.kind}: the same BM25 run, scores included`);
      }
    });
  }
});
