/**
 * The `remote` rerank stage's reranker (src/pipeline/rerank-stages.ts imports it on first use, so
 * resolving a pipeline loads no provider adapter).
 */
import type { Candidate, Hit, Reranker } from '../core/types.ts';
import { createHttpStats } from '../models/remote/stats.ts';
import { createRemoteReranker, type RemoteReranker } from '../models/remote/index.ts';
import type { RemoteRerankStageConfig } from './config.ts';
import { hostedCallStats, type StageSearchOptions } from './pipeline.ts';
import { defined } from './rerank-stages.ts';

/** A hosted reranker that reports each call's requests, tokens and latency through `onStats`. */
export class RemoteStage implements Reranker {
  readonly name: string;
  readonly #inner: RemoteReranker;

  constructor(cfg: RemoteRerankStageConfig) {
    const { type: _type, keep: _keep, name, ...options } = cfg;
    this.name = name;
    this.#inner = createRemoteReranker(defined(options));
  }

  async rerank(query: string, candidates: Candidate[], k: number, options: StageSearchOptions = {}): Promise<Hit[]> {
    const http = createHttpStats();
    try {
      return await this.#inner.rerank(query, candidates, k, { signal: options.signal, stats: http });
    } finally {
      options.onStats?.(hostedCallStats(http));
    }
  }

  async dispose(): Promise<void> {}
}
