/**
 * Cohere's embed routes: POST /v1/embed and /v2/embed, as the official `cohere-ai` client
 * (`CohereClient.embed`, `CohereClientV2.embed`) sends them.
 * - request: `texts`, `input_type` (`search_query` embeds with the model's query prefix; every other
 *   type as documents, like /v1/embeddings), `embedding_types` (float, int8, uint8, binary,
 *   ubinary, base64; see `models/encoders/embedding-types.ts`), v2's `inputs` (text parts only)
 *   and `output_dimension` (truncate, renormalised when the model normalises), `truncate` END
 *   (what the model does; NONE and START are refused), `model` ignored (the server serves the
 *   model it was started with);
 * - reply: v1 without `embedding_types` → `response_type: embeddings_floats` with `embeddings:
 *   number[][]`; otherwise (and always on v2) `response_type: embeddings_by_type` with one array per
 *   type; `id`, `texts`, `meta.billed_units.input_tokens` (≈ characters / 4).
 * Errors take Cohere's `{ message }` shape.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { z } from 'zod';
import { lazySchema } from '../../core/zod.ts';
import { ShortlistError } from '../../core/errors.ts';
import { byType, EMBEDDING_TYPES, type EmbeddingType } from '../../models/encoders/embedding-types.ts';
import { truncateDims } from '../../models/encoders/pooling.ts';
import { checkTexts, readBody, setModelTiming, type ServerContext, type ServerEnv } from '../context.ts';
import type { ServerMetrics } from '../metrics.ts';
import { need, type ServerModels } from '../models.ts';
import type { ServerOptions } from '../options.ts';

const INPUT_TYPES = ['search_document', 'search_query', 'classification', 'clustering', 'image'] as const;

const TextPart = lazySchema((z) => z.looseObject({ type: z.string(), text: z.string().optional() }));

/** The Cohere embed request, v1 and v2 (snake_case as on the wire). */
export const CohereEmbedSchema = lazySchema((z) =>
  z.looseObject({
    /** Ignored: the server serves the model it was started with. */
    model: z.string().optional(),
    texts: z.array(z.string()).optional(),
    /** v2: inputs of content parts; only `{ type: 'text', text }` parts are embedded. */
    inputs: z.array(z.looseObject({ content: z.array(TextPart) })).optional(),
    images: z.array(z.string()).optional(),
    input_type: z.enum(INPUT_TYPES).optional(),
    embedding_types: z.array(z.enum(EMBEDDING_TYPES)).min(1, 'must name at least one type').optional(),
    output_dimension: z.number().int().positive().optional(),
    max_tokens: z.number().int().positive().optional(),
    truncate: z.enum(['NONE', 'START', 'END']).optional(),
  }),
);

type CohereEmbedRequest = z.infer<typeof CohereEmbedSchema>;

/** Register /v1/embed and /v2/embed on `app`. */
export function cohereEmbedRoutes(app: Hono<ServerEnv>, models: ServerModels, options: ServerOptions, metrics: ServerMetrics): void {
  const handle = (version: 1 | 2) => async (c: ServerContext) => {
    const body = await readBody(c, CohereEmbedSchema, options.limits.bodyBytes);
    const model = need(models.embed, 'embed');
    const texts = textsOf(body);
    checkTexts(texts, body.texts ? 'texts' : 'inputs', options.limits);
    if (body.truncate === 'NONE' || body.truncate === 'START') {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `truncate ${body.truncate} is not supported: this server cuts inputs longer than the model's window at the end (truncate END)`,
        { location: { field: 'truncate' } },
      );
    }
    const full = await model.dims();
    const dims = body.output_dimension;
    if (dims !== undefined && dims > full) {
      throw new ShortlistError('INVALID_ARGUMENT', `output_dimension ${dims} is larger than the model's ${full}; give at most ${full}`, {
        location: { field: 'output_dimension' },
      });
    }
    const types: EmbeddingType[] = body.embedding_types ?? ['float'];
    if (types.some((t) => t === 'binary' || t === 'ubinary') && (dims ?? full) % 8 !== 0) {
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `binary embeddings pack 8 dimensions per byte; ${dims ?? full} dimensions is not a multiple of 8 (give output_dimension)`,
        { location: { field: 'embedding_types' } },
      );
    }
    const out = await model.embed(texts, c.get('signal'), body.input_type === 'search_query' ? 'query' : 'document');
    setModelTiming(c, 'embed', out, metrics);
    const vectors = out.results.map((v) => (dims !== undefined && dims < full ? truncateDims(v, dims, model.normalizes) : v));
    const tokens = texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
    const meta = { api_version: { version: String(version) }, billed_units: { input_tokens: tokens } };
    const id = randomUUID();
    if (version === 1 && body.embedding_types === undefined) {
      return c.json({ id, response_type: 'embeddings_floats', embeddings: vectors.map((v) => Array.from(v)), texts, meta });
    }
    return c.json({ id, response_type: 'embeddings_by_type', embeddings: byType(vectors, types), texts, meta });
  };
  app.post('/v1/embed', handle(1));
  app.post('/v2/embed', handle(2));
}

/** The texts to embed: `texts`, or the text parts of v2 `inputs`; images are refused. */
function textsOf(body: CohereEmbedRequest): string[] {
  if (body.images?.length || body.input_type === 'image') {
    throw new ShortlistError('INVALID_ARGUMENT', 'this server embeds text only; images are not supported', {
      location: { field: body.images?.length ? 'images' : 'input_type' },
    });
  }
  if (body.texts && body.inputs)
    throw new ShortlistError('INVALID_ARGUMENT', 'give texts or inputs, not both', { location: { field: 'inputs' } });
  if (body.texts) return body.texts;
  if (body.inputs) {
    return body.inputs.map((input, i) => {
      const parts = input.content.filter((p) => p.type === 'text');
      if (parts.length !== input.content.length) {
        throw new ShortlistError('INVALID_ARGUMENT', `inputs[${i}] holds a non-text part; this server embeds text only`, {
          location: { field: `inputs[${i}].content` },
        });
      }
      return parts.map((p) => p.text ?? '').join('\n');
    });
  }
  throw new ShortlistError('INVALID_ARGUMENT', 'give texts: an array of strings to embed', { location: { field: 'texts' } });
}
