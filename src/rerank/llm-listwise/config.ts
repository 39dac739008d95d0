/**
 * Options of the listwise LLM reranker, their defaults in one place, one zod schema that checks
 * every value (a pipeline's llm-listwise stage is built from its JSON fields), and
 * `resolveListwiseOptions`, which checks and merges them once.
 */
import type { z } from 'zod';
import { lazySchema, zod } from '../../core/zod.ts';
import { fromIssues } from '../../core/errors.ts';
import { apiKeyRefSchema, type ApiKeyRef } from '../../models/remote/secrets.ts';
import {
  getPromptTemplate,
  PROMPT_TEMPLATES,
  truncateWords,
  type PromptTemplate,
  type PromptTemplateId,
  type Truncator,
} from './prompts.ts';

const count = (min: number) => zod().number().int().min(min);

/** The options a pipeline JSON may give an llm-listwise stage, each checked (see {@link ListwiseRerankerOptions} for what they do). */
export const LISTWISE_JSON_FIELDS = lazySchema((z) => ({
  /** Base URL of the chat API; the stage POSTs to `{baseUrl}/chat/completions`. */
  baseUrl: z.string().regex(/^https?:\/\//, 'must be an http(s) URL such as https://api.openai.com/v1'),
  /** Model name sent with every request. */
  model: z.string().refine((s) => s.trim() !== '', 'must be a non-empty model name, e.g. gpt-4o-mini'),
  /** API key by environment-variable reference only. @default none */
  apiKey: apiKeyRefSchema.optional(),
  /** Shipped prompt template id. @default 'rankgpt' */
  template: z.enum(Object.keys(PROMPT_TEMPLATES) as [PromptTemplateId, ...PromptTemplateId[]]).optional(),
  /** Candidates per LLM call. @default 20 */
  windowSize: count(1).optional(),
  /** How far each window moves up; at most `windowSize`. @default 10 */
  step: count(1).optional(),
  /** Words of each passage put in the prompt. @default 300 */
  maxPassageTokens: count(1).optional(),
  /** Requests in flight at once. @default 4 */
  concurrency: count(1).optional(),
  /** Per-attempt timeout in milliseconds. @default 60000 */
  timeoutMs: count(1).optional(),
  /** Extra attempts after a retryable failure. @default 3 */
  retries: count(0).optional(),
  /** `max_tokens` per request; 0 sends none. @default 0 */
  maxCompletionTokens: count(0).optional(),
  /** Token prices in dollars per million, for the cost in the stats. @default 0 and 0 */
  pricing: z.strictObject({ promptPerMillion: z.number().min(0), completionPerMillion: z.number().min(0) }).optional(),
  /** Answers remembered by (model, prompt hash); 0 disables. @default 4096 */
  cacheSize: count(0).optional(),
}));

/** The check across fields: a window moves up by at most its own size (else candidates are skipped). */
export function checkStepWithinWindow(o: { windowSize?: number; step?: number }, ctx: z.RefinementCtx): void {
  const windowSize = o.windowSize ?? LISTWISE_DEFAULTS.windowSize;
  const step = o.step ?? LISTWISE_DEFAULTS.step;
  if (step > windowSize)
    ctx.addIssue({ code: 'custom', path: ['step'], message: `must not exceed windowSize (${windowSize}), got ${step}` });
}

/** Every option of {@link ListwiseRerankerOptions} as a schema (the library also takes a template object and a truncator). */
const ListwiseOptionsSchema = lazySchema((z) =>
  z
    .looseObject({
      ...LISTWISE_JSON_FIELDS,
      template: z
        .union([LISTWISE_JSON_FIELDS.template.unwrap(), z.custom<PromptTemplate>((v) => typeof v === 'object' && v !== null)], {
          error: `must be a shipped template id (${Object.keys(PROMPT_TEMPLATES).join(', ')}) or a PromptTemplate object`,
        })
        .optional(),
      truncate: z.custom<Truncator>((v) => typeof v === 'function', 'must be a function').optional(),
      backoffBaseMs: count(0).optional(),
      backoffMaxMs: count(0).optional(),
      maxRetryAfterMs: count(0).optional(),
      name: z.string().min(1).optional(),
    })
    .superRefine(checkStepWithinWindow),
);

/** Price of a model in US dollars per million tokens. */
export interface TokenPricing {
  /** $ per 1M prompt (input) tokens. */
  promptPerMillion: number;
  /** $ per 1M completion (output) tokens. */
  completionPerMillion: number;
}

/** Options of {@link ListwiseReranker}. */
export interface ListwiseRerankerOptions {
  /**
   * Base URL of an OpenAI-compatible API; the stage POSTs to `{baseUrl}/chat/completions`.
   * E.g. `https://api.openai.com/v1`, vLLM `http://host:8000/v1`, Ollama `http://localhost:11434/v1`,
   * llama.cpp server `http://localhost:8080/v1`.
   */
  baseUrl: string;
  /** Model name sent in every request, e.g. `gpt-4o-mini`. Part of the cache key. */
  model: string;
  /** API key by environment-variable reference (`{ env: 'OPENAI_API_KEY' }`), sent as a bearer token. @default none (no auth) */
  apiKey?: ApiKeyRef;
  /** Prompt template: a shipped id or your own {@link PromptTemplate}. @default 'rankgpt' */
  template?: PromptTemplateId | PromptTemplate;
  /** Candidates per LLM call. Larger windows see more at once but cost longer prompts. @default 20 */
  windowSize?: number;
  /**
   * How far each window moves up. `windowSize - step` candidates are carried into the next window,
   * which bounds how many can climb from the bottom to the top in one pass. @default 10
   */
  step?: number;
  /** Most tokens of each passage put in the prompt (RankGPT's 300 words). @default 300 */
  maxPassageTokens?: number;
  /** How a passage is cut to `maxPassageTokens`; pass a tokenizer-based one for exact budgets. @default word count */
  truncate?: Truncator;
  /** Requests in flight at once across all queries of this stage. Raise it for rate limits that allow it. @default 4 */
  concurrency?: number;
  /** Per-attempt request timeout in milliseconds. @default 60000 */
  timeoutMs?: number;
  /** Extra attempts after a 429, 5xx, network error or timeout. @default 3 */
  retries?: number;
  /** First backoff step in milliseconds (full jitter, doubling). @default 500 */
  backoffBaseMs?: number;
  /** Largest backoff step in milliseconds. @default 20000 */
  backoffMaxMs?: number;
  /** Longest `Retry-After` honoured, in milliseconds. @default 60000 */
  maxRetryAfterMs?: number;
  /** `max_tokens` sent with each request; 0 sends none. A permutation of 20 needs about 100. @default 0 */
  maxCompletionTokens?: number;
  /** Token prices used for the cost in the stats. @default { promptPerMillion: 0, completionPerMillion: 0 } */
  pricing?: TokenPricing;
  /** Answers remembered by (model, prompt hash); 0 disables the cache. @default 4096 */
  cacheSize?: number;
  /** Stage name in traces and timings. @default 'llm-listwise' */
  name?: string;
}

/** Defaults of every optional scalar option. */
export const LISTWISE_DEFAULTS = Object.freeze({
  template: 'rankgpt',
  windowSize: 20,
  step: 10,
  maxPassageTokens: 300,
  concurrency: 4,
  timeoutMs: 60_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 20_000,
  maxRetryAfterMs: 60_000,
  maxCompletionTokens: 0,
  cacheSize: 4096,
  name: 'llm-listwise',
} as const);

/** Options after defaults are applied and values checked. */
export interface ResolvedListwiseOptions extends Readonly<Required<Omit<ListwiseRerankerOptions, 'apiKey' | 'template'>>> {
  readonly apiKey: ApiKeyRef | undefined;
  readonly template: PromptTemplate;
  /** `{baseUrl}/chat/completions`. */
  readonly url: string;
}

/** Merges `input` over {@link LISTWISE_DEFAULTS}, checks every value, returns a new frozen object. */
export function resolveListwiseOptions(input: ListwiseRerankerOptions): ResolvedListwiseOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ListwiseRerankerOptions;
  const checked = ListwiseOptionsSchema.safeParse(defined);
  if (!checked.success)
    throw fromIssues('INVALID_ARGUMENT', checked.error.issues, {
      prefix: 'llm-listwise: ',
      root: '',
      countMore: false,
      cause: checked.error,
    });
  const o = { ...LISTWISE_DEFAULTS, truncate: truncateWords, pricing: { promptPerMillion: 0, completionPerMillion: 0 }, ...defined };
  const template = typeof o.template === 'string' ? getPromptTemplate(o.template) : o.template;
  return Object.freeze({
    ...o,
    apiKey: input.apiKey,
    template,
    pricing: Object.freeze({ ...o.pricing }),
    url: `${o.baseUrl.replace(/\/+$/, '')}/chat/completions`,
  });
}
