/**
 * Errors as each API dialect shapes them. Every route speaks one dialect; a ShortlistError's code
 * picks the status through `ERROR_CODES[code].http`, and the body takes the dialect's shape:
 * - cohere (/v1/rerank, /v2/rerank, /v1/embed, /v2/embed): `{ message }`
 * - openai (/v1/embeddings, /embeddings): `{ error: { message, type, param, code } }`
 * - tei (/rerank, /embed): `{ error, error_type }`
 * - shortlist (search, collections, the rest): `{ error: { code, message } }`
 */
import { z } from 'zod';
import { ERROR_CODES, ShortlistError, isShortlistError, type ErrorCode } from '../core/errors.ts';

/** The error and request shapes a route follows. */
export type Dialect = 'cohere' | 'openai' | 'tei' | 'shortlist';

/** Routes whose dialect is not `shortlist`, by path. */
const DIALECT_BY_PATH: Readonly<Record<string, Dialect>> = Object.freeze({
  '/v1/rerank': 'cohere',
  '/v2/rerank': 'cohere',
  '/v1/embed': 'cohere',
  '/v2/embed': 'cohere',
  '/rerank': 'tei',
  '/embed': 'tei',
  '/v1/embeddings': 'openai',
  '/embeddings': 'openai',
});

/** The dialect of the route at `path`. */
export function dialectOf(path: string): Dialect {
  return DIALECT_BY_PATH[path.replace(/\/+$/, '') || '/'] ?? 'shortlist';
}

/** Seconds a client should wait after a 429. */
export const RETRY_AFTER_SECONDS = 1;

/** Any thrown value as a ShortlistError: zod issues become INVALID_INPUT naming the field; unknown errors INTERNAL. */
export function asShortlistError(err: unknown): ShortlistError {
  if (isShortlistError(err)) return err;
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const field = issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : undefined;
    const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem${err.issues.length > 2 ? 's' : ''})` : '';
    return new ShortlistError('INVALID_INPUT', `${field ? `${field}: ` : 'body: '}${issue.message}${more}`, { cause: err, ...(field ? { location: { field } } : {}) });
  }
  if ((err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'TimeoutError') {
    return new ShortlistError('ABORTED', 'the request was cancelled', { cause: err });
  }
  return new ShortlistError('INTERNAL', 'internal server error (see the server log)', { cause: err });
}

/** The status and JSON body of `err` in `dialect`. */
export function errorBody(err: ShortlistError, dialect: Dialect): { status: number; body: unknown } {
  const status = ERROR_CODES[err.code].http;
  const message = err.message;
  switch (dialect) {
    case 'cohere':
      return { status, body: { message } };
    case 'openai':
      return { status, body: { error: { message, type: openAiType(err.code, status), param: err.location?.field ?? null, code: err.code.toLowerCase() } } };
    case 'tei':
      return { status, body: { error: message, error_type: teiType(err.code, status) } };
    default:
      return { status, body: { error: { code: err.code, message } } };
  }
}

function openAiType(code: ErrorCode, status: number): string {
  if (code === 'UNAUTHORIZED') return 'authentication_error';
  if (code === 'OVERLOADED') return 'rate_limit_error';
  if (code === 'NOT_FOUND') return 'not_found_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** TEI's `error_type` values (text-embeddings-inference `ErrorType`), plus Unauthorized. */
function teiType(code: ErrorCode, status: number): string {
  if (code === 'OVERLOADED') return 'Overloaded';
  if (code === 'UNAUTHORIZED') return 'Unauthorized';
  if (code === 'EMPTY_INPUT') return 'Empty';
  if (code === 'NOT_FOUND') return 'NotFound';
  if (code === 'TIMEOUT') return 'Timeout';
  return status >= 500 ? 'Backend' : 'Validation';
}
