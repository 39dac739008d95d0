/** Model sources: hub repos (downloaded, verified, cached) and local folders. */
export { resolveModel, type ResolveOptions, type ResolvedModel, type DownloadProgress } from './resolve.ts';
export { parseModelSource, type ModelSource } from './source.ts';
export { cacheRoot, hubEndpoint, isOfflineEnv, repoCache, cachedCommit, type HubEnv, type RepoCache } from './cache.ts';
export { DEFAULT_ONNX_FILES, DTYPES, onnxCandidates } from './files.ts';
export { cachedDtypes, presetStatuses, type PresetStatus } from './status.ts';
