/**
 * Where collections live, as one frozen registry: a location is a `postgres://` (or
 * `postgresql://`) URL naming a schema, an `s3://bucket/prefix`, or (anything else) a folder.
 * Each entry answers the same questions, so a new backend is one entry and one home:
 * `matches` (is this string mine?), `exists`, `create`, `open`, `list` (the collections under a
 * root: sub-folders, sub-prefixes or schemas) with `child` (a collection's location under a root),
 * `display` (the location for messages, secrets hidden) and `check` (`shortlist check`: verify the
 * latest committed version without trusting it, so a damaged collection is reported, not refused).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import type { ResolvedPipeline } from '../../pipeline/config.ts';
import { isPostgresUrl, redact } from '../../store/postgres/pool.ts';
import { isS3Location } from '../../store/lancedb/location.ts';
import type { CreateOptions } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { LocalHome, PIPELINE_FILE } from './local.ts';
import { PostgresHome, postgresCollectionLocation } from './postgres.ts';
import { S3Home } from './s3.ts';
import type { CheckReport, CollectionHome } from './types.ts';

/** One kind of location (see the module comment). */
export interface Location {
  readonly id: 'postgres' | 's3' | 'folder';
  matches(location: string): boolean;
  exists(location: string): Promise<boolean>;
  create(location: string, pipeline: ResolvedPipeline, analyzer: Analyzer, options: CreateOptions): Promise<CollectionHome>;
  open(location: string): Promise<{ home: CollectionHome; pipeline: ResolvedPipeline }>;
  /** Names of the collections directly under `root`, sorted. */
  list(root: string): Promise<string[]>;
  /** The location of collection `name` under `root`. */
  child(root: string, name: string): string;
  display(location: string): string;
  check(location: string): Promise<CheckReport>;
}

/** Every kind of location, tried in order (the folder last: it matches anything). */
export const LOCATIONS = Object.freeze([
  Object.freeze({
    id: 'postgres',
    matches: isPostgresUrl,
    exists: (l: string) => PostgresHome.exists(l),
    create: (l: string, p: ResolvedPipeline, a: Analyzer, o: CreateOptions) => PostgresHome.create(l, p, o, a),
    open: (l: string) => PostgresHome.open(l),
    list: (root: string) => PostgresHome.list(root),
    child: postgresCollectionLocation,
    display: redact,
    check: (l: string) => PostgresHome.check(l),
  }),
  Object.freeze({
    id: 's3',
    matches: isS3Location,
    exists: (l: string) => S3Home.exists(l),
    create: (l: string, p: ResolvedPipeline, a: Analyzer, o: CreateOptions) => S3Home.create(l, p, a, o),
    open: (l: string) => S3Home.open(l),
    list: (root: string) => S3Home.list(root),
    child: (root: string, name: string) => S3Home.childLocation(root, name),
    display: (l: string) => l,
    check: (l: string) => S3Home.check(l),
  }),
  Object.freeze({
    id: 'folder',
    matches: () => true,
    exists: async (l: string) => LocalHome.exists(l),
    create: (l: string, p: ResolvedPipeline, a: Analyzer, o: CreateOptions) => LocalHome.create(l, p, a, o),
    open: (l: string) => LocalHome.open(l),
    list: async (root: string) => {
      if (!existsSync(root)) throw new ShortlistError('NOT_FOUND', `${root} does not exist; give a folder of collections`);
      return readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(root, e.name, PIPELINE_FILE)))
        .map((e) => e.name)
        .sort();
    },
    child: (root: string, name: string) => join(root, name),
    display: (l: string) => l,
    check: (l: string) => LocalHome.check(l),
  }),
] as const satisfies readonly Location[]);

/** The entry of the registry that `location` belongs to. */
export function locationFor(location: string): Location {
  if (typeof location !== 'string' || location === '')
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `a collection location must be a folder, a postgres://…?schema= URL or an s3://bucket/prefix; got ${JSON.stringify(location)}`,
    );
  return LOCATIONS.find((l) => l.matches(location))!;
}
