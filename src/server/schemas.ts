/**
 * Request bodies of every route as zod schemas: the routes validate with them and /openapi.json is
 * generated from them, so the two cannot drift. Dialect schemas accept (and ignore) fields they do
 * not use, as the services they copy do; shortlist's own routes are strict, so a typo is an error.
 * Size limits (documents per request, characters) are server options, checked by the routes.
 */
import type { z } from 'zod';
import { lazySchema } from '../core/zod.ts';
import { isWellFormed } from '../core/unicode.ts';
import { searchOverridesSchema } from './overrides.ts';

/** Why a search's `pipeline` field is refused, and what to send instead. */
const PIPELINE_REFUSED =
  'a request may not replace the pipeline (models, URLs, providers and keys come from the operator); tune it with k, depth, rerank[i].keep, rerank[i].minRelevance, fusion.k, fusion.weights, minScore and filter';

const text = lazySchema((z) => z.string().min(1, 'must be a non-empty string'));
const positiveInt = lazySchema((z) => z.number().int().min(1));

/** POST /v1/rerank, /v2/rerank: the Cohere and Jina rerank request (a superset of both). */
export const CohereRerankSchema = lazySchema((z) =>
  z.looseObject({
    /** Ignored: the server serves the model it was started with. */
    model: z.string().optional(),
    query: text,
    documents: z.array(z.union([z.string(), z.looseObject({ text: z.string() })])).min(1, 'must hold at least one document'),
    /** Results returned (Cohere). @default all */
    top_n: positiveInt.optional(),
    /** Results returned (Jina's name for top_n). @default all */
    top_k: positiveInt.optional(),
    /** Include each result's document as `{ text }`. @default false */
    return_documents: z.boolean().optional(),
    /** Cut each document to this many model tokens before scoring. @default the model's window (long documents are scored in windows) */
    max_tokens_per_doc: positiveInt.optional(),
  }),
);

/** POST /rerank: the text-embeddings-inference rerank request. */
export const TeiRerankSchema = lazySchema((z) =>
  z.looseObject({
    query: text,
    texts: z.array(z.string()).min(1, 'must hold at least one text'),
    /** Return the raw logit instead of the activated score. @default false */
    raw_scores: z.boolean().optional(),
    /** Include each text in its result. @default false */
    return_text: z.boolean().optional(),
    /** Accepted for compatibility: a text past the model's window is always scored in windows, the best window counting. */
    truncate: z.boolean().optional(),
    truncation_direction: z.enum(['Left', 'Right', 'left', 'right']).optional(),
  }),
);

/** POST /v1/embeddings, /embeddings: the OpenAI embeddings request. */
export const OpenAiEmbeddingsSchema = lazySchema((z) =>
  z.looseObject({
    /** Ignored: the server serves the model it was started with. */
    model: z.string().optional(),
    input: z.union([text, z.array(text).min(1, 'must hold at least one string')]),
    /** `base64`: each vector as little-endian float32 bytes, base64-encoded. @default 'float' */
    encoding_format: z.enum(['float', 'base64']).optional(),
    /** Keep the first n components and renormalise (at most the model's size). @default the model's size */
    dimensions: positiveInt.optional(),
    user: z.string().optional(),
  }),
);

/** POST /embed: the text-embeddings-inference embed request. */
export const TeiEmbedSchema = lazySchema((z) =>
  z.looseObject({
    inputs: z.union([text, z.array(text).min(1, 'must hold at least one string')]),
    /** L2-normalise the vectors. @default true */
    normalize: z.boolean().optional(),
    /** Accepted for compatibility; texts past the window are always cut to it. @default true */
    truncate: z.boolean().optional(),
    truncation_direction: z.enum(['Left', 'Right', 'left', 'right']).optional(),
    prompt_name: z.string().optional(),
  }),
);

/** POST /v1/search: run a query through a collection's pipeline, tuned by the knobs of {@link searchOverridesSchema}. */
export const SearchSchema = lazySchema((z) =>
  z.strictObject({
    /** Name of a collection (a folder under --collections). */
    collection: text,
    query: text,
    ...searchOverridesSchema.shape,
    /** Include each hit's trace and every stage's full list. @default false */
    explain: z.boolean().optional(),
    /** Refused: a request tunes the stored pipeline with the fields above and never replaces part of it. */
    pipeline: z.never({ error: PIPELINE_REFUSED }).optional(),
  }),
);

/** A document id: a non-empty, well-formed UTF-16 string (a lone surrogate would not survive the store's UTF-8, so two ids could become one). */
export const documentId = text.refine((s) => isWellFormed(s), {
  message: 'holds a lone surrogate (not well-formed UTF-16); ids must be valid Unicode text',
});

const DocumentSchema = lazySchema((z) =>
  z.strictObject({
    id: documentId,
    text: z.string(),
    title: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
);

/** POST /v1/collections/:name/documents: add or replace documents. */
export const UpsertSchema = lazySchema((z) =>
  z.strictObject({
    documents: z.array(DocumentSchema).min(1, 'must hold at least one document'),
    /**
     * Create the collection when it does not exist yet, with a built-in preset (`"bm25"`) the server
     * allows, or an inline pipeline object whose models are all on the operator's `--allow-models`
     * list. Never a file path. @default none (404 when missing)
     */
    pipeline: z.union([z.string().max(64), z.record(z.string(), z.unknown())]).optional(),
  }),
);

/** DELETE /v1/collections/:name/documents: remove documents by id. */
export const DeleteSchema = lazySchema((z) =>
  z.strictObject({
    ids: z.array(documentId).min(1, 'must hold at least one id'),
  }),
);

/** A validated /v1/rerank or /v2/rerank body. */
export type CohereRerankBody = z.infer<typeof CohereRerankSchema>;
/** A validated /rerank body. */
export type TeiRerankBody = z.infer<typeof TeiRerankSchema>;
/** A validated /v1/embeddings body. */
export type OpenAiEmbeddingsBody = z.infer<typeof OpenAiEmbeddingsSchema>;
/** A validated /embed body. */
export type TeiEmbedBody = z.infer<typeof TeiEmbedSchema>;
/** A validated /v1/search body. */
export type SearchBody = z.infer<typeof SearchSchema>;
/** A validated upsert body. */
export type UpsertBody = z.infer<typeof UpsertSchema>;
