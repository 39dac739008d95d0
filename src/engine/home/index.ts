/**
 * Opening and creating a collection's home by its location, through the registry of locations
 * (`locations.ts`): a `postgres://` (or `postgresql://`) URL is a Postgres schema, an
 * `s3://bucket/prefix` an object-storage prefix, anything else a directory.
 */
import type { ResolvedPipeline } from '../../pipeline/config.ts';
import type { CreateOptions } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { isS3Location } from '../../store/lancedb/location.ts';
import { isPostgresUrl } from '../../store/postgres/url.ts';
import { locationFor } from './locations.ts';
import type { CollectionHome } from './types.ts';

export type { CheckReport, CollectionConfig, CollectionHome, LexicalStats, OptimizeReport } from './types.ts';
export { LocalHome, PIPELINE_FILE } from './local.ts';
export { PostgresHome, PIPELINE_CONFIG, postgresCollectionLocation, splitPostgresLocation } from './postgres.ts';
export { S3Home, type S3HomeOptions } from './s3.ts';
export { isPostgresUrl, isS3Location };
export { LOCATIONS, locationFor, type Location } from './locations.ts';

/** True when `location` holds a collection (a directory or S3 prefix with a pipeline file, or a schema with a saved pipeline). */
export async function homeExists(location: string): Promise<boolean> {
  return locationFor(location).exists(location);
}

/** Creates an empty collection at `location` with `pipeline`; fails when one is there. */
export function createHome(
  location: string,
  pipeline: ResolvedPipeline,
  analyzer: Analyzer,
  options: CreateOptions,
): Promise<CollectionHome> {
  return locationFor(location).create(location, pipeline, analyzer, options);
}

/** Opens the collection at `location` with the pipeline it was created with. */
export function openHome(location: string): Promise<{ home: CollectionHome; pipeline: ResolvedPipeline }> {
  return locationFor(location).open(location);
}
