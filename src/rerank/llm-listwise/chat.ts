/**
 * One OpenAI-compatible chat completion: `POST {baseUrl}/chat/completions` with
 * `{model, messages, temperature: 0}` over the shared HTTP client (retries, backoff with jitter,
 * Retry-After, timeouts), and a check of the answer's shape.
 */
import { RemoteHttpError, postJson, createHttpStats, type HttpStats } from '../../models/remote/http.ts';
import type { ChatMessage } from './prompts.ts';

/** The parts of a chat answer the reranker uses. */
export interface ChatAnswer {
  /** `choices[0].message.content`. */
  content: string;
  /** `usage.prompt_tokens` (0 when the server reports no usage). */
  promptTokens: number;
  /** `usage.completion_tokens` (0 when the server reports no usage). */
  completionTokens: number;
}

/** How to reach the endpoint and how hard to try. */
export interface ChatRequestOptions {
  url: string;
  model: string;
  /** The key itself, read from the environment just before the call; never stored. */
  apiKey?: string;
  maxCompletionTokens: number;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
  signal?: AbortSignal;
}

/** Sends one chat request; returns the answer and the HTTP counters (attempts, retries, latency). */
export async function chatComplete(
  messages: readonly ChatMessage[],
  o: ChatRequestOptions,
): Promise<{ answer: ChatAnswer; http: HttpStats }> {
  const http = createHttpStats();
  const body: Record<string, unknown> = { model: o.model, messages, temperature: 0 };
  if (o.maxCompletionTokens > 0) body.max_tokens = o.maxCompletionTokens;
  const res = await postJson<unknown>(o.url, body, {
    provider: 'llm-listwise',
    headers: o.apiKey === undefined ? {} : { authorization: `Bearer ${o.apiKey}` },
    timeoutMs: o.timeoutMs,
    retries: o.retries,
    backoffBaseMs: o.backoffBaseMs,
    backoffMaxMs: o.backoffMaxMs,
    maxRetryAfterMs: o.maxRetryAfterMs,
    signal: o.signal,
    stats: http,
    redact: o.apiKey === undefined ? [] : [o.apiKey],
    tokens: (b) => num((b as { usage?: { total_tokens?: unknown } })?.usage?.total_tokens),
  });
  return { answer: readAnswer(res.body, o.url), http };
}

/** Checks the response shape of a chat completion and reads content and usage. */
export function readAnswer(body: unknown, url: string): ChatAnswer {
  const b = body as { choices?: { message?: { content?: unknown } }[]; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
  const content = Array.isArray(b?.choices) ? b.choices[0]?.message?.content : undefined;
  if (typeof content !== 'string') {
    throw new RemoteHttpError(
      'PROVIDER_ERROR',
      `llm-listwise: POST ${url} answered without choices[0].message.content (got ${JSON.stringify(body).slice(0, 160)}); check that baseUrl points at an OpenAI-compatible /v1 API`,
      { provider: 'llm-listwise' },
    );
  }
  return { content, promptTokens: num(b.usage?.prompt_tokens) ?? 0, completionTokens: num(b.usage?.completion_tokens) ?? 0 };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
