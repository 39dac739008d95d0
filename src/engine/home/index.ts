/**
 * Opening and creating a collection's home by its location: a `postgres://` (or `postgresql://`)
 * URL is a Postgres schema, anything else a directory.
 */
import type { ResolvedPipeline } from '../../pipeline/config.ts';
import type { CreateOptions } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { LocalHome } from './local.ts';
import { isPostgresUrl, PostgresHome } from './postgres.ts';
import type { CollectionHome } from './types.ts';

export type { CollectionConfig, CollectionHome, LexicalStats } from './types.ts';
export { LocalHome, PIPELINE_FILE } from './local.ts';
export { PostgresHome, PIPELINE_CONFIG, postgresCollectionLocation, splitPostgresLocation } from './postgres.ts';
export { isPostgresUrl };

/** True when `location` holds a collection (a directory with a pipeline file, or a schema with a saved pipeline). */
export async function homeExists(location: string): Promise<boolean> {
  return isPostgresUrl(location) ? PostgresHome.exists(location) : LocalHome.exists(location);
}

/** Creates an empty collection at `location` with `pipeline`; fails when one is there. */
export function createHome(location: string, pipeline: ResolvedPipeline, analyzer: Analyzer, options: CreateOptions): Promise<CollectionHome> {
  return isPostgresUrl(location) ? PostgresHome.create(location, pipeline, options) : LocalHome.create(location, pipeline, analyzer, options);
}

/** Opens the collection at `location` with the pipeline it was created with. */
export function openHome(location: string): Promise<{ home: CollectionHome; pipeline: ResolvedPipeline }> {
  return isPostgresUrl(location) ? PostgresHome.open(location) : LocalHome.open(location);
}
