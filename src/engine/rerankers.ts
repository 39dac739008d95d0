/**
 * Loading a collection's rerank stages through the rerank stage registry, behind their score
 * caches. Light on purpose: the registry imports each reranker on first use, so a collection
 * (and `import 'shortlist'`) loads no model code until a stage is created. Dense models and the
 * fingerprint's model references are in `./models.ts`, which a collection imports when its
 * pipeline has a dense retriever or a storing ColBERT stage.
 */
import type { Reranker } from '../core/types.ts';
import { CachedReranker, type CacheStats } from '../pipeline/cache.ts';
import type { RerankConfig } from '../pipeline/config.ts';
import { rerankCacheKey, rerankStage } from '../pipeline/rerank-stages.ts';

export { isRemoteStage, loadColbert, RERANK_STAGES, type RerankStageEntry, rerankStage } from '../pipeline/rerank-stages.ts';

/** A loaded rerank stage: its cache's hit rate and a way to release what it holds. */
export type LoadedReranker = Reranker & { readonly cache: { readonly stats: CacheStats }; dispose(): Promise<void> };

/**
 * A rerank stage of the pipeline, loaded through its rerank stage registry entry: a stage that
 * scores candidates one by one behind a (query, candidate, model) score cache (`loaded`: an already
 * loaded reranker for the stage, which the caller keeps and disposes); a listwise LLM stage with its
 * own (model, prompt hash) answer cache (its scores depend on the whole list).
 */
export async function loadReranker(cfg: RerankConfig, capacity?: number, loaded?: Reranker): Promise<LoadedReranker> {
  const entry = rerankStage(cfg.type);
  const stage = cfg as RerankConfig & Record<string, unknown>;
  if (entry.cachesScores === false) return (await entry.create(stage)) as LoadedReranker;
  const inner: Reranker & { dispose(): Promise<void> } = loaded
    ? { name: loaded.name, rerank: (q, c, k, o) => loaded.rerank(q, c, k, o), dispose: async () => {} }
    : await entry.create(stage);
  const cached = new CachedReranker(inner, rerankCacheKey(entry, stage), capacity, cfg.name) as CachedReranker & {
    dispose(): Promise<void>;
  };
  cached.dispose = () => inner.dispose();
  return cached;
}

/** Resolves (downloading on first use) a rerank stage's model files without loading them; remote stages need nothing. */
export function fetchReranker(cfg: RerankConfig): Promise<void> {
  return rerankStage(cfg.type).fetch?.(cfg as RerankConfig & Record<string, unknown>) ?? Promise.resolve();
}
