/**
 * scifact (../shared/datasets/scifact) on PostgreSQL and on Citus (2 workers): `eval --pipeline
 * bm25 | dense | hybrid` (the tiny generated encoder) gives, per query, exactly the values of the
 * embedded collection — every stage's per-query metrics, and the BM25 run with its scores. To stay
 * small enough for CI it evaluates the whole corpus (5,183 abstracts) with the first
 * SCIFACT_QUERIES test queries (@default 60 of 300); set SCIFACT_QUERIES=300 for all of them.
 * Skips with its reason without ../shared or without the servers (SHORTLIST_TEST_PG_URL,
 * SHORTLIST_TEST_CITUS_URL); the generated-collection variant is `test/engine/postgres-citus-eval.test.ts`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../../scripts/models/fixtures.ts';
import { evaluatePipeline } from '../../src/lab/evaluate.ts';
import type { PipelineInput } from '../../src/pipeline/config.ts';
import { realTarget, skipWithout, type PgTarget } from '../support/pg-servers.ts';

const SCIFACT = new URL('../../../shared/datasets/scifact', import.meta.url).pathname;
const QUERIES = Number(process.env.SCIFACT_QUERIES ?? 60);

/** A BEIR folder with scifact's corpus and its first `n` test queries (those with qrels). */
function subset(dir: string, n: number): string {
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  copyFileSync(join(SCIFACT, 'corpus.jsonl'), join(dir, 'corpus.jsonl'));
  const [header, ...rows] = readFileSync(join(SCIFACT, 'qrels', 'test.tsv'), 'utf8')
    .trim()
    .split('\n');
  const ids = [...new Set(rows.map((r) => r.split('\t')[0]))].slice(0, n);
  const keep = new Set(ids);
  writeFileSync(join(dir, 'qrels', 'test.tsv'), [header, ...rows.filter((r) => keep.has(r.split('\t')[0]))].join('\n') + '\n');
  const queries = readFileSync(join(SCIFACT, 'queries.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => keep.has(JSON.parse(l)._id));
  writeFileSync(join(dir, 'queries.jsonl'), queries.join('\n') + '\n');
  assert.equal(queries.length, ids.length);
  return dir;
}

const skip = !existsSync(join(SCIFACT, 'corpus.jsonl'))
  ? 'needs ../shared/datasets/scifact (the shared data folder beside the repository)'
  : skipWithout('postgres') || skipWithout('citus');
describe(`scifact (${QUERIES} test queries) on PostgreSQL and on Citus equals the embedded collection per query`, { skip }, () => {
  let tmp: string;
  let beir: string;
  let single: PgTarget;
  let citus: PgTarget;
  let pipelines: Record<string, string | PipelineInput>;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'shortlist-pgscifact-'));
    beir = subset(join(tmp, 'scifact'), QUERIES);
    [single, citus] = [await realTarget('postgres', 'scifact_eval'), await realTarget('citus')];
    const dense = {
      type: 'dense' as const,
      model: await tinyModel('encoder'),
      pooling: 'mean' as const,
      normalize: true,
      maxLength: 64,
      threads: 1,
    };
    pipelines = { bm25: 'bm25', dense: { retrievers: [dense], depth: 100 }, hybrid: { retrievers: [{ type: 'bm25' }, dense], depth: 100 } };
  });
  after(async () => {
    await single?.close();
    await citus?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const name of ['bm25', 'dense', 'hybrid']) {
    test(`--pipeline ${name}`, async () => {
      const embedded = await evaluatePipeline(beir, pipelines[name]);
      assert.equal(Object.keys(embedded.stages[0].perQuery).length, QUERIES);
      for (const t of [single, citus]) {
        const stored = await evaluatePipeline(beir, pipelines[name], { store: `${t.url}?${t.connectQuery}` });
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
