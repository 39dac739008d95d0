/**
 * POST /v1/context: the best passages of a collection for a query that fit in a word budget
 * (`Collection.context`), ready for a prompt. A request tunes only knobs — budget, k, filter —
 * never the pipeline, a tokenizer, a model or a path: the budget counts words.
 */
import type { Hono } from 'hono';
import { lazySchema } from '../../core/zod.ts';
import type { CollectionRegistry } from '../collections.ts';
import { checkLength, readBody, type ServerEnv } from '../context.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { ServerOptions } from '../options.ts';

/** Largest budget a request may ask for, in words. */
export const MAX_CONTEXT_BUDGET = 100_000;
/** Most hits whose passages compete for the budget. */
export const MAX_CONTEXT_K = 1_000;

/** The body of POST /v1/context: knobs only. */
export const ContextSchema = lazySchema((z) =>
  z.strictObject({
    /** Name of a collection (a folder under --collections). */
    collection: z.string().min(1),
    query: z.string().min(1),
    /** Most words in the context, source lines included. */
    budget: z.number().int().min(1).max(MAX_CONTEXT_BUDGET),
    /** Hits whose passages compete for the budget. @default the pipeline's k */
    k: z.number().int().min(1).max(MAX_CONTEXT_K).optional(),
    /** Metadata where clause, e.g. `year >= 2020 AND lang = 'en'`. @default none */
    filter: z.string().optional(),
  }),
);

/** Register POST /v1/context on `app`. */
export function contextRoutes(app: Hono<ServerEnv>, registry: CollectionRegistry, options: ServerOptions, metrics: ServerMetrics): void {
  app.post('/v1/context', async (c) => {
    const body = await readBody(c, ContextSchema, options.limits.bodyBytes);
    checkLength(body.query, 'query', options.limits);
    const t0 = performance.now();
    const ctx = await registry.use(body.collection, (col) =>
      col.context(body.query, { budget: body.budget, k: body.k, filter: body.filter, signal: c.get('signal') }),
    );
    const ms = performance.now() - t0;
    metrics.stages.observe({ stage: 'context' }, ms / 1000);
    return c.json({
      collection: body.collection,
      query: body.query,
      budget: ctx.budget,
      used: ctx.used,
      unit: 'words',
      passages: ctx.passages,
      text: ctx.text,
      total_ms: Math.round(ms * 1000) / 1000,
    });
  });
}
