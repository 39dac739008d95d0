/**
 * What a `postgres://` collection location is, without the driver: the predicate the location
 * registry matches with, the redaction its messages use, and a collection's location under a
 * server URL. Importing this module loads no database code (src/engine/home/locations.ts imports it
 * statically, the Postgres home only on first use).
 */
import { ShortlistError } from '../../core/errors.ts';

/** Whether `location` names a Postgres collection (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** A Postgres identifier for a collection schema: lower-case letters, digits, `_` (quoted when used). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `name` when it is a schema name Postgres would not need quoted; INVALID_ARGUMENT otherwise. */
export function checkSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name))
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `the collection schema name "${name}" must be 1–63 lower-case letters, digits or _ (not starting with a digit), e.g. ?schema=scifact`,
      { location: { field: 'schema' } },
    );
  return name;
}

/** The location of collection (schema) `name` on the server of `root` (a `postgres://` URL); INVALID_ARGUMENT for a name Postgres would need quoted. */
export function postgresChildLocation(root: string, name: string): string {
  const u = new URL(root);
  u.searchParams.set('schema', checkSchemaName(name));
  return u.toString();
}
