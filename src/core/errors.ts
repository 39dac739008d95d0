/**
 * One error type for the whole library. Every error has a stable `code`, a message that says how
 * to fix it, and optionally the `cause`. The table below maps each code to the CLI exit code and
 * the HTTP status, so the CLI and the server never decide this themselves.
 */

/** Every error code shortlist raises, with the exit code and HTTP status it maps to. */
export const ERROR_CODES = Object.freeze({
  /** A parameter, flag or option has an invalid value. */
  INVALID_ARGUMENT: { exit: 2, http: 400 },
  /** An input file is malformed: bad JSON, a missing field, a bad TSV line. */
  INVALID_INPUT: { exit: 3, http: 422 },
  /** Two documents share an id and no duplicate policy allows it. */
  DUPLICATE_ID: { exit: 3, http: 409 },
  /** A corpus or query set has nothing in it. */
  EMPTY_INPUT: { exit: 3, http: 422 },
  /** A file or directory that should exist does not. */
  NOT_FOUND: { exit: 4, http: 404 },
  /** An index was written by another analyzer, format version or configuration. */
  INDEX_MISMATCH: { exit: 5, http: 409 },
  /** An index on disk is damaged or incomplete. */
  INDEX_CORRUPT: { exit: 5, http: 500 },
  /** A model folder, preset or graph does not fit what was asked of it. */
  MODEL_ERROR: { exit: 6, http: 422 },
  /** A network resource could not be fetched (or offline mode forbids it). */
  NETWORK_ERROR: { exit: 7, http: 502 },
  /**
   * A hosted model provider refused a request that retrying cannot fix (a 4xx: bad key, unknown
   * model, too many inputs) or answered with a body that does not fit its documented shape.
   */
  PROVIDER_ERROR: { exit: 7, http: 502 },
  /** A server's queue is full; retry after the time it names (HTTP 429 with Retry-After). */
  OVERLOADED: { exit: 75, http: 429, retry: true },
  /**
   * Another writer is changing the same collection (it holds the writer lock, or committed first
   * while this write prepared); nothing was committed: retry later (HTTP 409 with Retry-After).
   */
  CONFLICT: { exit: 75, http: 409, retry: true },
  /** Something is to be created where one already exists (a collection at a location). */
  ALREADY_EXISTS: { exit: 73, http: 409 },
  /** A request has no valid credentials. */
  UNAUTHORIZED: { exit: 2, http: 401 },
  /** A request is refused by the server's security policy (foreign Host or Origin, a setting only the operator may make). */
  FORBIDDEN: { exit: 2, http: 403 },
  /** A request body is not JSON (HTTP 415). */
  UNSUPPORTED_MEDIA_TYPE: { exit: 2, http: 415 },
  /** A request or input is larger than a configured limit (body size, documents, characters). */
  TOO_LARGE: { exit: 2, http: 413 },
  /** The operation took longer than its configured limit. */
  TIMEOUT: { exit: 124, http: 504 },
  /** The operation was cancelled. */
  ABORTED: { exit: 130, http: 499 },
  /**
   * An optional package that a feature needs is not installed (see `OPTIONAL_PACKAGES`); the
   * message names the `npm install` command that adds it.
   */
  MISSING_DEPENDENCY: { exit: 8, http: 501 },
  /** A bug: something that should not happen. */
  INTERNAL: { exit: 70, http: 500 },
} as const);

/** A stable error code; see {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether the same call may succeed later unchanged (the server then sends Retry-After). */
export function isRetryable(code: ErrorCode): boolean {
  return 'retry' in ERROR_CODES[code];
}

/** Where in an input an error was found, so messages can say `file:line` and the field. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

/** The one error type shortlist throws. */
export class ShortlistError extends Error {
  override readonly name = 'ShortlistError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** File, line and field the error refers to, when it refers to an input. */
  readonly location?: ErrorLocation;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation } = {}) {
    super(withLocation(message, options.location), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
  }

  /** The process exit code the CLI uses for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** The HTTP status the server uses for this error. */
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

function withLocation(message: string, loc?: ErrorLocation): string {
  if (!loc || (!loc.file && loc.line === undefined)) return message;
  const where = [loc.file, loc.line].filter((x) => x !== undefined).join(':');
  return `${where}: ${message}`;
}

/** True when `err` is a ShortlistError (optionally with the given code). */
export function isShortlistError(err: unknown, code?: ErrorCode): err is ShortlistError {
  return err instanceof ShortlistError && (code === undefined || err.code === code);
}

/** One validation problem as a schema library reports it (zod's issues fit; core does not load zod). */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `path` as a JSON path from `root`: `['retrievers', 0, 'k']` → `$.retrievers[0].k`. */
export function jsonPath(path: readonly PropertyKey[], root = '$'): string {
  return root + path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('');
}

/** How {@link fromIssues} words its message. */
export interface IssueMessageOptions {
  /** What the path starts from in the message (`pipeline`, `fusion`; '' for a bare path). @default '$' */
  root?: string;
  /** The subject when the issue is about the whole value (empty path). @default the root, or '(root)' */
  whole?: string;
  /** Text before the path (`mining option `). */
  prefix?: string;
  /** Text after the issue's message, or a function of the issue (a hint on how to fix it). */
  hint?: string | ((issue: SchemaIssue) => string);
  /** The file the value came from (the message then starts with it). */
  file?: string;
  /** Say how many more problems there are. @default true */
  countMore?: boolean;
  /** The error's cause. @default the issues */
  cause?: unknown;
}

/**
 * The first of `issues` as a ShortlistError: `<prefix><root><path>: <message>[ (and n more
 * problems)]<hint>`, with the JSON path (`$.retrievers[0].k`) as its location's field and the
 * issues as its cause. Every place that turns a schema's verdict into an error goes through here.
 */
export function fromIssues(code: ErrorCode, issues: readonly SchemaIssue[], options: IssueMessageOptions = {}): ShortlistError {
  const issue = issues[0] ?? { path: [], message: 'invalid value' };
  const root = options.root ?? '$';
  const subject = issue.path.length === 0 ? (options.whole ?? (root || '(root)')) : jsonPath(issue.path, root).replace(/^\./, '');
  const n = issues.length - 1;
  const more = options.countMore !== false && n > 0 ? ` (and ${n} more problem${n > 1 ? 's' : ''})` : '';
  const hint = typeof options.hint === 'function' ? options.hint(issue) : (options.hint ?? '');
  return new ShortlistError(code, `${options.prefix ?? ''}${subject}: ${issue.message}${more}${hint}`, {
    cause: options.cause ?? issues,
    location: { ...(options.file !== undefined ? { file: options.file } : {}), field: jsonPath(issue.path) },
  });
}
