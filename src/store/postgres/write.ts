/**
 * The write path of a Postgres collection. An upsert plans against the head version and embeds
 * outside any transaction (a long embed never holds a connection or a lock); then one transaction
 * locks `collection`, checks that the head is still the planned one (else plans again, reusing
 * the vectors already computed), marks replaced rows `removed`, streams the new rows in with COPY
 * (documents, chunks), records the version's counts and BM25 statistics (the base version's,
 * changed by what was removed and added: O(batch), not O(collection)), builds the HNSW index at
 * the threshold and calibrates its search (`ann.ts`), and moves the head. Any failure, a lost
 * connection included, rolls all of it back.
 */
import type pg from 'pg';
import { ShortlistError, isShortlistError } from '../../core/errors.ts';
import { testPoint } from '../../core/test-points.ts';
import type { TextChunk } from '../../text/chunk.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { mergeFields } from '../filter.ts';
import { checkVectors, planUpsert, type PreparedDoc, type StoredState } from '../plan.ts';
import type { UpsertOptions, UpsertResult } from '../types.ts';
import { documentLength } from './bm25.ts';
import type { PoolRef } from './pool.ts';
import { tokensToBytes, type Settings, type VersionInfo } from './rows.ts';
import { calibrate } from './ann.ts';
import { writeRows, type Column } from './copy.ts';
import { opClass, visibleAt } from './schema.ts';
import type { PartsHook } from '../parts.ts';
import type { PostgresSegmentStore } from './segments.ts';
import { writeThenPublish, type WrittenVersion } from './publish.ts';
import type { PreparedVectors, VectorCache } from './vector-cache.ts';

/**
 * Plans a write may make when other writers keep committing first. Each round one writer wins, so
 * writers make progress; a loser waits a random 0–(10 × attempt) ms before planning again, so
 * that one writer does not lose every round.
 */
const RETRIES = 100;

const col = (name: string, type: string): Column => ({ name, type });
const DOCUMENT_COLUMNS = [
  col('id', 'text'),
  col('added', 'int'),
  col('title', 'text'),
  col('body', 'text'),
  col('metadata', 'jsonb'),
  col('metadata_json', 'text'),
  col('hash', 'text'),
  col('dl', 'int'),
];
const chunkColumns = (settings: Settings) => [
  col('id', 'text'),
  col('doc_id', 'text'),
  col('idx', 'int'),
  col('start_pos', 'int'),
  col('end_pos', 'int'),
  col('text', 'text'),
  col('embedding', settings.vectorType),
  col('tokens', 'bytea'),
  col('added', 'int'),
];

/** What the write path needs from the handle. */
export interface WriteContext {
  pool: PoolRef;
  /** Quoted schema name. */
  s: string;
  settings: Settings;
  analyzer: Analyzer;
  annThreshold: number;
  /** Target Recall@10 and sample size of the ANN calibration. */
  annRecall: number;
  annSample: number;
  chunker: (text: string, options: Settings['fingerprint']['chunking']) => TextChunk[];
  /** Where the parts hook's segment blobs go, inside the commit transaction. */
  segments: PostgresSegmentStore;
  /** The handle's in-process vector index (`vectorIndex: 'memory'`): calibrates before a commit that is due to (`vector-commit.ts`). */
  vectors?: VectorCache;
}

/** A change computed against base version `base`, to apply in the write transaction. */
interface Change {
  counts: Omit<UpsertResult, 'version'>;
  /** Ids whose document rows are replaced or removed. */
  removeDocs: string[];
  /** Ids whose chunks are replaced or removed. */
  removeContent: string[];
  newDocs: { p: PreparedDoc /** Analysed terms in title + text (BM25's dl). */; length: number }[];
  chunks: { id: string; docId: string; chunk: TextChunk; vector: Float32Array; tokens?: Float32Array }[];
}

type Committed = { version: number; info: VersionInfo };
const CONFLICT = new ShortlistError(
  'CONFLICT',
  `other writers committed first ${RETRIES} times in a row while this one prepared; nothing was committed, retry the write`,
);
/** Waits before planning again after losing a round to another writer. */
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt, 20)));

/** The head version and its info (read outside any transaction). */
export async function readHead(pool: PoolRef, s: string): Promise<Committed> {
  const r = await pool.query<{ head: number; info: VersionInfo }>(
    `SELECT c.head, v.info FROM ${s}.collection c JOIN ${s}.versions v ON v.version = c.head WHERE c.id = 1`,
  );
  return { version: r.rows[0].head, info: r.rows[0].info };
}

/** Upserts prepared documents; returns the counts and the version now committed. */
export async function upsertDocs(
  ctx: WriteContext,
  prepared: PreparedDoc[],
  options: UpsertOptions,
  batchSize: number,
): Promise<UpsertResult & { committed: Committed }> {
  const embedded = new Map<string, { vector: Float32Array; tokens?: Float32Array }>();
  const ids = prepared.map((p) => p.doc.id);
  let measured: PreparedVectors | undefined; // a calibration made by an earlier attempt, reused (see prepareCommit)
  for (let attempt = 1; ; attempt++) {
    const base = await readHead(ctx.pool, ctx.s);
    const stored = new Map<string, StoredState>();
    const rows = await ctx.pool.query<{ id: string; hash: string; metadata_json: string }>(
      `SELECT id, hash, metadata_json FROM ${ctx.s}.documents d WHERE id = ANY($1::text[]) AND ${visibleAt('d', '$2')}`,
      [ids, base.version],
    );
    for (const r of rows.rows) stored.set(r.id, { contentHash: r.hash, metadataJson: r.metadata_json });
    const plan = planUpsert(prepared, stored);
    let missing: string[] = [];
    if (options.deleteMissing) {
      const all = await ctx.pool.query<{ id: string }>(
        `SELECT id FROM ${ctx.s}.documents d WHERE ${visibleAt('d', '$1')} AND NOT (id = ANY($2::text[]))`,
        [base.version, ids],
      );
      missing = all.rows.map((r) => r.id);
    }
    const counts = { added: plan.added, updated: plan.updated, unchanged: plan.unchanged, deleted: missing.length, embedded: 0 };
    if (plan.embed.length + plan.metadataOnly.length + missing.length === 0) return { ...counts, version: base.version, committed: base };
    const replaced = plan.embed.filter((p) => stored.has(p.doc.id)).map((p) => p.doc.id);
    const change: Change = {
      counts,
      removeDocs: [...replaced, ...plan.metadataOnly.map((p) => p.doc.id), ...missing],
      removeContent: [...replaced, ...missing],
      newDocs: [...plan.embed, ...plan.metadataOnly].map((p) => ({ p, length: documentLength(p.doc, ctx.analyzer) })),
      chunks: [],
    };
    await embedChunks(ctx, plan.embed, options, batchSize, base.version, embedded, change);
    counts.embedded = embedded.size; // texts embedded by this call, across re-plans
    try {
      const vectors = await prepareVectors(ctx, base, change, measured);
      measured = vectors ?? measured;
      const committed = await commit(ctx, base, change, options.parts, vectors);
      return { ...counts, version: committed.version, committed };
    } catch (err) {
      if (err === CONFLICT && attempt < RETRIES) {
        await backoff(attempt);
        continue;
      }
      throw err;
    }
  }
}

/** Deletes documents by id in one version. */
export async function deleteDocs(ctx: WriteContext, ids: string[], parts?: PartsHook): Promise<UpsertResult & { committed: Committed }> {
  let measured: PreparedVectors | undefined;
  for (let attempt = 1; ; attempt++) {
    const base = await readHead(ctx.pool, ctx.s);
    const present = (
      await ctx.pool.query<{ id: string }>(`SELECT id FROM ${ctx.s}.documents d WHERE id = ANY($1::text[]) AND ${visibleAt('d', '$2')}`, [
        ids,
        base.version,
      ])
    ).rows.map((r) => r.id);
    const counts = { added: 0, updated: 0, unchanged: 0, deleted: present.length, embedded: 0 };
    if (present.length === 0) return { ...counts, version: base.version, committed: base };
    try {
      const change: Change = { counts, removeDocs: present, removeContent: present, newDocs: [], chunks: [] };
      const vectors = await prepareVectors(ctx, base, change, measured);
      measured = vectors ?? measured;
      const committed = await commit(ctx, base, change, parts, vectors);
      return { ...counts, version: committed.version, committed };
    } catch (err) {
      if (err === CONFLICT && attempt < RETRIES) {
        await backoff(attempt);
        continue;
      }
      throw err;
    }
  }
}

/** Chunks `docs` and embeds each distinct chunk text not in `cache` yet; adds the chunk rows to `change`. */
async function embedChunks(
  ctx: WriteContext,
  docs: readonly PreparedDoc[],
  options: UpsertOptions,
  batchSize: number,
  version: number,
  cache: Map<string, { vector: Float32Array; tokens?: Float32Array }>,
  change: Change,
): Promise<void> {
  const pending: { doc: PreparedDoc; chunk: TextChunk; input: string; last: boolean }[] = [];
  for (const p of docs) {
    const chunks = ctx.chunker(p.doc.text, ctx.settings.fingerprint.chunking);
    chunks.forEach((chunk, i) =>
      pending.push({ doc: p, chunk, input: p.doc.title ? `${p.doc.title}\n\n${chunk.text}` : chunk.text, last: i === chunks.length - 1 }),
    );
  }
  const todo = [...new Set(pending.map((x) => x.input).filter((t) => !cache.has(t)))];
  let docsDone = 0;
  let at = 0;
  for (let i = 0; i < todo.length; i += batchSize) {
    if (options.signal?.aborted) throw new ShortlistError('ABORTED', `upsert cancelled; the collection is still at version ${version}`);
    const inputs = todo.slice(i, i + batchSize);
    const vectors = checkVectors(await callEmbed(options.embed, inputs, version), inputs.length, ctx.settings.dims, 'embed');
    const tokens = options.embedTokens
      ? checkVectors(await callEmbed(options.embedTokens, inputs, version), inputs.length, -ctx.settings.tokenDims!, 'embedTokens')
      : undefined;
    inputs.forEach((t, j) => cache.set(t, { vector: vectors[j], tokens: tokens?.[j] }));
    while (at < pending.length && cache.has(pending[at].input)) if (pending[at++].last) docsDone++;
    options.onProgress?.(docsDone, docs.length);
  }
  if (options.signal?.aborted) throw new ShortlistError('ABORTED', `upsert cancelled; the collection is still at version ${version}`);
  for (const x of pending) {
    const e = cache.get(x.input)!;
    change.chunks.push({ id: `${x.doc.doc.id}#${x.chunk.index}`, docId: x.doc.doc.id, chunk: x.chunk, vector: e.vector, tokens: e.tokens });
  }
}

async function callEmbed(embed: (texts: string[]) => Promise<Float32Array[]>, inputs: string[], version: number): Promise<unknown> {
  try {
    return await embed(inputs);
  } catch (err) {
    if (isShortlistError(err)) throw err;
    throw new ShortlistError(
      'MODEL_ERROR',
      `the embed callback failed: ${(err as Error)?.message ?? String(err)}; nothing was committed, the collection is still at version ${version}`,
      { cause: err },
    );
  }
}

/**
 * The in-process vector index's part of the commit of `change` on `base` (a memory handle only):
 * the calibrated structure when the commit is due to calibrate, computed here, outside the
 * transaction (a calibration takes seconds to minutes and must not hold the head row's lock).
 */
async function prepareVectors(
  ctx: WriteContext,
  base: Committed,
  change: Change,
  measured?: PreparedVectors,
): Promise<PreparedVectors | undefined> {
  if (!ctx.vectors) return undefined;
  const removedChunks = change.removeContent.length
    ? (
        await ctx.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${ctx.s}.chunks c WHERE doc_id = ANY($1::text[]) AND ${visibleAt('c', '$2')}`,
          [change.removeContent, base.version],
        )
      ).rows[0].n
    : 0;
  return ctx.vectors.prepareCommit(
    { version: base.version, chunks: base.info.chunks, stored: base.info.vectorIndex },
    change.removeContent,
    removedChunks,
    change.chunks.map((x) => ({ id: x.id, docId: x.docId, index: x.chunk.index, vector: x.vector })),
    measured?.stored.calibration,
  );
}

/** Applies `change` on top of `base` as version base + 1 in one transaction. */
async function commit(
  ctx: WriteContext,
  base: Committed,
  change: Change,
  parts?: PartsHook,
  vectors?: PreparedVectors,
): Promise<Committed> {
  const { s, settings } = ctx;
  const copy = await ctx.pool.supportsCopy(); // asked before the transaction takes the (maybe only) connection
  // On Citus the head moves in a second step, once every worker shows the rows (`publish.ts`).
  const committed = settings.distributed
    ? await writeThenPublish(ctx.pool, s, (c) => writeVersion(c, false))
    : await ctx.pool.transaction((c) => writeVersion(c, true));
  vectors?.install(committed.version);
  testPoint('write:committed');
  return committed;

  /** Writes version base + 1 in the open transaction `c`; moves the head when `publish`. */
  async function writeVersion(c: pg.PoolClient, publish: boolean): Promise<WrittenVersion> {
    const head = (await c.query<{ head: number }>(`SELECT head FROM ${s}.collection WHERE id = 1 FOR UPDATE`)).rows[0].head;
    if (head !== base.version) throw CONFLICT;
    testPoint('write:locked');
    const v = head + 1;
    const b = base.info;
    let docs = b.documents,
      chunks = b.chunks,
      indexed = b.bm25.indexedDocCount,
      sumDl = b.bm25.sumTotalTermFreq;
    // The index is built before this version's rows are written: on Citus DDL must come before the
    // transaction's parallel writes; the rows written after it are added to the graph one by one.
    let ann = b.ann;
    const building = !ann && b.chunks + change.chunks.length >= ctx.annThreshold;
    if (building) {
      await c.query('SET LOCAL statement_timeout = 0'); // building the index may take minutes
      await c.query(
        `CREATE INDEX chunks_hnsw ON ${s}.chunks USING hnsw (embedding ${opClass(settings.distance, settings.vectorType)}) WITH (m = ${settings.hnsw.m}, ef_construction = ${settings.hnsw.efConstruction})`,
      );
      ann = true;
    }
    let removedDocs = 0;
    if (change.removeDocs.length) {
      const gone = await c.query<{ dl: number }>(
        `UPDATE ${s}.documents SET removed = $1 WHERE id = ANY($2::text[]) AND removed IS NULL RETURNING dl`,
        [v, change.removeDocs],
      );
      for (const r of gone.rows) docs--, (sumDl -= r.dl), r.dl > 0 && indexed--;
      removedDocs = gone.rows.length;
    }
    if (change.removeContent.length) {
      chunks -=
        (await c.query(`UPDATE ${s}.chunks SET removed = $1 WHERE doc_id = ANY($2::text[]) AND removed IS NULL`, [v, change.removeContent]))
          .rowCount ?? 0;
    }
    await writeRows(
      c,
      `${s}.documents`,
      DOCUMENT_COLUMNS,
      change.newDocs.map((d) => [
        d.p.doc.id,
        v,
        d.p.doc.title ?? null,
        d.p.doc.text,
        d.p.metadataJson,
        d.p.metadataJson,
        d.p.contentHash,
        d.length,
      ]),
      copy,
    );
    for (const d of change.newDocs) docs++, (sumDl += d.length), d.length > 0 && indexed++;
    chunks += await writeRows(
      c,
      `${s}.chunks`,
      chunkColumns(settings),
      change.chunks.map((x) => [
        x.id,
        x.docId,
        x.chunk.index,
        x.chunk.start,
        x.chunk.end,
        x.chunk.text,
        x.vector,
        x.tokens ? tokensToBytes(x.tokens) : null,
        v,
      ]),
      copy,
    );
    testPoint('write:tables');
    const fields = { ...b.fields };
    for (const d of change.newDocs) mergeFields(fields, d.p.doc.metadata);
    const info: VersionInfo = { documents: docs, chunks, fields, ann, bm25: { indexedDocCount: indexed, sumTotalTermFreq: sumDl } };
    // The in-process index's structure: calibrated for this version (its HNSW graph stored as blobs
    // in this transaction), else the base's carried forward.
    if (vectors) {
      const names = vectors.stored.graph?.files ?? [];
      // (a name is taken only by an unpublished Citus version that a later writer discarded)
      for (const [i, name] of names.entries())
        await c.query(`INSERT INTO ${s}.segments (name, bytes) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET bytes = EXCLUDED.bytes`, [
          name,
          vectors.graph![i],
        ]);
      info.vectorIndex = vectors.stored;
    } else if (b.vectorIndex) info.vectorIndex = b.vectorIndex;
    if (ann) {
      const last = building ? undefined : b.annSearch;
      if (last && chunks < 2 * last.chunks) info.annSearch = last;
      else {
        await c.query('SET LOCAL statement_timeout = 0');
        info.annSearch = { ...(await calibrate(c, s, settings, v, { target: ctx.annRecall, sample: ctx.annSample })), chunks };
      }
    }
    // The parts (BM25 segments) of the new version are written in this transaction: one commit for
    // rows, segments and the version row that names them. Without a hook the version names no parts
    // (a reader then rebuilds BM25 from the documents), never stale ones.
    if (parts) {
      const upserted = change.newDocs.map((d) => d.p.doc);
      const added = new Set(upserted.map((d) => d.id));
      const next = await ctx.segments.within(c, () =>
        parts(structuredClone(b.parts ?? {}), { upserted, deleted: change.removeDocs.filter((id) => !added.has(id)) }),
      );
      if (next ?? b.parts) info.parts = next ?? b.parts;
    }
    testPoint('write:parts-ready');
    await c.query(`INSERT INTO ${s}.versions (version, info) VALUES ($1, $2::jsonb)`, [v, JSON.stringify(info)]);
    if (publish) await c.query(`UPDATE ${s}.collection SET head = $1 WHERE id = 1`, [v]);
    testPoint('write:manifest-staged');
    return { version: v, info, addedDocs: change.newDocs.length, removedDocs };
  }
}
