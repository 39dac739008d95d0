/**
 * Prompt templates as data, and the passage text they list. Two templates ship:
 * - `rankgpt`: RankGPT's multi-turn permutation prompt (Sun et al., EMNLP 2023;
 *   github.com/sunnweiwei/RankGPT `rank_gpt.py` `get_prefix_prompt` / `get_post_prompt`, as kept in
 *   castorini/rank_llm `src/rank_llm/rerank/prompt_templates/rank_gpt_template.yaml`): one user turn
 *   per passage, each acknowledged by the assistant.
 * - `rankzephyr`: RankZephyr's single-turn prompt (Pradeep et al., 2023; castorini/rank_llm
 *   `src/rank_llm/rerank/prompt_templates/rank_zephyr_template.yaml`): every passage in one user turn.
 * Placeholders: `{num}` (passages in the window), `{query}`, `{rank}` (1-based label), `{candidate}`.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Candidate } from '../../core/types.ts';

/** One chat message in the OpenAI chat-completions shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A listwise prompt template. */
export interface PromptTemplate {
  /** System message. */
  readonly system: string;
  /** First user text: announces `{num}` passages and the `{query}`. */
  readonly prefix: string;
  /** When set, the assistant's reply to the prefix, and each passage becomes its own user turn. */
  readonly prefixAssistant?: string;
  /** How one passage is listed. */
  readonly body: string;
  /** When set (multi-turn), the assistant's acknowledgement of each passage turn. */
  readonly bodyAssistant?: string;
  /** Last user text: the instruction and the output format. */
  readonly suffix: string;
}

/** The templates that ship, by id. */
export const PROMPT_TEMPLATES = Object.freeze({
  rankgpt: Object.freeze({
    system: 'You are RankGPT, an intelligent assistant that can rank passages based on their relevancy to the query.',
    prefix:
      'I will provide you with {num} passages, each indicated by number identifier []. \nRank the passages based on their relevance to query: {query}.',
    prefixAssistant: 'Okay, please provide the passages.',
    body: '[{rank}] {candidate}',
    bodyAssistant: 'Received passage [{rank}].',
    suffix:
      'Search Query: {query}. \nRank the {num} passages above based on their relevance to the search query. The passages should be listed in descending order using identifiers. ' +
      'The most relevant passages should be listed first. The output format should be [] > [], e.g., [1] > [2]. Only response the ranking results, do not say any word or explain.',
  }),
  rankzephyr: Object.freeze({
    system: 'You are RankLLM, an intelligent assistant that can rank passages based on their relevancy to the query',
    prefix:
      'I will provide you with {num} passages, each indicated by a numerical identifier []. Rank the passages based on their relevance to the search query: {query}.\n',
    body: '[{rank}] {candidate}',
    suffix:
      'Search Query: {query}.\nRank the {num} passages above based on their relevance to the search query. All the passages should be included and listed using identifiers, ' +
      'in descending order of relevance. The output format should be [] > [], e.g., [2] > [1], Answer concisely and directly and only respond with the ranking results, do not say any word or explain.',
  }),
} as const satisfies Record<string, PromptTemplate>);

/** Id of a shipped template. */
export type PromptTemplateId = keyof typeof PROMPT_TEMPLATES;

/** The shipped template `id`, or INVALID_ARGUMENT listing the valid ids. */
export function getPromptTemplate(id: string): PromptTemplate {
  if (!Object.hasOwn(PROMPT_TEMPLATES, id)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown prompt template "${id}"; valid templates: ${Object.keys(PROMPT_TEMPLATES).join(', ')}`,
    );
  }
  return PROMPT_TEMPLATES[id as PromptTemplateId];
}

/** Cuts a passage to at most `maxTokens` tokens; plug in a tokenizer-based one for exact budgets. */
export type Truncator = (text: string, maxTokens: number) => string;

/** Keeps the first `maxTokens` whitespace-separated words (RankGPT's `content.split()[:max_length]`). */
export const truncateWords: Truncator = (text, maxTokens) => {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.slice(0, maxTokens).join(' ');
};

/**
 * The text listed for a candidate: `Title: … Content: …` when it has a title (as RankGPT lists
 * BEIR documents), whitespace collapsed, `[k]` in the text rewritten to `(k)` so the passage cannot
 * forge an identifier (as rank_llm does), cut to `maxTokens` by `truncate`.
 */
export function passageText(c: Candidate, maxTokens: number, truncate: Truncator = truncateWords): string {
  const raw = c.title ? `Title: ${c.title} Content: ${c.text}` : c.text;
  const clean = raw
    .replace(/\[(\d+)\]/g, '($1)')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(clean, maxTokens);
}

/** The chat messages that ask for the ranking of `passages` (already cut) for `query`. */
export function buildMessages(template: PromptTemplate, query: string, passages: readonly string[]): ChatMessage[] {
  const num = String(passages.length);
  const fill = (s: string, rank = '', candidate = ''): string =>
    s.replace(/\{(num|query|rank|candidate)\}/g, (_, key: string) =>
      key === 'num' ? num : key === 'query' ? query : key === 'rank' ? rank : candidate,
    );
  const messages: ChatMessage[] = [{ role: 'system', content: template.system }];
  const suffix = fill(template.suffix);
  if (template.prefixAssistant !== undefined || template.bodyAssistant !== undefined) {
    messages.push({ role: 'user', content: fill(template.prefix) });
    if (template.prefixAssistant !== undefined) messages.push({ role: 'assistant', content: fill(template.prefixAssistant) });
    passages.forEach((p, i) => {
      messages.push({ role: 'user', content: fill(template.body, String(i + 1), p) });
      if (template.bodyAssistant !== undefined) messages.push({ role: 'assistant', content: fill(template.bodyAssistant, String(i + 1)) });
    });
    messages.push({ role: 'user', content: suffix });
    return messages;
  }
  const lines = passages.map((p, i) => fill(template.body, String(i + 1), p));
  messages.push({ role: 'user', content: `${fill(template.prefix)}${lines.join('\n')}\n${suffix}` });
  return messages;
}
