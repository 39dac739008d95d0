/**
 * Where collections live, as one frozen registry: a location is a `postgres://` (or
 * `postgresql://`) URL naming a schema, an `s3://bucket/prefix`, or (anything else) a folder.
 * Each entry answers the same questions, so a new backend is one entry and one home:
 * `matches` (is this string mine?), `exists`, `create`, `open`, `list` (the collections under a
 * root: sub-folders, sub-prefixes or schemas) with `child` (a collection's location under a root),
 * `display` (the location for messages, secrets hidden) and `check` (`shortlist check`: verify the
 * latest committed version without trusting it, so a damaged collection is reported, not refused).
 *
 * `matches`, `child` and `display` are cheap and synchronous (small modules without a store); the
 * rest import the entry's home with `import()` the first time a location of that kind is used,
 * so a BM25 folder never loads the Postgres driver's code or the S3 home, and importing shortlist
 * loads no home at all.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import type { ResolvedPipeline } from '../../pipeline/config.ts';
import { isS3Location } from '../../store/lancedb/location.ts';
import { isPostgresUrl, postgresChildLocation, redact } from '../../store/postgres/url.ts';
import type { CreateOptions } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { PIPELINE_FILE, s3ChildLocation } from './names.ts';
import type { CheckReport, CollectionHome } from './types.ts';

/** Each home, imported on first use. */
const postgres = async () => (await import('./postgres.ts')).PostgresHome;
const s3 = async () => (await import('./s3.ts')).S3Home;
const local = async () => (await import('./local.ts')).LocalHome;

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
    exists: async (l: string) => (await postgres()).exists(l),
    create: async (l: string, p: ResolvedPipeline, a: Analyzer, o: CreateOptions) => (await postgres()).create(l, p, o, a),
    open: async (l: string) => (await postgres()).open(l),
    list: async (root: string) => (await postgres()).list(root),
    child: postgresChildLocation,
    display: redact,
    check: async (l: string) => (await postgres()).check(l),
  }),
  Object.freeze({
    id: 's3',
    matches: isS3Location,
    exists: async (l: string) => (await s3()).exists(l),
    create: async (l: string, p: ResolvedPipeline, a: Analyzer, o: CreateOptions) => (await s3()).create(l, p, a, o),
    open: async (l: string) => (await s3()).open(l),
    list: async (root: string) => (await s3()).list(root),
    child: s3ChildLocation,
    display: (l: string) => l,
    check: async (l: string) => (await s3()).check(l),
  }),
  Object.freeze({
    id: 'folder',
    matches: () => true,
    exists: async (l: string) => (await local()).exists(l),
    create: async (l: string, p: ResolvedPipeline, a: Analyzer, o: CreateOptions) => (await local()).create(l, p, a, o),
    open: async (l: string) => (await local()).open(l),
    list: async (root: string) => {
      if (!existsSync(root)) throw new ShortlistError('NOT_FOUND', `${root} does not exist; give a folder of collections`);
      return readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(root, e.name, PIPELINE_FILE)))
        .map((e) => e.name)
        .sort();
    },
    child: (root: string, name: string) => join(root, name),
    display: (l: string) => l,
    check: async (l: string) => (await local()).check(l),
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
