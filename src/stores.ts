/**
 * `shortlist/stores`: the collection stores and their backends — the embedded LanceDB store (a
 * directory or `s3://bucket/prefix`) and the Postgres store (pgvector, one schema per collection),
 * their defaults, the location predicates, and reading documents from files. A `Collection` (from
 * `shortlist`) opens its store on its own when first used; import this entry to drive a store
 * directly. LanceDB, pg and the AWS SDK still load only when a store is first opened.
 *
 * @module shortlist/stores
 */
export { LanceCollectionStore, lancedbBackend, LANCE_DEFAULTS } from './store/lancedb/store.ts';
export type { LanceOpenOptions } from './store/lancedb/store.ts';
export { SAMPLE_MISS_FACTOR, type AnnSearchSetting } from './store/lancedb/calibrate.ts';
export { PostgresCollectionStore, postgresBackend, POSTGRES_DEFAULTS } from './store/postgres/store.ts';
export type { Bm25Hit, PostgresCreateOptions, PostgresOpenOptions } from './store/postgres/store.ts';
export type { PostgresSegmentStore } from './store/postgres/segments.ts';
export { isS3Location } from './store/lancedb/location.ts';
export { isPostgresUrl } from './store/postgres/url.ts';
export { documentFromFile, documentsFromFolder } from './store/files.ts';
export { parseFilter, checkFilter, matchFilter, FILTER_MAX_DEPTH, type Filter, type CompareOp, type Scalar } from './store/filter.ts';
export type {
  AnnSearchInfo,
  ChunkHit,
  CollectionBackend,
  CollectionInfo,
  CollectionStore,
  CreateOptions,
  Distance,
  EmbedFn,
  FieldType,
  OpenOptions,
  StoredChunk,
  UpsertOptions,
  UpsertResult,
  VectorIndexInfo,
  VectorSearchOptions,
} from './store/types.ts';
export type { Fingerprint, ModelRef } from './store/fingerprint.ts';
export type { ManifestPart, ManifestParts, PartsHook } from './store/parts.ts';
