/** Listwise LLM reranking (RankGPT sliding window) over any OpenAI-compatible chat endpoint. */
export { ListwiseReranker, cacheKey, emptyListwiseStats, type ListwiseRerankOptions, type ListwiseStats } from './reranker.ts';
export {
  LISTWISE_DEFAULTS,
  resolveListwiseOptions,
  type ListwiseRerankerOptions,
  type ResolvedListwiseOptions,
  type TokenPricing,
} from './config.ts';
export {
  PROMPT_TEMPLATES,
  buildMessages,
  getPromptTemplate,
  passageText,
  truncateWords,
  type ChatMessage,
  type PromptTemplate,
  type PromptTemplateId,
  type Truncator,
} from './prompts.ts';
export { isCleanPermutation, parsePermutation, type ParsedPermutation } from './parse.ts';
export { applyPermutation, slidingWindows, type WindowRange } from './window.ts';
export { chatComplete, readAnswer, type ChatAnswer, type ChatRequestOptions } from './chat.ts';
