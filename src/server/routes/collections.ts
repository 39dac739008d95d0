/**
 * Collection routes (shortlist's own dialect): POST /v1/search runs a query through a
 * collection's pipeline (hits with their traces, per-stage timings; `explain` adds every stage's
 * list, each listed document with its title); the /v1/collections routes list, describe, upsert into and delete from collections.
 */
import { basename } from 'node:path';
import type { Hono } from 'hono';
import { parseModelSource } from '../../models/hub/source.ts';
import type { ResolvedPipeline } from '../../pipeline/config.ts';
import { ShortlistError } from '../../core/errors.ts';
import type { Document, Hit } from '../../core/types.ts';
import type { Collection } from '../../engine/collection.ts';
import type { StageList } from '../../pipeline/pipeline.ts';
import type { CollectionRegistry } from '../collections.ts';
import { checkLength, readBody, type ServerEnv } from '../context.ts';
import type { ServerMetrics } from '../metrics.ts';
import { creationPipeline } from '../creation.ts';
import type { ServerLimits, ServerOptions } from '../options.ts';
import { checkSearchOverrides, overrideKey, overridePipeline } from '../overrides.ts';
import { DeleteSchema, SearchSchema, UpsertSchema, type UpsertBody } from '../schemas.ts';

/** Register the search and collection routes on `app`. */
export function collectionRoutes(app: Hono<ServerEnv>, registry: CollectionRegistry, options: ServerOptions, metrics: ServerMetrics): void {
  app.post('/v1/search', async (c) => {
    const body = await readBody(c, SearchSchema, options.limits.bodyBytes);
    checkLength(body.query, 'query', options.limits);
    checkSearchOverrides(body, options.limits);
    const t0 = performance.now();
    const key = overrideKey(body);
    const { result, lists } = await registry.use(
      body.collection,
      async (col) => {
        const result = await col.search(body.query, {
          k: body.k,
          filter: body.filter,
          record: body.explain === true,
          signal: c.get('signal'),
        });
        return { result, lists: result.lists ? await listsWithTitles(col, result.lists, result.hits) : undefined };
      },
      key === undefined ? undefined : { key, pipeline: (stored) => overridePipeline(stored, body) },
    );
    for (const t of result.timings) metrics.stages.observe({ stage: `search.${t.stage}` }, t.ms / 1000);
    return c.json({
      collection: body.collection,
      query: body.query,
      hits: result.hits.map((h, i) => hitJson(h, i + 1, body.explain === true)),
      timings: result.timings.map((t) => ({ stage: t.stage, ms: round(t.ms) })),
      total_ms: round(performance.now() - t0),
      ...(result.stats ? { stats: result.stats } : {}),
      ...(lists ? { lists } : {}),
    });
  });

  app.get('/v1/collections', async (c) => c.json({ collections: await registry.list() }));

  app.get('/v1/collections/:name', async (c) => {
    const name = c.req.param('name');
    const info = await registry.use(name, (col) => col.info());
    const { dir: _dir, pipeline, ...rest } = info;
    return c.json({ name, ...rest, pipeline: publicPipeline(pipeline) });
  });

  app.post('/v1/collections/:name/documents', async (c) => {
    const name = c.req.param('name');
    const body = await readBody(c, UpsertSchema, options.limits.bodyBytes);
    checkCount(body.documents.length, 'documents', options.limits.documents);
    body.documents.forEach((d, i) => checkDocument(d, `documents[${i}]`, options.limits));
    const docs = body.documents.map((d) => ({
      id: d.id,
      text: d.text,
      ...(d.title !== undefined ? { title: d.title } : {}),
      ...(d.metadata ? { metadata: d.metadata } : {}),
    }));
    return registry.serial(name, async () => {
      if (!(await registry.exists(name))) {
        if (body.pipeline === undefined) {
          throw new ShortlistError(
            'NOT_FOUND',
            `no collection "${name}"; create it by sending "pipeline" (a preset this server allows: ${options.creation.presets.join(', ') || 'none'}) with the documents`,
            { location: { field: 'collection' } },
          );
        }
        const result = await registry.create(name, creationPipeline(body.pipeline, options.creation), docs);
        return c.json({ collection: name, created: true, ...result }, 201);
      }
      const result = await registry.use(name, (col) => col.add(docs, { signal: c.get('signal') }));
      return c.json({ collection: name, created: false, ...result });
    });
  });

  app.delete('/v1/collections/:name/documents', async (c) => {
    const name = c.req.param('name');
    const body = await readBody(c, DeleteSchema, options.limits.bodyBytes);
    checkCount(body.ids.length, 'ids', options.limits.documents);
    body.ids.forEach((id, i) => checkChars(id, `ids[${i}]`, options.limits.idCharacters, '--max-id-characters'));
    const result = await registry.serial(name, () => registry.use(name, (col) => col.remove(body.ids)));
    return c.json({ collection: name, ...result });
  });
}

/** The pipeline as callers may see it: a local model folder by its last segment (server paths stay private). */
function publicPipeline(p: ResolvedPipeline): unknown {
  const model = <T extends object>(s: T): T => {
    if (!('model' in s) || typeof s.model !== 'string' || ('type' in s && (s.type === 'remote' || s.type === 'llm-listwise'))) return s;
    const src = parseModelSource(s.model);
    return src.kind === 'local' ? { ...s, model: basename(src.dir) } : s;
  };
  return { ...p, retrievers: p.retrievers.map(model), rerank: p.rerank.map(model) };
}

/** Refuse a document whose text, id, title or a metadata key or value is past its limit (TOO_LARGE naming the field). */
function checkDocument(d: UpsertBody['documents'][number], at: string, limits: ServerLimits): void {
  checkLength(d.text, `${at}.text`, limits);
  checkChars(d.id, `${at}.id`, limits.idCharacters, '--max-id-characters');
  if (d.title !== undefined) checkChars(d.title, `${at}.title`, limits.fieldCharacters, '--max-field-characters');
  for (const [key, value] of Object.entries(d.metadata ?? {})) {
    checkChars(key, `${at}.metadata key`, limits.idCharacters, '--max-id-characters');
    checkChars(JSON.stringify(value) ?? '', `${at}.metadata.${key}`, limits.fieldCharacters, '--max-field-characters');
  }
}

function checkChars(text: string, field: string, max: number, flag: string): void {
  if (text.length > max)
    throw new ShortlistError('TOO_LARGE', `${field} has ${text.length} characters, more than the server's limit of ${max} (${flag})`, {
      location: { field },
    });
}

/** Every stage list with each listed document's title (when it has one): the final hits' from their documents, the others' read from the collection. */
async function listsWithTitles(
  col: Collection,
  lists: StageList[],
  hits: readonly Hit[],
): Promise<{ stage: string; hits: { id: string; score: number; title?: string }[] }[]> {
  const docs = new Map<string, Document | undefined>(hits.map((h) => [h.id, h.document]));
  const missing = [...new Set(lists.flatMap((l) => l.hits.map((h) => h.id)))].filter((id) => !docs.has(id));
  if (missing.length > 0) for (const d of await col.documents(missing)) docs.set(d.id, d);
  return lists.map((l) => ({
    stage: l.stage,
    hits: l.hits.map(({ id, score }) => {
      const title = docs.get(id)?.title;
      return { id, score, ...(title !== undefined ? { title } : {}) };
    }),
  }));
}

/** One hit as JSON: id (a passage-unit hit's chunk id, with its `document`), rank, score, the document's fields, its passages, and its trace when explaining. */
function hitJson(h: Hit, rank: number, explain: boolean) {
  const d = h.document;
  return {
    id: h.id,
    ...(d && d.id !== h.id ? { document: d.id } : {}),
    rank,
    score: h.score,
    ...(d?.title !== undefined ? { title: d.title } : {}),
    ...(d ? { text: d.text } : {}),
    ...(h.passages ? { passages: h.passages } : {}),
    ...(d?.metadata ? { metadata: d.metadata } : {}),
    ...(explain && h.trace ? { trace: h.trace } : {}),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** TOO_LARGE when a request's list `field` holds more than the server's per-request limit (`--max-documents`). */
function checkCount(count: number, field: string, limit: number): void {
  if (count > limit)
    throw new ShortlistError(
      'TOO_LARGE',
      `${field} holds ${count} items, more than the server's limit of ${limit} per request (--max-documents); send them in parts`,
      { location: { field } },
    );
}
