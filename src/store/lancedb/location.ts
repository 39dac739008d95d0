/**
 * Where a LanceDB collection lives: a local directory, or an `s3://bucket/prefix` location on
 * object storage. For S3 the endpoint, region and credentials come from the standard AWS
 * environment variables (`AWS_ENDPOINT_URL[_S3]`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE`); the same settings reach both the
 * manifest client (`@aws-sdk/client-s3`) and LanceDB (as storage options).
 */
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';

/** A parsed collection location. */
export type LanceLocation = { kind: 'fs'; dir: string } | { kind: 's3'; uri: string; bucket: string; prefix: string };

/** S3 settings read from an environment. */
export interface S3Settings {
  region: string;
  /** Custom endpoint (MinIO, s3rver, …); undefined for AWS itself. */
  endpoint?: string;
  /** Static keys when the environment names them; undefined to let the SDK's default chain (profile, SSO, instance role) find them. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Profile for the default chain (`AWS_PROFILE`). */
  profile?: string;
}

/** Whether `location` names object storage (`s3://…`). */
export function isS3Location(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

/** Parses `location`: `s3://bucket[/prefix]` or a directory path. */
export function parseLocation(location: string): LanceLocation {
  if (!isS3Location(location)) return { kind: 'fs', dir: location };
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(location);
  if (!m || !m[1])
    throw new ShortlistError('INVALID_ARGUMENT', `${location} is not an S3 location; write s3://bucket/prefix`, {
      location: { field: 'location' },
    });
  const prefix = m[2].replace(/\/+$/, '');
  return { kind: 's3', uri: `s3://${m[1]}${prefix ? `/${prefix}` : ''}`, bucket: m[1], prefix };
}

/** The LanceDB database URI of a collection: `<location>/lance`. */
export function lanceUri(loc: LanceLocation): string {
  return loc.kind === 'fs' ? join(loc.dir, 'lance') : `${loc.uri}/lance`;
}

/** The S3 settings in `env` (the process environment by default). */
export function s3Settings(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (to use a profile or an instance role)',
      { location: { field: accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID' } },
    );
  }
  const credentials =
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  return { region, endpoint, credentials, profile: env.AWS_PROFILE || undefined };
}

/**
 * LanceDB storage options for `s`: region, endpoint (plain HTTP allowed only when the endpoint is
 * `http://`), path-style requests, and the keys when they are static. Without keys, LanceDB's own
 * AWS chain finds them (environment, profile, instance role).
 */
export function lanceStorageOptions(s: S3Settings): Record<string, string> {
  const o: Record<string, string> = { region: s.region };
  if (s.endpoint) {
    o.endpoint = s.endpoint;
    o.virtual_hosted_style_request = 'false';
    if (s.endpoint.startsWith('http://')) o.allow_http = 'true';
  }
  if (s.credentials) {
    o.aws_access_key_id = s.credentials.accessKeyId;
    o.aws_secret_access_key = s.credentials.secretAccessKey;
    if (s.credentials.sessionToken) o.aws_session_token = s.credentials.sessionToken;
  }
  return o;
}
