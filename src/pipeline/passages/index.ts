/** Passages: choosing a hit's best chunks, highlighting matched words, assembling a context for a prompt. */
export { densityPassages, termDensityScores, topPassages, toPassage } from './select.ts';
export { matchSpans, markSpans, snippet, type Span } from './highlight.ts';
export { assembleContext, countWordsIn, renderPassage, type AssembledContext, type ContextPassage } from './context.ts';
export { chunkId, documentList, parseChunkId } from './ids.ts';
