/**
 * Options of the listwise LLM reranker, their defaults in one place, and `resolveListwiseOptions`,
 * which merges them once and checks every value.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { ApiKeyRef } from '../../models/remote/secrets.ts';
import { getPromptTemplate, truncateWords, type PromptTemplate, type PromptTemplateId, type Truncator } from './prompts.ts';

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
  const o = { ...LISTWISE_DEFAULTS, truncate: truncateWords, pricing: { promptPerMillion: 0, completionPerMillion: 0 }, ...defined };
  if (typeof o.baseUrl !== 'string' || !/^https?:\/\//.test(o.baseUrl)) {
    throw new ShortlistError('INVALID_ARGUMENT', `llm-listwise: baseUrl must be an http(s) URL such as https://api.openai.com/v1, got ${JSON.stringify(o.baseUrl)}`);
  }
  if (typeof o.model !== 'string' || o.model.trim() === '') throw new ShortlistError('INVALID_ARGUMENT', 'llm-listwise: model must be a non-empty model name, e.g. gpt-4o-mini');
  int('windowSize', o.windowSize, 1);
  int('step', o.step, 1);
  if (o.step > o.windowSize) throw new ShortlistError('INVALID_ARGUMENT', `llm-listwise: step (${o.step}) must not exceed windowSize (${o.windowSize})`);
  int('maxPassageTokens', o.maxPassageTokens, 1);
  int('concurrency', o.concurrency, 1);
  int('timeoutMs', o.timeoutMs, 1);
  int('retries', o.retries, 0);
  int('backoffBaseMs', o.backoffBaseMs, 0);
  int('backoffMaxMs', o.backoffMaxMs, 0);
  int('maxRetryAfterMs', o.maxRetryAfterMs, 0);
  int('maxCompletionTokens', o.maxCompletionTokens, 0);
  int('cacheSize', o.cacheSize, 0);
  for (const k of ['promptPerMillion', 'completionPerMillion'] as const) {
    const v = o.pricing[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ShortlistError('INVALID_ARGUMENT', `llm-listwise: pricing.${k} must be a non-negative number of dollars, got ${v}`);
  }
  const template = typeof o.template === 'string' ? getPromptTemplate(o.template) : o.template;
  return Object.freeze({
    ...o,
    apiKey: input.apiKey,
    template,
    pricing: Object.freeze({ ...o.pricing }),
    url: `${o.baseUrl.replace(/\/+$/, '')}/chat/completions`,
  });
}

function int(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new ShortlistError('INVALID_ARGUMENT', `llm-listwise: ${name} must be an integer >= ${min}, got ${value}`);
}
