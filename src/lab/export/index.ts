/** Training files in sentence-transformers and FlagEmbedding layouts. */
export * from './formats.ts';
