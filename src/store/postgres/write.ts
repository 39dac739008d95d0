/**
 * The write path of a Postgres collection. An upsert plans against the head version and embeds
 * outside any transaction (a long embed never holds a connection or a lock); then one transaction
 * locks `collection`, checks that the head is still the planned one (else plans again, reusing
 * the vectors already computed), marks replaced rows `removed`, inserts the new rows (documents,
 * chunks, postings), records the version's counts and statistics, builds the HNSW index at the
 * threshold, and moves the head. Any failure, a lost connection included, rolls all of it back.
 */
import type pg from 'pg';
import { ShortlistError, isShortlistError } from '../../core/errors.ts';
import type { TextChunk } from '../../text/chunk.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { mergeFields } from '../filter.ts';
import { checkVectors, planUpsert, type PreparedDoc, type StoredState } from '../plan.ts';
import type { UpsertOptions, UpsertResult } from '../types.ts';
import { documentPostings, type DocPostings } from './bm25.ts';
import type { PoolRef } from './pool.ts';
import { tokensToBytes, vectorLiteral, type Settings, type VersionInfo } from './rows.ts';
import { opClass, visibleAt } from './schema.ts';

/** Rows per INSERT statement. */
const INSERT_ROWS = 1000;
const RETRIES = 5;

/** What the write path needs from the handle. */
export interface WriteContext {
  pool: PoolRef;
  /** Quoted schema name. */
  s: string;
  settings: Settings;
  analyzer: Analyzer;
  annThreshold: number;
  chunker: (text: string, options: Settings['fingerprint']['chunking']) => TextChunk[];
}

/** A change computed against base version `base`, to apply in the write transaction. */
interface Change {
  counts: Omit<UpsertResult, 'version'>;
  /** Ids whose document rows are replaced or removed. */
  removeDocs: string[];
  /** Ids whose chunks and postings are replaced or removed. */
  removeContent: string[];
  newDocs: { p: PreparedDoc; postings: DocPostings }[];
  chunks: { id: string; docId: string; chunk: TextChunk; vector: Float32Array; tokens?: Float32Array }[];
}

type Committed = { version: number; info: VersionInfo };
const CONFLICT = new ShortlistError('INTERNAL', 'another writer committed while this one prepared; planning again');

/** The head version and its info (read outside any transaction). */
export async function readHead(pool: PoolRef, s: string): Promise<Committed> {
  const r = await pool.query<{ head: number; info: VersionInfo }>(`SELECT c.head, v.info FROM ${s}.collection c JOIN ${s}.versions v ON v.version = c.head WHERE c.id = 1`);
  return { version: r.rows[0].head, info: r.rows[0].info };
}

/** Upserts prepared documents; returns the counts and the version now committed. */
export async function upsertDocs(ctx: WriteContext, prepared: PreparedDoc[], options: UpsertOptions, batchSize: number): Promise<UpsertResult & { committed: Committed }> {
  const embedded = new Map<string, { vector: Float32Array; tokens?: Float32Array }>();
  const ids = prepared.map((p) => p.doc.id);
  for (let attempt = 1; ; attempt++) {
    const base = await readHead(ctx.pool, ctx.s);
    const stored = new Map<string, StoredState>();
    const rows = await ctx.pool.query<{ id: string; hash: string; metadata_json: string }>(
      `SELECT id, hash, metadata_json FROM ${ctx.s}.documents d WHERE id = ANY($1::text[]) AND ${visibleAt('d', '$2')}`, [ids, base.version]);
    for (const r of rows.rows) stored.set(r.id, { contentHash: r.hash, metadataJson: r.metadata_json });
    const plan = planUpsert(prepared, stored);
    let missing: string[] = [];
    if (options.deleteMissing) {
      const all = await ctx.pool.query<{ id: string }>(`SELECT id FROM ${ctx.s}.documents d WHERE ${visibleAt('d', '$1')} AND NOT (id = ANY($2::text[]))`, [base.version, ids]);
      missing = all.rows.map((r) => r.id);
    }
    const counts = { added: plan.added, updated: plan.updated, unchanged: plan.unchanged, deleted: missing.length, embedded: 0 };
    if (plan.embed.length + plan.metadataOnly.length + missing.length === 0) return { ...counts, version: base.version, committed: base };
    const replaced = plan.embed.filter((p) => stored.has(p.doc.id)).map((p) => p.doc.id);
    const change: Change = {
      counts,
      removeDocs: [...replaced, ...plan.metadataOnly.map((p) => p.doc.id), ...missing],
      removeContent: [...replaced, ...missing],
      newDocs: [...plan.embed, ...plan.metadataOnly].map((p) => ({ p, postings: documentPostings(p.doc, ctx.analyzer) })),
      chunks: [],
    };
    await embedChunks(ctx, plan.embed, options, batchSize, base.version, embedded, change);
    counts.embedded = embedded.size; // texts embedded by this call, across re-plans
    const contentIds = new Set(plan.embed.map((p) => p.doc.id));
    try {
      const committed = await commit(ctx, base, change, contentIds);
      return { ...counts, version: committed.version, committed };
    } catch (err) {
      if (err === CONFLICT && attempt < RETRIES) continue;
      throw err;
    }
  }
}

/** Deletes documents by id in one version. */
export async function deleteDocs(ctx: WriteContext, ids: string[]): Promise<UpsertResult & { committed: Committed }> {
  for (let attempt = 1; ; attempt++) {
    const base = await readHead(ctx.pool, ctx.s);
    const present = (await ctx.pool.query<{ id: string }>(`SELECT id FROM ${ctx.s}.documents d WHERE id = ANY($1::text[]) AND ${visibleAt('d', '$2')}`, [ids, base.version])).rows.map((r) => r.id);
    const counts = { added: 0, updated: 0, unchanged: 0, deleted: present.length, embedded: 0 };
    if (present.length === 0) return { ...counts, version: base.version, committed: base };
    try {
      const committed = await commit(ctx, base, { counts, removeDocs: present, removeContent: present, newDocs: [], chunks: [] }, new Set());
      return { ...counts, version: committed.version, committed };
    } catch (err) {
      if (err === CONFLICT && attempt < RETRIES) continue;
      throw err;
    }
  }
}

/** Chunks `docs` and embeds each distinct chunk text not in `cache` yet; adds the chunk rows to `change`. */
async function embedChunks(ctx: WriteContext, docs: readonly PreparedDoc[], options: UpsertOptions, batchSize: number, version: number, cache: Map<string, { vector: Float32Array; tokens?: Float32Array }>, change: Change): Promise<void> {
  const pending: { doc: PreparedDoc; chunk: TextChunk; input: string; last: boolean }[] = [];
  for (const p of docs) {
    const chunks = ctx.chunker(p.doc.text, ctx.settings.fingerprint.chunking);
    chunks.forEach((chunk, i) => pending.push({ doc: p, chunk, input: p.doc.title ? `${p.doc.title}\n\n${chunk.text}` : chunk.text, last: i === chunks.length - 1 }));
  }
  const todo = [...new Set(pending.map((x) => x.input).filter((t) => !cache.has(t)))];
  let docsDone = 0;
  let at = 0;
  for (let i = 0; i < todo.length; i += batchSize) {
    if (options.signal?.aborted) throw new ShortlistError('ABORTED', `upsert cancelled; the collection is still at version ${version}`);
    const inputs = todo.slice(i, i + batchSize);
    const vectors = checkVectors(await callEmbed(options.embed, inputs, version), inputs.length, ctx.settings.dims, 'embed');
    const tokens = options.embedTokens ? checkVectors(await callEmbed(options.embedTokens, inputs, version), inputs.length, -ctx.settings.tokenDims!, 'embedTokens') : undefined;
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
    throw new ShortlistError('MODEL_ERROR', `the embed callback failed: ${(err as Error)?.message ?? String(err)}; nothing was committed, the collection is still at version ${version}`, { cause: err });
  }
}

/** Applies `change` on top of `base` as version base + 1 in one transaction. */
async function commit(ctx: WriteContext, base: Committed, change: Change, contentIds: ReadonlySet<string>): Promise<Committed> {
  const { s, settings } = ctx;
  return ctx.pool.transaction(async (c) => {
    const head = (await c.query<{ head: number }>(`SELECT head FROM ${s}.collection WHERE id = 1 FOR UPDATE`)).rows[0].head;
    if (head !== base.version) throw CONFLICT;
    const v = head + 1;
    if (change.removeDocs.length) await c.query(`UPDATE ${s}.documents SET removed = $1 WHERE id = ANY($2::text[]) AND removed IS NULL`, [v, change.removeDocs]);
    if (change.removeContent.length) {
      await c.query(`UPDATE ${s}.chunks SET removed = $1 WHERE doc_id = ANY($2::text[]) AND removed IS NULL`, [v, change.removeContent]);
      await c.query(`UPDATE ${s}.postings SET removed = $1 WHERE doc_id = ANY($2::text[]) AND removed IS NULL`, [v, change.removeContent]);
    }
    await insertDocuments(c, s, v, change.newDocs);
    await insertChunks(c, s, v, settings, change.chunks);
    await insertPostings(c, s, v, change.newDocs.filter((d) => contentIds.has(d.p.doc.id)));
    const n = (await c.query<{ docs: number; chunks: number; indexed: number; sum_dl: string }>(
      `SELECT (SELECT count(*)::int FROM ${s}.chunks WHERE removed IS NULL) AS chunks, count(*)::int AS docs,
              count(*) FILTER (WHERE dl > 0)::int AS indexed, COALESCE(sum(dl), 0)::text AS sum_dl
       FROM ${s}.documents WHERE removed IS NULL`)).rows[0];
    const fields = { ...base.info.fields };
    for (const d of change.newDocs) mergeFields(fields, d.p.doc.metadata);
    let ann = base.info.ann;
    if (!ann && n.chunks >= ctx.annThreshold) {
      await c.query('SET LOCAL statement_timeout = 0'); // building the index may take minutes
      await c.query(`CREATE INDEX chunks_hnsw ON ${s}.chunks USING hnsw (embedding ${opClass(settings.distance, settings.vectorType)}) WITH (m = ${settings.hnsw.m}, ef_construction = ${settings.hnsw.efConstruction})`);
      ann = true;
    }
    const info: VersionInfo = { documents: n.docs, chunks: n.chunks, fields, ann, bm25: { indexedDocCount: n.indexed, sumTotalTermFreq: Number(n.sum_dl) } };
    await c.query(`INSERT INTO ${s}.versions (version, info) VALUES ($1, $2::jsonb)`, [v, JSON.stringify(info)]);
    await c.query(`UPDATE ${s}.collection SET head = $1 WHERE id = 1`, [v]);
    return { version: v, info };
  });
}

async function insertDocuments(c: pg.PoolClient, s: string, v: number, docs: Change['newDocs']): Promise<void> {
  for (let i = 0; i < docs.length; i += INSERT_ROWS) {
    const b = docs.slice(i, i + INSERT_ROWS);
    await c.query(
      `INSERT INTO ${s}.documents (id, added, title, body, metadata, metadata_json, hash, dl)
       SELECT id, $1, title, body, mj::jsonb, mj, hash, dl FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS x(id, title, body, mj, hash, dl)`,
      [v, b.map((d) => d.p.doc.id), b.map((d) => d.p.doc.title ?? null), b.map((d) => d.p.doc.text), b.map((d) => d.p.metadataJson), b.map((d) => d.p.contentHash), b.map((d) => d.postings.length)],
    );
  }
}

async function insertChunks(c: pg.PoolClient, s: string, v: number, settings: Settings, chunks: Change['chunks']): Promise<void> {
  for (let i = 0; i < chunks.length; i += INSERT_ROWS) {
    const b = chunks.slice(i, i + INSERT_ROWS);
    await c.query(
      `INSERT INTO ${s}.chunks (id, doc_id, idx, start_pos, end_pos, text, embedding, tokens, added)
       SELECT id, doc_id, idx, st, en, text, emb::${settings.vectorType}, tokens, $1
       FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::bytea[]) AS x(id, doc_id, idx, st, en, text, emb, tokens)`,
      [v, b.map((x) => x.id), b.map((x) => x.docId), b.map((x) => x.chunk.index), b.map((x) => x.chunk.start), b.map((x) => x.chunk.end), b.map((x) => x.chunk.text),
        b.map((x) => vectorLiteral(x.vector)), b.map((x) => (x.tokens ? tokensToBytes(x.tokens) : null))],
    );
  }
}

async function insertPostings(c: pg.PoolClient, s: string, v: number, docs: Change['newDocs']): Promise<void> {
  let terms: string[] = [], ids: string[] = [], tfs: number[] = [], norms: number[] = [];
  const flush = async () => {
    if (terms.length === 0) return;
    await c.query(`INSERT INTO ${s}.postings (term, doc_id, tf, norm, added) SELECT term, id, tf, norm, $1 FROM unnest($2::text[], $3::text[], $4::int[], $5::int[]) AS x(term, id, tf, norm)`, [v, terms, ids, tfs, norms]);
    terms = [], ids = [], tfs = [], norms = [];
  };
  for (const d of docs) {
    const p = d.postings;
    for (let j = 0; j < p.terms.length; j++) terms.push(p.terms[j]), ids.push(d.p.doc.id), tfs.push(p.tfs[j]), norms.push(p.norm);
    if (terms.length >= 5 * INSERT_ROWS) await flush();
  }
  await flush();
}
