/**
 * Versions that change only a collection's parts (e.g. `shortlist optimize` merging the BM25
 * segments): one transaction locks the head, writes the new blobs through the hook, records the
 * version and moves the head — the same commit as a write of rows (`write.ts`), without rows.
 */
import { testPoint } from '../../core/test-points.ts';
import type { PartsHook } from '../parts.ts';
import type { PoolRef } from './pool.ts';
import type { VersionInfo } from './rows.ts';
import type { PostgresSegmentStore } from './segments.ts';

/** Commits head + 1 with the head's rows and the parts `hook` returns (the head's when it returns undefined); the hook is told the head's version. */
export async function commitParts(
  pool: PoolRef,
  s: string,
  segments: PostgresSegmentStore,
  hook: (...a: [...Parameters<PartsHook>, head: number]) => ReturnType<PartsHook>,
): Promise<{ version: number; info: VersionInfo }> {
  const committed = await pool.transaction(async (c) => {
    const head = (await c.query<{ head: number }>(`SELECT head FROM ${s}.collection WHERE id = 1 FOR UPDATE`)).rows[0].head;
    const base = (await c.query<{ info: VersionInfo }>(`SELECT info FROM ${s}.versions WHERE version = $1`, [head])).rows[0].info;
    testPoint('write:locked');
    const parts = await segments.within(c, () => hook(structuredClone(base.parts ?? {}), { upserted: [], deleted: [] }, head));
    const info: VersionInfo = { ...base, ...((parts ?? base.parts) ? { parts: parts ?? base.parts } : {}) };
    testPoint('write:parts-ready');
    const v = head + 1;
    await c.query(`INSERT INTO ${s}.versions (version, info) VALUES ($1, $2::jsonb)`, [v, JSON.stringify(info)]);
    await c.query(`UPDATE ${s}.collection SET head = $1 WHERE id = 1`, [v]);
    testPoint('write:manifest-staged');
    return { version: v, info };
  });
  testPoint('write:committed');
  return committed;
}

/** Names of the blobs named by some version still kept in `versions` (the others are garbage). */
export async function keptSegmentNames(pool: PoolRef, s: string): Promise<Set<string>> {
  const r = await pool.query<{ parts: VersionInfo['parts'] | null }>(`SELECT info->'parts' AS parts FROM ${s}.versions`);
  return new Set(r.rows.flatMap((x) => Object.values(x.parts ?? {}).flatMap((p) => p.files)));
}
