/**
 * Rerank routes: POST /v1/rerank and /v2/rerank (Cohere and Jina: `documents` as strings or
 * `{ text }`, `top_n`/`top_k`, `return_documents`, `max_tokens_per_doc` → `{ id, results:
 * [{ index, relevance_score, document? }], meta, model, usage }`, Cohere's fields and Jina's) and
 * POST /rerank (TEI: `texts`, `raw_scores`, `return_text` → a bare array of `{ index, score,
 * text? }`). Both sort by score, then index.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { checkLength, checkTexts, readBody, setModelTiming, type ServerContext, type ServerEnv } from '../context.ts';
import type { ServerMetrics } from '../metrics.ts';
import { need, type ServerModels } from '../models.ts';
import type { ServerOptions } from '../options.ts';
import { CohereRerankSchema, TeiRerankSchema } from '../schemas.ts';

/** Register the rerank routes on `app`. */
export function rerankRoutes(app: Hono<ServerEnv>, models: ServerModels, options: ServerOptions, metrics: ServerMetrics): void {
  const cohere = async (c: ServerContext) => {
    const body = await readBody(c, CohereRerankSchema, options.limits.bodyBytes);
    const model = need(models.rerank, 'rerank');
    const given = body.documents.map((d) => (typeof d === 'string' ? d : d.text));
    checkLength(body.query, 'query', options.limits);
    checkTexts(given, 'documents', options.limits);
    const max = body.max_tokens_per_doc;
    const docs = max === undefined ? given : await Promise.all(given.map((d) => model.truncate(d, max)));
    const scored = await model.score(body.query, docs, c.get('signal'));
    setModelTiming(c, 'rerank', scored, metrics);
    const top = body.top_n ?? body.top_k ?? docs.length;
    const results = ranked(scored.results.map((s) => s.score))
      .slice(0, top)
      .map(({ index, score }) => ({
        index,
        relevance_score: score,
        ...(body.return_documents ? { document: { text: given[index] } } : {}),
      }));
    const tokens = Math.ceil((body.query.length * docs.length + docs.reduce((n, d) => n + d.length, 0)) / 4); // an estimate (characters / 4)
    return c.json({
      id: randomUUID(),
      results,
      meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
      model: model.name,
      usage: { total_tokens: tokens },
    });
  };
  app.post('/v1/rerank', cohere);
  app.post('/v2/rerank', cohere);

  app.post('/rerank', async (c) => {
    const body = await readBody(c, TeiRerankSchema, options.limits.bodyBytes);
    const model = need(models.rerank, 'rerank');
    checkLength(body.query, 'query', options.limits);
    checkTexts(body.texts, 'texts', options.limits);
    const scored = await model.score(body.query, body.texts, c.get('signal'));
    setModelTiming(c, 'rerank', scored, metrics);
    const scores = scored.results.map((s) => (body.raw_scores ? s.logit : s.score));
    return c.json(ranked(scores).map(({ index, score }) => ({ index, score, ...(body.return_text ? { text: body.texts[index] } : {}) })));
  });
}

/** Indexes with their scores, best first; equal scores keep input order. */
function ranked(scores: readonly number[]): { index: number; score: number }[] {
  return scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
}
