/**
 * Fusion of first-stage lists: Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009),
 * convex combination with min-max / z-score / DBSF normalisers (Bruch, Gai & Ingber, ACM TOIS
 * 2023; DBSF as in Qdrant), the pipeline's fusion config, and grid-search tuning on a dev split.
 */
export { rrf, type RrfOptions } from './rrf.ts';
export { convex, MISSING_POLICIES, type ConvexOptions, type MissingPolicy } from './convex.ts';
export { minMax, zScore, dbsf, identity, NORMALIZERS, getNormalizer, type Normalizer, type NormalizerName } from './normalize.ts';
export {
  resolveFusion,
  FusionSchema,
  DEFAULTS as FUSION_DEFAULTS,
  CONVEX_DEFAULTS,
  FUSION_METHODS,
  type FusionOptions,
  type RrfFusionOptions,
  type ConvexFusionOptions,
  type ResolvedFusion,
} from './config.ts';
export { fuse, weightsByName, type NamedList } from './fuse.ts';
export { tuneFusion, weightGrid, type TuneGrid, type TuneOptions, type TuneResult, type TuneRow } from './tune.ts';
export { checkLists, fusedTrace, type FusedHit, type RankedList, type Scored, type SourceEntry } from './types.ts';
