/**
 * Vector search in pgvector and the calibration of its HNSW beam. A commit that builds the HNSW
 * index, or that finds the collection twice as large as when it was last calibrated, measures on a
 * seeded sample of stored vectors (leave-one-out queries, see `../lancedb/calibrate.ts`) which
 * `hnsw.ef_search` reaches the target Recall@10 against the exact scan, and stores the setting with
 * the version; searches then use it, or the exact scan when no beam up to pgvector's largest
 * (1000) reaches the target faster than the scan does.
 */
import type pg from 'pg';
import { calibrateAnn, samplePositions, type AnnSearchSetting } from '../lancedb/calibrate.ts';
import { vectorLiteral, type Settings } from './rows.ts';
import { distanceOperator, visibleAt } from './schema.ts';

/** pgvector's largest `hnsw.ef_search`. */
export const MAX_EF_SEARCH = 1000;
/** Beams the calibration tries, cheapest first (pgvector caps the beam at {@link MAX_EF_SEARCH}). */
export const PG_ANN_LADDER: readonly number[] = Object.freeze([40, 80, 160, 320, 640, MAX_EF_SEARCH]);

/** A chunk row found by a vector search, with its pgvector distance. */
export interface VectorRow {
  id: string;
  doc_id: string;
  idx: number;
  d: number;
}

/**
 * The k-nearest query over `chunks` (alias c): $1 the vector, $2 the version, $3 the limit; `filter`
 * is an optional further condition. Exact: `+ 0` hides the operator from the planner, which would
 * otherwise walk the HNSW index and return approximate results.
 */
export function vectorSql(s: string, settings: Settings, exact: boolean, filter = ''): string {
  const dist = `(c.embedding ${distanceOperator(settings.distance)} $1::${settings.vectorType})`;
  return `SELECT c.id, c.doc_id, c.idx, ${dist}::float8 AS d FROM ${s}.chunks c
    WHERE ${visibleAt('c', '$2')}${filter} ORDER BY ${exact ? `${dist} + 0, c.id COLLATE "C"` : dist} LIMIT $3`;
}

/**
 * Sets the HNSW beam for the rest of the transaction on `c` (on Citus also on the workers that the
 * transaction's shard queries run on).
 */
export async function setBeam(c: pg.PoolClient, ef: number, distributed: boolean): Promise<void> {
  if (distributed) await c.query(`SET LOCAL citus.propagate_set_commands = 'local'`);
  await c.query(`SET LOCAL hnsw.ef_search = ${Math.min(MAX_EF_SEARCH, Math.max(1, Math.floor(ef)))}`);
  await c.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
}

/** Calibrates the search of version `v`'s chunks inside the writing transaction `c`. */
export async function calibrate(
  c: pg.PoolClient,
  s: string,
  settings: Settings & { distributed?: boolean },
  v: number,
  options: { target: number; sample: number },
): Promise<AnnSearchSetting> {
  const ids = (await c.query<{ id: string }>(`SELECT c.id FROM ${s}.chunks c WHERE ${visibleAt('c', '$1')}`, [v])).rows
    .map((r) => r.id)
    .sort();
  const chosen = samplePositions(ids.length, options.sample).map((i) => ids[i]);
  const rows = await c.query<{ id: string; emb: string }>(
    `SELECT c.id, c.embedding::text AS emb FROM ${s}.chunks c WHERE c.id = ANY($2::text[]) AND ${visibleAt('c', '$1')}`,
    [v, chosen],
  );
  const sample = rows.rows
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => ({ id: r.id, vector: Float32Array.from(r.emb.slice(1, -1).split(','), Number) }));
  const run = async (vector: Float32Array, limit: number, exact: boolean) =>
    (await c.query<VectorRow>(vectorSql(s, settings, exact), [vectorLiteral(vector), v, limit])).rows.map((r) => r.id);
  return calibrateAnn(
    sample,
    {
      exact: (vector, limit) => run(vector, limit, true),
      ann: async (vector, limit, ef) => {
        await setBeam(c, ef, settings.distributed === true);
        return run(vector, limit, false);
      },
    },
    { target: options.target, refine: 1, ladder: PG_ANN_LADDER },
  );
}
