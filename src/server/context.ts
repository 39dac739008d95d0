/**
 * What every route shares: the hono environment (the request's cancellation signal, the model
 * timings a route reports), reading a JSON body under the size limit, and the per-request limits.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ShortlistError } from '../core/errors.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ServerLimits } from './options.ts';

/** Per-request values routes read and set. */
export interface ServerEnv {
  Variables: {
    /** Aborts when the client disconnects or the request times out. */
    signal: AbortSignal;
    /** This request's id: in the `x-request-id` header, every error body and the server log. */
    requestId: string;
    /** The server's request limits (readBody takes the JSON depth limit from here). */
    limits: ServerLimits;
    /** Model queue and inference time, set by model routes (TEI timing headers, stage metrics). */
    modelTiming?: { queueMs: number; inferenceMs: number; model: string };
  };
}

/** The hono context of a shortlist route. */
export type ServerContext = Context<ServerEnv>;

/** Read the body as JSON (at most `maxBytes`, else TOO_LARGE; nested at most `maxDepth` deep, else INVALID_INPUT) and validate it with `schema`. */
export async function readBody<S extends z.ZodType>(c: ServerContext, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const limits = c.get('limits');
  const maxDepth = limits?.jsonDepth ?? 32;
  const declared = Number(c.req.header('content-length'));
  if (declared > maxBytes) throw tooLarge(declared, maxBytes);
  const body = c.req.raw.body;
  if (!body)
    throw new ShortlistError('INVALID_ARGUMENT', 'the request has no body; send a JSON object with Content-Type: application/json');
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(size, maxBytes);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ShortlistError('INVALID_ARGUMENT', 'the request body is empty; send a JSON object');
  // nesting is checked on the text, before anything parses it
  if (nestsDeeper(text, maxDepth))
    throw new ShortlistError(
      'INVALID_INPUT',
      `the request body nests arrays and objects more than ${maxDepth} levels deep, the server's limit (--max-json-depth)`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ShortlistError('INVALID_ARGUMENT', `the request body is not valid JSON: ${(err as Error).message.slice(0, 200)}`, {
      cause: err,
    });
  }
  // no list longer than the per-request limit reaches the schema (validating 60,000 items costs more than refusing them)
  if (limits) checkLists(json, limits.documents);
  return schema.parse(json);
}

/** True when the JSON text `text` nests arrays and objects more than `max` deep (brackets inside strings do not count). */
export function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \\ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > max) return true;
    } else if (ch === 93 /* ] */ || ch === 125 /* } */) depth--;
  }
  return false;
}

/** Refuse (TOO_LARGE, naming the field) any array in `json` longer than `max` items. */
function checkLists(json: unknown, max: number): void {
  const stack: [unknown, string][] = [[json, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      if (v.length > max) {
        const field = at || 'body';
        throw new ShortlistError(
          'TOO_LARGE',
          `${field} holds ${v.length} items, more than the server's limit of ${max} per request (--max-documents); split the request`,
          { location: { field } },
        );
      }
      v.forEach((child, i) => typeof child === 'object' && child !== null && stack.push([child, `${at}[${i}]`]));
    } else {
      for (const [k, child] of Object.entries(v))
        if (typeof child === 'object' && child !== null) stack.push([child, at ? `${at}.${k}` : k]);
    }
  }
}

function tooLarge(size: number, max: number): ShortlistError {
  return new ShortlistError(
    'TOO_LARGE',
    `the request body has ${size}${size === max + 1 ? '+' : ''} bytes, more than the server's limit of ${max} (--max-body-bytes)`,
  );
}

/** Refuse more than `limits.documents` texts, or any text longer than `limits.characters` (TOO_LARGE naming the field). */
export function checkTexts(texts: readonly string[], field: string, limits: ServerLimits): void {
  if (texts.length > limits.documents) {
    throw new ShortlistError(
      'TOO_LARGE',
      `${field} holds ${texts.length} items, more than the server's limit of ${limits.documents} per request (--max-documents); split the request`,
      { location: { field } },
    );
  }
  texts.forEach((t, i) => checkLength(t, `${field}[${i}]`, limits));
}

/** Refuse a text longer than `limits.characters`. */
export function checkLength(text: string, field: string, limits: ServerLimits): void {
  if (text.length > limits.characters) {
    throw new ShortlistError(
      'TOO_LARGE',
      `${field} has ${text.length} characters, more than the server's limit of ${limits.characters} (--max-characters); shorten it`,
      { location: { field } },
    );
  }
}

/** Record a model call's timings on the request (TEI headers) and as stages `<kind>.queue` and `<kind>.inference`. */
export function setModelTiming(
  c: ServerContext,
  model: 'rerank' | 'embed',
  t: { queueMs: number; inferenceMs: number },
  metrics: ServerMetrics,
): void {
  c.set('modelTiming', { model, queueMs: t.queueMs, inferenceMs: t.inferenceMs });
  metrics.stages.observe({ stage: `${model}.queue` }, t.queueMs / 1000);
  metrics.stages.observe({ stage: `${model}.inference` }, t.inferenceMs / 1000);
}
