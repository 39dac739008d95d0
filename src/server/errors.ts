/**
 * Errors as each API dialect shapes them. Every route speaks one dialect; a ShortlistError's code
 * picks the status through `ERROR_CODES[code].http`, and the body takes the dialect's shape:
 * - cohere (/v1/rerank, /v2/rerank, /v1/embed, /v2/embed): `{ message }`
 * - openai (/v1/embeddings, /embeddings): `{ error: { message, type, param, code } }`
 * - tei (/rerank, /embed): `{ error, error_type }`
 * - shortlist (search, collections, the rest): `{ error: { code, message } }`
 * Every body also carries `request_id`, the id the server log has the full detail under (the
 * `x-request-id` header too). Messages say what the caller needs and nothing about the host: an
 * internal error says only that it happened, and any server path is replaced by `<server path>`.
 */
import { homedir, tmpdir } from 'node:os';
import { zod } from '../core/zod.ts';
import { ERROR_CODES, fromIssues, ShortlistError, isShortlistError, type ErrorCode } from '../core/errors.ts';

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
  if (err instanceof zod().ZodError) {
    return fromIssues('INVALID_INPUT', err.issues, { root: '', whole: 'body', cause: err });
  }
  if ((err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'TimeoutError') {
    return new ShortlistError('ABORTED', 'the request was cancelled', { cause: err });
  }
  return new ShortlistError('INTERNAL', 'internal server error', { cause: err });
}

/** The status and JSON body of `err` in `dialect`; `requestId` rides along (and names the log line of an internal error). */
export function errorBody(
  err: ShortlistError,
  dialect: Dialect,
  requestId?: string,
  scrub: (text: string) => string = scrubPaths,
): { status: number; body: unknown } {
  const status = ERROR_CODES[err.code].http;
  const message =
    err.code === 'INTERNAL'
      ? `internal server error; the server log has the details${requestId ? ` under request id ${requestId}` : ''}`
      : scrub(err.message);
  const id = requestId ? { request_id: requestId } : {};
  switch (dialect) {
    case 'cohere':
      return { status, body: { message, ...id } };
    case 'openai':
      return {
        status,
        body: {
          error: {
            message,
            type: openAiType(err.code, status),
            param: err.location?.field?.replace(/^\$\.?/, '') || null,
            code: err.code.toLowerCase(),
          },
          ...id,
        },
      };
    case 'tei':
      return { status, body: { error: message, error_type: teiType(err.code, status), ...id } };
    default:
      return { status, body: { error: { code: err.code, message }, ...id } };
  }
}

const SYSTEM_PATH =
  /(?:\b[A-Za-z]:\\|(?<![\w.~-])\/(?:etc|proc|sys|dev|home|root|tmp|var|usr|opt|srv|mnt|media|run|Users|private|nix|snap|lib|bin|boot|workspace|data|app)(?=[/\s"'`,;)]|$))[^\s"'`,;:)]*/g;
const DATABASE_URL = /\b(?:postgres(?:ql)?|s3|file):\/\/[^\s"'`,;)]*/g;

/**
 * `text` with every server path replaced by `<server path>`: the given roots (the collections
 * folder, the model cache…), this process's working, home and temp folders, any absolute path
 * under a system folder, and database or bucket URLs. Route paths such as /v1/search stay.
 */
export function scrubPaths(text: string, roots: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = [...roots, process.cwd(), homedir(), tmpdir()]
    .filter((r): r is string => typeof r === 'string' && r.length > 1)
    .sort((a, b) => b.length - a.length);
  for (const root of known) out = out.split(root).join('<server path>');
  return out
    .replace(DATABASE_URL, '<server path>')
    .replace(SYSTEM_PATH, '<server path>')
    .replace(/<server path>[^\s"'`,;:)]*/g, '<server path>');
}

function openAiType(code: ErrorCode, status: number): string {
  if (code === 'UNAUTHORIZED') return 'authentication_error';
  if (code === 'OVERLOADED') return 'rate_limit_error';
  if (code === 'NOT_FOUND') return 'not_found_error';
  if (code === 'FORBIDDEN') return 'permission_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** TEI's `error_type` values (text-embeddings-inference `ErrorType`), plus Unauthorized. */
function teiType(code: ErrorCode, status: number): string {
  if (code === 'OVERLOADED') return 'Overloaded';
  if (code === 'UNAUTHORIZED') return 'Unauthorized';
  if (code === 'FORBIDDEN') return 'Forbidden';
  if (code === 'EMPTY_INPUT') return 'Empty';
  if (code === 'NOT_FOUND') return 'NotFound';
  if (code === 'TIMEOUT') return 'Timeout';
  return status >= 500 ? 'Backend' : 'Validation';
}
