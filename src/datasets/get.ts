/**
 * Fetch a BEIR collection into the dataset cache.
 *
 * Pipeline of one {@link getBeirDataset} call:
 * 1. Already cached (`<cache>/beir/<name>/` with its `.shortlist-dataset.json` marker, or a folder
 *    unzipped there by hand that holds corpus.jsonl): return it.
 * 2. Offline (`SHORTLIST_OFFLINE` / `HF_HUB_OFFLINE`): NETWORK_ERROR with the URL to fetch by hand
 *    and the folder to unzip it into.
 * 3. Download `<base>/<name>.zip` into a temporary folder beside the cache entry, checking size and
 *    md5 (retried on truncation, 429/5xx and network errors; see `fetchToFile`).
 * 4. Extract it (fflate, streamed) into the same temporary folder, write the marker, and rename
 *    the `<name>/` folder into place: a failed or corrupt download leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ShortlistError } from '../core/errors.ts';
import { cacheDir } from '../core/paths.ts';
import { isOfflineEnv } from '../models/hub/cache.ts';
import { BEIR_BASE_URL, BEIR_DATASETS, beirUrl, findBeirDataset, type BeirDataset } from './catalog.ts';
import { fetchToFile } from './fetch.ts';
import { extractZip } from './unzip.ts';

/** The file inside a fetched dataset folder that records where it came from. */
export const DATASET_MARKER = '.shortlist-dataset.json';

/** Options of {@link getBeirDataset} (and where {@link datasetCacheDir} / {@link beirBaseUrl} look). */
export interface GetDatasetOptions {
  /** Dataset cache root. @default `SHORTLIST_DATASETS`, else `<shortlist cache>/datasets` */
  cacheDir?: string;
  /** Where the zips are served (a mirror, or a test's loopback server). @default `SHORTLIST_BEIR_URL`, else the BEIR server */
  baseUrl?: string;
  /** md5 the zip must have, overriding the catalog's (a mirror serving a re-release). @default the catalog's */
  md5?: string;
  /** Download again even when cached. @default false */
  force?: boolean;
  /** Never touch the network. @default `SHORTLIST_OFFLINE` / `HF_HUB_OFFLINE` */
  offline?: boolean;
  /** Extra attempts after a retryable failure. @default 2 */
  retries?: number;
  /** First backoff step in milliseconds. @default 500 */
  backoffBaseMs?: number;
  /** Called as bytes arrive (received, expected total or 0). */
  onBytes?: (received: number, total: number) => void;
  signal?: AbortSignal;
  /** Environment read for the defaults. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** What is recorded in {@link DATASET_MARKER}, and what {@link getBeirDataset} returns. */
export interface FetchedDataset {
  /** `beir/<name>`. */
  id: string;
  /** The folder to pass to `shortlist eval` (holds corpus.jsonl, queries.jsonl, qrels/). */
  path: string;
  url: string;
  bytes: number;
  md5: string;
  /** True when the md5 matched a known checksum; false when none was known (only reported). */
  verified: boolean;
  fetchedAt: string;
  /** True when it was already in the cache (nothing downloaded). */
  cached: boolean;
}

/** The dataset cache root: `SHORTLIST_DATASETS`, else `<shortlist cache>/datasets`. */
export function datasetCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHORTLIST_DATASETS || cacheDir('datasets', env);
}

/** The base URL zips are fetched from: `SHORTLIST_BEIR_URL`, else the BEIR server. */
export function beirBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHORTLIST_BEIR_URL || BEIR_BASE_URL;
}

/** Where `beir/<name>` lives in the cache (whether or not it is there). */
export function beirPath(name: string, root: string = datasetCacheDir()): string {
  return join(root, 'beir', name);
}

/** The marker of a cached dataset, or undefined when it is not (completely) in the cache. */
export function cachedDataset(name: string, root: string = datasetCacheDir()): FetchedDataset | undefined {
  const dir = beirPath(name, root);
  try {
    const marker = JSON.parse(readFileSync(join(dir, DATASET_MARKER), 'utf8')) as FetchedDataset;
    return { ...marker, path: dir, cached: true };
  } catch {
    if (!existsSync(join(dir, 'corpus.jsonl'))) return undefined;
    return { id: `beir/${name}`, path: dir, url: '', bytes: 0, md5: '', verified: false, fetchedAt: '', cached: true };
  }
}

/** The catalog entry of `ref` (`beir/<name>`); INVALID_ARGUMENT listing the valid names otherwise. */
export function requireBeirDataset(ref: string): BeirDataset {
  const entry = findBeirDataset(ref);
  if (!entry) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown dataset "${ref}"; valid: ${Object.keys(BEIR_DATASETS)
        .map((n) => `beir/${n}`)
        .join(', ')}`,
    );
  }
  return entry;
}

/** Fetches `beir/<name>` into the cache (see the module comment); resolves to its folder and checksum. */
export async function getBeirDataset(ref: string, options: GetDatasetOptions = {}): Promise<FetchedDataset> {
  const env = options.env ?? process.env;
  const entry = requireBeirDataset(ref);
  const root = options.cacheDir ?? datasetCacheDir(env);
  const dest = beirPath(entry.name, root);
  const url = beirUrl(entry.name, options.baseUrl ?? beirBaseUrl(env));
  const hit = cachedDataset(entry.name, root);
  if (hit && !options.force) return hit;
  if (options.offline ?? isOfflineEnv(env))
    throw new ShortlistError('NETWORK_ERROR', `offline: beir/${entry.name} is not in the cache. ${byHand(url, entry, root)}`);
  if (!hit && existsSync(dest)) {
    throw new ShortlistError('INVALID_ARGUMENT', `${dest} exists but holds no BEIR dataset (no corpus.jsonl); remove it and fetch again`);
  }
  const md5 = options.md5 ?? entry.md5;
  const tmp = join(root, 'beir', `.tmp-${entry.name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    const zip = join(tmp, `${entry.name}.zip`);
    let got;
    try {
      got = await fetchToFile(url, zip, {
        md5,
        bytes: options.md5 ? undefined : entry.bytes,
        retries: options.retries,
        backoffBaseMs: options.backoffBaseMs,
        onBytes: options.onBytes,
        signal: options.signal,
      });
    } catch (err) {
      if (!(err instanceof ShortlistError) || err.code === 'ABORTED') throw err;
      throw new ShortlistError(err.code, `${err.message}; nothing was written. ${byHand(url, entry, root)}`, { cause: err });
    }
    const out = join(tmp, 'x');
    await extractZip(zip, out);
    await rm(zip, { force: true });
    const folder = existsSync(join(out, entry.name)) ? join(out, entry.name) : out;
    if (!existsSync(join(folder, 'corpus.jsonl')) && entry.name !== 'cqadupstack') {
      const seen = readdirSync(folder).slice(0, 8).join(', ');
      throw new ShortlistError(
        'INVALID_INPUT',
        `${url} did not unzip to a BEIR folder (no ${entry.name}/corpus.jsonl; found: ${seen || 'nothing'}); nothing was written`,
      );
    }
    const record: FetchedDataset = {
      id: `beir/${entry.name}`,
      path: dest,
      url,
      bytes: got.bytes,
      md5: got.md5,
      verified: md5 !== undefined,
      fetchedAt: new Date().toISOString(),
      cached: false,
    };
    writeFileSync(join(folder, DATASET_MARKER), JSON.stringify(record, null, 2) + '\n');
    if (existsSync(dest)) await rename(dest, join(tmp, 'old')); // --force: the old copy goes with the temporary folder
    await rename(folder, dest);
    return record;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The instructions for fetching a dataset without shortlist. */
function byHand(url: string, entry: BeirDataset, root: string): string {
  const sum = entry.md5 ? ` (md5 ${entry.md5})` : '';
  return `To fetch it by hand: download ${url}${sum} and unzip it into ${join(root, 'beir')}/, then pass ${beirPath(entry.name, root)} to \`shortlist eval\``;
}
