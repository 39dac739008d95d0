/** The collection store: interface, filters, fingerprints and the embedded LanceDB backend. */
export type * from './types.ts';
export { parseFilter, checkFilter, matchFilter, filterFields, type Filter, type Scalar, type CompareOp } from './filter.ts';
export { checkFingerprint, diffJson, canonicalJson, type Fingerprint, type ModelRef } from './fingerprint.ts';
export { prepareDocs, planUpsert, contentHash } from './plan.ts';
export { LanceCollectionStore, lancedbBackend, LANCE_DEFAULTS, type LanceOpenOptions } from './lancedb/store.ts';
export { isS3Location } from './lancedb/location.ts';
export {
  PostgresCollectionStore,
  postgresBackend,
  POSTGRES_DEFAULTS,
  type PostgresCreateOptions,
  type PostgresOpenOptions,
  type Bm25Hit,
} from './postgres/store.ts';
export { isPostgresUrl, parseLocation as parsePostgresLocation } from './postgres/pool.ts';
export { documentFromFile, documentsFromFolder, listTextFiles, TEXT_EXTENSIONS } from './files.ts';
