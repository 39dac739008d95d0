/**
 * The listwise LLM second stage (RankGPT, Sun et al., EMNLP 2023).
 *
 * Pipeline of one `rerank` call:
 * 1. Cut every candidate's passage to the token budget (`prompts.ts`).
 * 2. Walk the sliding windows from the bottom of the list up (`window.ts`); windows of one query
 *    run one after another, since each sees the previous one's result.
 * 3. For each window build the chat messages from the template; look the answer up in the cache
 *    by (model, prompt hash); on a miss ask the endpoint (`chat.ts`), through a limiter shared by
 *    every query of this stage, so at most `concurrency` requests are in flight.
 * 4. Parse and repair the permutation (`parse.ts`) and apply it to the window.
 * 5. Score by final position (n for the first, 1 for the last), cut to k, report the query's
 *    windows, calls, cache hits, retries, repairs, tokens, cost and latency.
 */
import { createHash } from 'node:crypto';
import { ShortlistError } from '../../core/errors.ts';
import { compareHits, type Candidate, type Hit, type Reranker, type SearchOptions } from '../../core/types.ts';
import { LruCache } from '../../core/lru-cache.ts';
import { createLimiter, type Limiter } from '../../models/remote/http.ts';
import { resolveApiKey } from '../../models/remote/secrets.ts';
import { chatComplete, type ChatAnswer } from './chat.ts';
import { resolveListwiseOptions, type ListwiseRerankerOptions, type ResolvedListwiseOptions } from './config.ts';
import { isCleanPermutation, parsePermutation } from './parse.ts';
import { buildMessages, passageText, type ChatMessage } from './prompts.ts';
import { applyPermutation, slidingWindows } from './window.ts';

/** What one query (or, in {@link ListwiseReranker.totals}, every query so far) cost. */
export interface ListwiseStats {
  /** Windows ranked. */
  windows: number;
  /** Requests answered by the endpoint (cache misses). */
  calls: number;
  /** Windows answered from the cache (no tokens, no cost). */
  cacheHits: number;
  /** Extra attempts after 429, 5xx, timeouts. */
  retries: number;
  /** Answers that were not a clean permutation and were repaired. */
  repairedWindows: number;
  /** `usage.prompt_tokens`, summed. */
  promptTokens: number;
  /** `usage.completion_tokens`, summed. */
  completionTokens: number;
  /** Dollars, from the configured pricing. */
  costUsd: number;
  /** Wall-clock milliseconds of the requests, retries and their waits included (not the wait for a concurrency slot). */
  latencyMs: number;
}

/** Per-call options of {@link ListwiseReranker.rerank}. */
export interface ListwiseRerankOptions extends SearchOptions {
  /** Receives the query's stats when the call finishes. */
  onStats?: (stats: ListwiseStats) => void;
}

/** Zeroed stats. */
export function emptyListwiseStats(): ListwiseStats {
  return {
    windows: 0,
    calls: 0,
    cacheHits: 0,
    retries: 0,
    repairedWindows: 0,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    latencyMs: 0,
  };
}

/** A listwise reranker over any OpenAI-compatible chat endpoint. Holds no sockets: nothing to dispose. */
export class ListwiseReranker implements Reranker {
  /** Stage name in traces. */
  readonly name: string;
  /** The resolved options (no secrets: the API key is only a reference). */
  readonly options: ResolvedListwiseOptions;
  /** Answers by (model, prompt hash). */
  readonly cache: LruCache<ChatAnswer>;
  /** Stats summed over every query so far. */
  readonly totals: ListwiseStats = emptyListwiseStats();
  readonly #limit: Limiter;

  /** Checks the options (INVALID_ARGUMENT) and builds the stage. */
  constructor(options: ListwiseRerankerOptions) {
    this.options = resolveListwiseOptions(options);
    this.name = this.options.name;
    this.cache = new LruCache(this.options.cacheSize);
    this.#limit = createLimiter(this.options.concurrency);
  }

  /** Reorders all candidates with the sliding window and returns the top `k`, scored by final position. */
  async rerank(query: string, candidates: Candidate[], k: number, options: ListwiseRerankOptions = {}): Promise<Hit[]> {
    const { hits, stats } = await this.rerankWithStats(query, candidates, k, options);
    options.onStats?.(stats);
    return hits;
  }

  /** Like {@link rerank}, also returning what the query cost. */
  async rerankWithStats(
    query: string,
    candidates: Candidate[],
    k: number,
    options: SearchOptions = {},
  ): Promise<{ hits: Hit[]; stats: ListwiseStats }> {
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    checkAbort(options.signal);
    const o = this.options;
    const stats = emptyListwiseStats();
    const items = candidates.map((c) => ({ id: c.id, passage: passageText(c, o.maxPassageTokens, o.truncate) }));
    for (const range of slidingWindows(items.length, o.windowSize, o.step)) {
      const window = items.slice(range.start, range.end);
      const messages = buildMessages(
        o.template,
        query,
        window.map((w) => w.passage),
      );
      const answer = await this.#ask(messages, stats, options.signal);
      const parsed = parsePermutation(answer.content, window.length);
      if (!isCleanPermutation(parsed)) stats.repairedWindows++;
      applyPermutation(items, range, parsed.order);
      stats.windows++;
    }
    addStats(this.totals, stats);
    const n = items.length;
    const hits = items
      .map((it, i) => ({ id: it.id, score: n - i }))
      .sort(compareHits)
      .slice(0, k);
    return { hits, stats };
  }

  /** The answer for `messages`: from the cache, or from the endpoint through the shared limiter. */
  async #ask(messages: ChatMessage[], stats: ListwiseStats, signal?: AbortSignal): Promise<ChatAnswer> {
    const key = cacheKey(this.options.model, messages);
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      stats.cacheHits++;
      return cached;
    }
    const o = this.options;
    const apiKey = resolveApiKey(o.apiKey, 'llm-listwise');
    const { answer, http } = await this.#limit(() => {
      checkAbort(signal);
      return chatComplete(messages, {
        url: o.url,
        model: o.model,
        apiKey,
        maxCompletionTokens: o.maxCompletionTokens,
        timeoutMs: o.timeoutMs,
        retries: o.retries,
        backoffBaseMs: o.backoffBaseMs,
        backoffMaxMs: o.backoffMaxMs,
        maxRetryAfterMs: o.maxRetryAfterMs,
        signal,
      });
    });
    stats.calls++;
    stats.retries += http.retries;
    stats.latencyMs += http.latencyMs;
    stats.promptTokens += answer.promptTokens;
    stats.completionTokens += answer.completionTokens;
    stats.costUsd += (answer.promptTokens * o.pricing.promptPerMillion + answer.completionTokens * o.pricing.completionPerMillion) / 1e6;
    this.cache.set(key, answer);
    return answer;
  }
}

/** The cache key of a prompt: sha256 over the model name and the messages. */
export function cacheKey(model: string, messages: readonly ChatMessage[]): string {
  return createHash('sha256')
    .update(JSON.stringify([model, messages]))
    .digest('hex');
}

function addStats(into: ListwiseStats, s: ListwiseStats): void {
  for (const key of Object.keys(into) as (keyof ListwiseStats)[]) into[key] += s[key];
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ShortlistError('ABORTED', 'llm-listwise rerank was aborted', { cause: signal.reason });
}
