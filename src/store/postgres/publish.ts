/**
 * Write, then publish: how a version becomes visible on Citus.
 *
 * Rows carry the version that added them and the version that removed them, and every read
 * filters by the version it opened (`visibleAt` in `schema.ts`), so rows of a version still being
 * written are invisible to a reader of an older one. On a single PostgreSQL server the rows and
 * the move of `collection.head` commit in one transaction and nothing more is needed. On Citus a
 * write that touches several shards commits with two-phase commit, worker by worker, and a read
 * over several shards takes no distributed snapshot: had the head moved in the same transaction, a
 * reader could read head v before some worker showed v's rows.
 *
 * So on Citus a version is committed in two steps:
 *   1. the rows (`added = v`, `removed = v`) and the `versions` row commit in one transaction
 *      that leaves the head at v − 1: readers of v − 1 filter all of it out;
 *   2. once that transaction returned (every worker committed; checked by counting the version's
 *      document rows, after asking Citus to finish any prepared transaction if a count falls short),
 *      a second, one-row transaction moves the head to v.
 * A reader that reads head v therefore finds every row of v on every shard. A writer holds a
 * session advisory lock from step 1 to step 2, so no other writer takes the unpublished v for an
 * abandoned one; a writer that died between the steps (its lock went with its connection) left an
 * unpublished version, which the next writer discards first: rows added after the head are
 * deleted, removals after the head undone, an index built by it dropped. Readers take no lock.
 */
import type pg from 'pg';
import { ShortlistError } from '../../core/errors.ts';
import type { PoolRef } from './pool.ts';
import type { VersionInfo } from './rows.ts';

/** A version written by step 1, with the document rows it added and marked removed. */
export interface WrittenVersion {
  version: number;
  info: VersionInfo;
  /** Document rows with `added = version`. */
  addedDocs: number;
  /** Document rows with `removed = version`. */
  removedDocs: number;
}

/** Attempts at seeing every row of a version before publishing it (Citus finishes prepared transactions in between). */
const VISIBLE_TRIES = 3;

/**
 * Runs `write` (step 1: every row of version head + 1, the head left where it is) in a transaction
 * on one connection, then publishes the version (step 2); see the module comment.
 */
export async function writeThenPublish(
  pool: PoolRef,
  s: string,
  write: (c: pg.PoolClient) => Promise<WrittenVersion>,
): Promise<{ version: number; info: VersionInfo }> {
  return pool.withClient(async (c) => {
    const key = `shortlist-write:${s}`;
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await discardUnpublished(c, s);
      await c.query('BEGIN');
      let written: WrittenVersion;
      try {
        written = await write(c);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        throw err;
      }
      await waitVisible(c, s, written);
      const moved = await c.query(`UPDATE ${s}.collection SET head = $1 WHERE id = 1 AND head = $2`, [
        written.version,
        written.version - 1,
      ]);
      if (moved.rowCount !== 1)
        throw new ShortlistError(
          'INTERNAL',
          `version ${written.version} was written but the head moved meanwhile; it was not published and the next write discards it`,
        );
      return { version: written.version, info: written.info };
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => {}); // a lost connection released it
    }
  });
}

/** Whether the collection holds rows or a version record beyond its head (a writer died between the two steps). */
export async function hasUnpublished(c: pg.PoolClient, s: string): Promise<boolean> {
  const r = await c.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${s}.versions v, ${s}.collection h WHERE h.id = 1 AND v.version > h.head)
         OR EXISTS (SELECT 1 FROM ${s}.documents d WHERE d.added > (SELECT head FROM ${s}.collection WHERE id = 1))
         OR EXISTS (SELECT 1 FROM ${s}.documents d WHERE d.removed > (SELECT head FROM ${s}.collection WHERE id = 1)) AS found`,
  );
  return r.rows[0].found;
}

/** Discards what a writer that died between the two steps left (see the module comment). */
async function discardUnpublished(c: pg.PoolClient, s: string): Promise<void> {
  if (!(await hasUnpublished(c, s))) return;
  // A worker may still hold the dead writer's prepared transaction: have Citus settle it first.
  await c.query('SELECT recover_prepared_transactions()');
  await c.query('BEGIN');
  try {
    const head = (
      await c.query<{ head: number; ann: boolean }>(
        `SELECT c.head, (v.info->>'ann')::boolean AS ann FROM ${s}.collection c JOIN ${s}.versions v ON v.version = c.head WHERE c.id = 1 FOR UPDATE OF c`,
      )
    ).rows[0];
    for (const t of ['chunks', 'documents']) {
      await c.query(`DELETE FROM ${s}.${t} WHERE added > $1`, [head.head]);
      await c.query(`UPDATE ${s}.${t} SET removed = NULL WHERE removed > $1`, [head.head]);
    }
    await c.query(`DELETE FROM ${s}.versions WHERE version > $1`, [head.head]);
    if (!head.ann) await c.query(`DROP INDEX IF EXISTS ${s}.chunks_hnsw`);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Waits until every shard shows the version's document rows; refuses to publish otherwise. */
async function waitVisible(c: pg.PoolClient, s: string, w: WrittenVersion): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const r = await c.query<{ added: number; removed: number }>(
      `SELECT (SELECT count(*) FROM ${s}.documents WHERE added = $1)::int AS added, (SELECT count(*) FROM ${s}.documents WHERE removed = $1)::int AS removed`,
      [w.version],
    );
    const { added, removed } = r.rows[0];
    if (added === w.addedDocs && removed === w.removedDocs) return;
    if (attempt === VISIBLE_TRIES) {
      throw new ShortlistError(
        'NETWORK_ERROR',
        `version ${w.version} was written but not every Citus worker shows it (${added} of ${w.addedDocs} added and ${removed} of ${w.removedDocs} removed documents); ` +
          'it was not published, the collection stays at the version before, and the next write discards it — check the workers and retry',
      );
    }
    await c.query('SELECT recover_prepared_transactions()');
  }
}
