/**
 * wink-bm25-text-search + wink-nlp-utils, set up as its README's wink-nlp-utils example
 * (README of wink-bm25-text-search 3.0.1, https://github.com/winkjs/wink-bm25-text-search/tree/3.0.1 —
 * the current README points there for wink-nlp-utils): the `body` field's prep tasks are lowerCase,
 * removeExtraSpaces, tokenize0, propagateNegations, removeWords (stop words), stem; the default
 * tasks (used for queries) are the same without removeWords. Library defaults for BM25
 * (k1 1.2, b 0.75, k 1). Title and text go into one `body` field.
 */
import { createRequire } from 'node:module';
import type { BenchDoc } from '../dataset.ts';
import { flatText, type BenchSystem } from './types.ts';

const require = createRequire(import.meta.url);

interface WinkEngine {
  defineConfig(config: { fldWeights: Record<string, number> }): void;
  definePrepTasks(tasks: ((x: never) => unknown)[], field?: string): number;
  addDoc(doc: Record<string, string>, id: string): void;
  consolidate(fp?: number): void;
  search(text: string, limit?: number): [string, number][];
}

/** A fresh wink-bm25-text-search engine. */
export function createWink(): BenchSystem {
  const bm25 = require('wink-bm25-text-search') as () => WinkEngine;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const nlp = require('wink-nlp-utils') as any;
  const engine = bm25();
  return {
    name: 'wink',
    async build(docs: readonly BenchDoc[]) {
      engine.defineConfig({ fldWeights: { body: 1 } });
      engine.definePrepTasks(
        [
          nlp.string.lowerCase,
          nlp.string.removeExtraSpaces,
          nlp.string.tokenize0,
          nlp.tokens.propagateNegations,
          nlp.tokens.removeWords,
          nlp.tokens.stem,
        ],
        'body',
      );
      engine.definePrepTasks([
        nlp.string.lowerCase,
        nlp.string.removeExtraSpaces,
        nlp.string.tokenize0,
        nlp.tokens.propagateNegations,
        nlp.tokens.stem,
      ]);
      for (const d of docs) engine.addDoc({ body: flatText(d) }, d.id);
      engine.consolidate();
    },
    search(text: string, k: number) {
      return engine.search(text, k).map(([id, score]) => ({ id: String(id), score }));
    },
  };
}
