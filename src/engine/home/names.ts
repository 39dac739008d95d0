/**
 * The names and checks of collection locations that need no store: the pipeline file a directory
 * or S3 prefix holds, whether a directory is free for a new collection, and a collection's
 * location under an S3 root. Importing this module loads no store (the location registry,
 * `./locations.ts`, imports each home only when a location of its kind is first used).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { parseLocation } from '../../store/lancedb/location.ts';

/** The pipeline file inside a collection directory (or S3 prefix). */
export const PIPELINE_FILE = 'pipeline.json';

/** ALREADY_EXISTS when directory `dir` holds a collection (a pipeline file or a store manifest). */
export function assertFolderFree(dir: string): void {
  if (existsSync(join(dir, PIPELINE_FILE)) || existsSync(join(dir, 'MANIFEST.json'))) {
    throw new ShortlistError(
      'ALREADY_EXISTS',
      `a collection already exists at ${dir}; add to it, or create the new one in another directory`,
    );
  }
}

/** The location of collection `name` under `root`, an `s3://bucket/prefix` (or a directory standing in for one). */
export function s3ChildLocation(root: string, name: string): string {
  const loc = parseLocation(root);
  return `${loc.kind === 's3' ? loc.uri : root}/${name}`;
}
