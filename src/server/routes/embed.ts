/**
 * Embedding routes: POST /v1/embeddings and /embeddings (OpenAI: `input` string or string[],
 * `encoding_format` float | base64, `dimensions` → `{ object: 'list', data: [{ object:
 * 'embedding', index, embedding }], model, usage }`) and POST /embed (TEI: `inputs`, `normalize`
 * → a bare `number[][]`). Texts are embedded as documents (the model's document prefix).
 */
import type { Hono } from 'hono';
import { ShortlistError } from '../../core/errors.ts';
import { l2Normalize, truncateDims } from '../../models/encoders/pooling.ts';
import { checkTexts, readBody, setModelTiming, type ServerContext, type ServerEnv } from '../context.ts';
import type { ServerMetrics } from '../metrics.ts';
import { need, type ServerModels } from '../models.ts';
import type { ServerOptions } from '../options.ts';
import { OpenAiEmbeddingsSchema, TeiEmbedSchema } from '../schemas.ts';

/** Register the embedding routes on `app`. */
export function embedRoutes(app: Hono<ServerEnv>, models: ServerModels, options: ServerOptions, metrics: ServerMetrics): void {
  const openai = async (c: ServerContext) => {
    const body = await readBody(c, OpenAiEmbeddingsSchema, options.limits.bodyBytes);
    const model = need(models.embed, 'embed');
    const texts = typeof body.input === 'string' ? [body.input] : body.input;
    checkTexts(texts, 'input', options.limits);
    const full = await model.dims();
    if (body.dimensions !== undefined && body.dimensions > full) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `dimensions ${body.dimensions} is larger than the model's ${full}; give at most ${full}`,
        { location: { field: 'dimensions' } },
      );
    }
    const out = await model.embed(texts, c.get('signal'));
    setModelTiming(c, 'embed', out, metrics);
    const vectors = out.results.map((v) =>
      body.dimensions !== undefined && body.dimensions < full ? truncateDims(v, body.dimensions, true) : v,
    ); // OpenAI renormalises truncated vectors
    const base64 = body.encoding_format === 'base64';
    const tokens = texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
    return c.json({
      object: 'list',
      data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? toBase64(v) : Array.from(v) })),
      model: model.name,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
  app.post('/v1/embeddings', openai);
  app.post('/embeddings', openai);

  app.post('/embed', async (c) => {
    const body = await readBody(c, TeiEmbedSchema, options.limits.bodyBytes);
    const model = need(models.embed, 'embed');
    const texts = typeof body.inputs === 'string' ? [body.inputs] : body.inputs;
    checkTexts(texts, 'inputs', options.limits);
    const out = await model.embed(texts, c.get('signal'));
    setModelTiming(c, 'embed', out, metrics);
    return c.json(out.results.map((v) => Array.from(body.normalize === false ? v : l2Normalize(Float32Array.from(v)))));
  });
}

/** A vector as base64 of its little-endian float32 bytes (OpenAI's `encoding_format: base64`). */
export function toBase64(v: Float32Array): string {
  const bytes = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) bytes.writeFloatLE(v[i], i * 4);
  return bytes.toString('base64');
}
