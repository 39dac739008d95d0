/**
 * The OpenAPI 3.1 document served at /openapi.json, generated from the routes' zod schemas
 * (`z.toJSONSchema`), so what the server validates and what it documents are the same object.
 */
import type { z } from 'zod';
import { zod } from '../core/zod.ts';
import { CohereEmbedSchema } from './routes/cohere-embed.ts';
import { ContextSchema } from './routes/context.ts';
import { pipelineSchema } from '../pipeline/config.ts';
import {
  CohereRerankSchema,
  DeleteSchema,
  OpenAiEmbeddingsSchema,
  SearchSchema,
  TeiEmbedSchema,
  TeiRerankSchema,
  UpsertSchema,
} from './schemas.ts';

export interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  dialect: 'cohere' | 'openai' | 'tei' | 'shortlist' | 'none';
}

/** Every route the server answers, in the order the document lists them. */
export const ROUTES: readonly RouteDoc[] = Object.freeze([
  {
    method: 'post',
    path: '/v1/search',
    summary:
      'Search a collection: first stage, rerank cascade, cut; per-stage timings and (explain) traces. A request tunes the stored pipeline (k, depth, filter, minScore, rerank[i].keep/minRelevance, fusion) and never replaces it.',
    body: SearchSchema,
    dialect: 'shortlist',
  },
  {
    method: 'post',
    path: '/v1/context',
    summary: 'The best passages for a query that fit in a word budget, adjacent chunks merged, with source ids and offsets.',
    body: ContextSchema,
    dialect: 'shortlist',
  },
  {
    method: 'post',
    path: '/v1/rerank',
    summary: 'Rerank documents against a query (Cohere/Jina request and response).',
    body: CohereRerankSchema,
    dialect: 'cohere',
  },
  {
    method: 'post',
    path: '/v2/rerank',
    summary: 'Rerank documents against a query (Cohere v2 request and response).',
    body: CohereRerankSchema,
    dialect: 'cohere',
  },
  {
    method: 'post',
    path: '/rerank',
    summary: 'Rerank texts against a query (text-embeddings-inference): a bare array of {index, score}.',
    body: TeiRerankSchema,
    dialect: 'tei',
  },
  {
    method: 'post',
    path: '/v1/embeddings',
    summary: 'Embed texts (OpenAI request and response; float or base64).',
    body: OpenAiEmbeddingsSchema,
    dialect: 'openai',
  },
  { method: 'post', path: '/embeddings', summary: 'Same as /v1/embeddings.', body: OpenAiEmbeddingsSchema, dialect: 'openai' },
  {
    method: 'post',
    path: '/v1/embed',
    summary: 'Embed texts (Cohere v1 request and response: floats, or embeddings_by_type with embedding_types).',
    body: CohereEmbedSchema,
    dialect: 'cohere',
  },
  {
    method: 'post',
    path: '/v2/embed',
    summary: 'Embed texts (Cohere v2 request and response: embeddings_by_type).',
    body: CohereEmbedSchema,
    dialect: 'cohere',
  },
  {
    method: 'post',
    path: '/embed',
    summary: 'Embed texts (text-embeddings-inference): a bare number[][].',
    body: TeiEmbedSchema,
    dialect: 'tei',
  },
  { method: 'get', path: '/v1/collections', summary: 'List the collections.', dialect: 'shortlist' },
  {
    method: 'get',
    path: '/v1/collections/{name}',
    summary: 'Counts, fingerprint, fields and pipeline of one collection.',
    dialect: 'shortlist',
  },
  {
    method: 'post',
    path: '/v1/collections/{name}/documents',
    summary:
      'Add or replace documents (creates the collection when `pipeline` names a preset the server allows, or an inline pipeline of allowed models).',
    body: UpsertSchema,
    dialect: 'shortlist',
  },
  {
    method: 'delete',
    path: '/v1/collections/{name}/documents',
    summary: 'Remove documents by id.',
    body: DeleteSchema,
    dialect: 'shortlist',
  },
  { method: 'get', path: '/', summary: 'The playground page (HTML; never needs a key).', dialect: 'none' },
  { method: 'get', path: '/health', summary: 'Liveness: 200 with the loaded models (never needs a key).', dialect: 'none' },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics (text format 0.0.4).', dialect: 'none' },
  { method: 'get', path: '/openapi.json', summary: 'This document.', dialect: 'none' },
]);

const ERROR_SCHEMAS = {
  cohere: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  openai: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          message: { type: 'string' },
          type: { type: 'string' },
          param: { type: ['string', 'null'] },
          code: { type: 'string' },
        },
      },
    },
  },
  tei: { type: 'object', properties: { error: { type: 'string' }, error_type: { type: 'string' } }, required: ['error', 'error_type'] },
  shortlist: {
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

/**
 * The JSON schema of a request body. The upsert body's inline `pipeline` (validated when the
 * collection is made) is documented with the pipeline schema itself, whose rerank union comes from
 * the rerank stage registry.
 */
function bodySchema(body: z.ZodType): Record<string, unknown> {
  const schema = zod().toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & {
    properties?: Record<string, unknown>;
  };
  if (body === UpsertSchema && schema.properties?.pipeline) {
    const { $schema: _, ...pipeline } = zod().toJSONSchema(pipelineSchema(), { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    schema.properties.pipeline = { anyOf: [{ type: 'string', maxLength: 64, description: 'a preset the server allows' }, pipeline] };
  }
  return schema;
}

/** The OpenAPI document; `auth` adds the bearer scheme. */
export function openApiDocument(options: { auth: boolean; version?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const op: Record<string, unknown> = { summary: r.summary, responses: { '200': { description: 'OK' } } };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: bodySchema(r.body) } } };
    if (r.path.includes('{name}')) op.parameters = [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }];
    if (r.dialect !== 'none') {
      const err = { description: 'Error', content: { 'application/json': { schema: ERROR_SCHEMAS[r.dialect] } } };
      Object.assign(op.responses as object, {
        '400': err,
        '401': err,
        '404': err,
        '413': err,
        '409': err,
        '422': err,
        '429': err,
        '504': err,
      });
    }
    if (options.auth && r.path !== '/health' && r.path !== '/') op.security = [{ bearer: [] }];
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'shortlist server',
      version: options.version ?? '0.1.0',
      description: 'Search, rerank and embedding APIs (Cohere, Jina, OpenAI and TEI dialects).',
    },
    paths,
    ...(options.auth ? { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } } : {}),
  };
}
