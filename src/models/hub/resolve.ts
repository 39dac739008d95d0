/**
 * `resolveModel(source)`: turn `org/name[@revision]` or a folder into local paths of the files an
 * ONNX model needs.
 *
 * Pipeline (hub source):
 * 1. Parse the source; look up its preset (which may point at another repo holding the ONNX files,
 *    and pin a revision unless the source names one).
 * 2. Offline (`opts.offline`, `SHORTLIST_OFFLINE`, `HF_HUB_OFFLINE`): answer from the cache only.
 * 3. A commit-sha revision already complete in the cache: answer without the network.
 * 4. Ask the hub for the revision's commit and file list; pick the ONNX variant for the dtype.
 *    If the hub cannot be reached, fall back to what the cache holds for that revision.
 * 5. Ask the sizes and hashes of the chosen files; download what the cache lacks (verified,
 *    atomic, retried), link it into `snapshots/<commit>/`, record `refs/<revision>`.
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HubApiError } from '@huggingface/hub';
import { ShortlistError } from '../../core/errors.ts';
import type { Dtype, ModelPreset } from '../presets/types.ts';
import { findPreset, findPresetByOnnxRepo } from '../presets/index.ts';
import { cacheRoot, cachedCommit, COMMIT_SHA, hubEndpoint, isOfflineEnv, repoCache, type HubEnv, type RepoCache } from './cache.ts';
import { dereferenceLink, downloadBlob, fileSize, hashFile, linkIntoSnapshot, type RemoteFile } from './download.ts';
import { onnxCandidates, onnxDataCandidates, supportFiles, DTYPES, type FileWant } from './files.ts';
import { parseModelSource } from './source.ts';

/** Progress of a model download, reported per chunk. */
export interface DownloadProgress {
  /** Repo path of the file being fetched. */
  file: string;
  /** Bytes of this file received so far. */
  fileLoaded: number;
  /** Size of this file in bytes. */
  fileTotal: number;
  /** Bytes received so far over all files this call downloads. */
  loaded: number;
  /** Bytes this call downloads in all (files already cached are not counted). */
  total: number;
}

/** Options of {@link resolveModel}. */
export interface ResolveOptions {
  /** ONNX precision variant to fetch. @default 'fp32' */
  dtype?: Dtype;
  /** Extra repo paths to fetch (required), exposed in `files` under their path. @default [] */
  files?: string[];
  /** Never touch the network; answer from the cache. @default SHORTLIST_OFFLINE / HF_HUB_OFFLINE */
  offline?: boolean;
  /**
   * Revision (branch, tag or commit) of the repo holding the ONNX files (`preset.onnxRepo` when a
   * preset applies); an `@revision` in the source has the same effect. @default the preset's pin, else 'main'
   */
  revision?: string;
  /**
   * Re-hash files already in the cache against the hub's sha256/git hash (online only) and fetch
   * again any that differ. Files this library wrote were verified when written, so this only
   * matters for caches filled or altered by other tools. @default false (cached files are checked by size)
   */
  verify?: boolean;
  /** Preset to apply; `false` for none. @default the preset registered for the repo id, if any */
  preset?: ModelPreset | false;
  /** Called as bytes arrive (library code never prints; the CLI turns this into a bar). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Cancels downloads. */
  signal?: AbortSignal;
  /** Cache root. @default SHORTLIST_CACHE, HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub */
  cacheDir?: string;
  /** Environment to read settings from (tests pass their own). @default process.env */
  env?: HubEnv;
}

/** A model whose files are on local disk. */
export interface ResolvedModel {
  /** Folder holding the files: the cache snapshot (`snapshots/<commit>`) or the local folder. */
  dir: string;
  /** Hub repo the files came from; undefined for a local folder. */
  repo?: string;
  /** Commit sha the files belong to; `'local'` for a folder. */
  revision: string;
  /** Precision variant chosen. */
  dtype: Dtype;
  /**
   * Logical name → absolute path. Always `onnx` and `tokenizer`; `onnxData`, `config`,
   * `tokenizerConfig`, `specialTokensMap` when the repo has them; `opts.files` under their repo path.
   */
  files: Record<string, string>;
  /** Logical name → path inside the repo/folder (same keys as `files`). */
  paths: Record<string, string>;
  /** sha256 of the ONNX file as the hub reported it (hub sources only). */
  onnxSha256?: string;
  /** The preset applied, if any. */
  preset?: ModelPreset;
  /** True when this call downloaded anything. */
  downloaded: boolean;
}

/** Resolve a model source to local files, downloading from the hub what the cache lacks. */
export async function resolveModel(source: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const env = opts.env ?? process.env;
  const dtype = opts.dtype ?? 'fp32';
  if (!DTYPES.includes(dtype)) {
    throw new ShortlistError('INVALID_ARGUMENT', `dtype '${dtype}' is not one of ${DTYPES.join(', ')}`);
  }
  const parsed = parseModelSource(source);
  if (parsed.kind === 'local') {
    const preset = opts.preset || undefined;
    return resolveLocal(parsed.dir, wantsFor(dtype, preset, opts.files), dtype, preset);
  }
  const preset = opts.preset === false ? undefined : (opts.preset ?? findPreset(parsed.repo) ?? findPresetByOnnxRepo(parsed.repo));
  if (parsed.revision && opts.revision && parsed.revision !== opts.revision) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `model source '${source}' names revision '${parsed.revision}' but the revision option says '${opts.revision}': give one`,
    );
  }
  const accessToken = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
  if (accessToken && !accessToken.startsWith('hf_')) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      'HF_TOKEN (or HUGGING_FACE_HUB_TOKEN) must be a hub access token starting with `hf_`; unset it for public models',
    );
  }
  const repo = preset?.onnxRepo ?? parsed.repo;
  const revision = parsed.revision ?? opts.revision ?? preset?.revision ?? 'main';
  const ctx: HubContext = {
    repo,
    revision,
    dtype,
    preset,
    wants: wantsFor(dtype, preset, opts.files),
    cache: repoCache(opts.cacheDir ?? cacheRoot(env), repo),
    hubUrl: hubEndpoint(env),
    accessToken,
    fetch: withSignal(opts.signal),
    opts,
  };
  if (opts.offline ?? isOfflineEnv(env)) return fromCache(ctx, 'offline');
  if (COMMIT_SHA.test(revision)) {
    const hit = await fromCache(ctx, 'probe').catch(() => undefined);
    if (hit) return hit;
  }
  return fromHub(ctx);
}

interface HubContext {
  repo: string;
  revision: string;
  dtype: Dtype;
  preset?: ModelPreset;
  wants: FileWant[];
  cache: RepoCache;
  hubUrl: string;
  accessToken?: string;
  fetch: typeof fetch;
  opts: ResolveOptions;
}

function wantsFor(dtype: Dtype, preset: ModelPreset | undefined, extra: readonly string[] = []): FileWant[] {
  return [{ name: 'onnx', candidates: onnxCandidates(dtype, preset), required: true }, ...supportFiles(extra)];
}

function withSignal(signal?: AbortSignal): typeof fetch {
  if (!signal) return (input, init) => fetch(input, init);
  return (input, init) => fetch(input, { ...init, signal });
}

async function fromHub(ctx: HubContext): Promise<ResolvedModel> {
  const { repo, revision, hubUrl } = ctx;
  const creds = { hubUrl, accessToken: ctx.accessToken, fetch: ctx.fetch };
  const hub = await import('@huggingface/hub'); // loads on the first download, not with the library
  let commit: string;
  let listed: Set<string>;
  try {
    const info = await hub.modelInfo({ name: repo, revision, additionalFields: ['sha', 'filePaths'], ...creds });
    commit = String(info.sha);
    listed = new Set(info.filePaths);
  } catch (err) {
    if (ctx.opts.signal?.aborted) throw aborted(ctx, err);
    if (err instanceof hub.HubApiError) throw hubError(err, ctx);
    const hit = await fromCache(ctx, 'probe').catch(() => undefined);
    if (hit) return hit;
    throw new ShortlistError(
      'NETWORK_ERROR',
      `cannot reach ${hubUrl} to fetch ${repo}@${revision} (${(err as Error)?.message ?? err}) and the cache at ${ctx.cache.dir} does not hold it; check the network or HF_ENDPOINT`,
      { cause: err },
    );
  }
  if (!COMMIT_SHA.test(commit)) throw new ShortlistError('NETWORK_ERROR', `${hubUrl} answered no commit sha for ${repo}@${revision}`);

  const chosen = pick(ctx, (p) => listed.has(p), `${repo}@${revision} on ${hubUrl}`, listed);
  const remote = new Map<string, RemoteFile>();
  let infos;
  try {
    infos = await hub.pathsInfo({ repo, paths: [...chosen.values()], revision: commit, ...creds });
  } catch (err) {
    if (ctx.opts.signal?.aborted) throw aborted(ctx, err);
    if (err instanceof hub.HubApiError) throw hubError(err, ctx);
    throw new ShortlistError(
      'NETWORK_ERROR',
      `lost the connection to ${hubUrl} while listing ${repo}@${commit}: ${(err as Error)?.message ?? err}`,
      { cause: err },
    );
  }
  for (const i of infos) {
    remote.set(i.path, {
      path: i.path,
      size: i.lfs?.size ?? i.size,
      hash: i.lfs?.oid ?? String(i.oid),
      algorithm: i.lfs ? 'sha256' : 'git-sha1',
    });
  }

  const snapshot = ctx.cache.snapshot(commit);
  const todo: { path: string; file: RemoteFile; blob: string; link: string }[] = [];
  for (const path of chosen.values()) {
    const file = remote.get(path);
    if (!file)
      throw new ShortlistError('NOT_FOUND', `${hubUrl} lists ${path} in ${repo}@${commit} but gives no size or hash for it; retry later`);
    const link = join(snapshot, path);
    const blob = join(ctx.cache.blobs, file.hash);
    const intact = async (p: string) => (await fileSize(p)) === file.size && (!ctx.opts.verify || (await hashFile(p, file)) === file.hash);
    if (await intact(link)) continue;
    if (await intact(blob)) await linkIntoSnapshot(blob, link);
    else todo.push({ path, file, blob, link });
  }

  if (revision !== commit) await writeRef(ctx.cache, revision, commit);
  const total = todo.reduce((s, t) => s + t.file.size, 0);
  let before = 0;
  for (const t of todo) {
    const report = (fileLoaded: number) =>
      ctx.opts.onProgress?.({ file: t.path, fileLoaded, fileTotal: t.file.size, loaded: before + fileLoaded, total });
    report(0);
    await downloadBlob({ repo, commit, file: t.file, blobPath: t.blob, onBytes: report, signal: ctx.opts.signal, ...creds });
    await linkIntoSnapshot(t.blob, t.link);
    before += t.file.size;
  }
  const onnx = remote.get(chosen.get('onnx')!);
  return finish(ctx, snapshot, commit, chosen, {
    downloaded: todo.length > 0,
    onnxSha256: onnx?.algorithm === 'sha256' ? onnx.hash : undefined,
  });
}

/** Choose one repo path per wanted file (first candidate that `exists`); throws for missing required ones. */
function pick(ctx: HubContext, exists: (p: string) => boolean, where: string, listing?: Set<string>): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const want of ctx.wants) {
    const path = want.candidates.find(exists);
    if (path) chosen.set(want.name, path);
    else if (want.required) throw missing(want, where, ctx.dtype, listing);
  }
  const onnx = chosen.get('onnx')!;
  const data = onnxDataCandidates(onnx).find(exists);
  if (data) chosen.set('onnxData', data);
  return chosen;
}

function missing(want: FileWant, where: string, dtype: Dtype, listing?: Set<string>): ShortlistError {
  const looked = want.candidates.join(' or ');
  if (want.name !== 'onnx') return new ShortlistError('NOT_FOUND', `${where} has no ${looked}`);
  const onnxFiles = listing ? [...listing].filter((p) => p.endsWith('.onnx')) : [];
  const has = onnxFiles.length
    ? `; its ONNX files are ${onnxFiles.join(', ')} (pick another --dtype, or a repo with ONNX exports such as Xenova/…)`
    : '; it has no ONNX files (use a repo with ONNX exports, e.g. Xenova/…, or export one with Optimum)';
  return new ShortlistError('NOT_FOUND', `${where} has no ONNX file for dtype ${dtype} (looked for ${looked})${has}`);
}

/** Answer from the cache alone. `mode` 'offline' explains itself in errors; 'probe' is a silent check. */
async function fromCache(ctx: HubContext, mode: 'offline' | 'probe'): Promise<ResolvedModel> {
  const { repo, revision, cache } = ctx;
  const how = `fetch it once with network access: \`shortlist models pull ${repo}@${revision}${ctx.dtype === 'fp32' ? '' : ` --dtype ${ctx.dtype}`}\` (with SHORTLIST_OFFLINE and HF_HUB_OFFLINE unset)`;
  const commit = await cachedCommit(cache, revision);
  if (!commit) {
    throw new ShortlistError(
      'NETWORK_ERROR',
      `${mode === 'offline' ? 'offline mode: ' : ''}${repo}@${revision} is not in the cache ${cache.dir}; ${how}`,
    );
  }
  const snapshot = cache.snapshot(commit);
  const present = await listTree(snapshot);
  const where = `${mode === 'offline' ? 'offline mode: the cached snapshot' : 'the cached snapshot'} ${snapshot} of ${repo}@${revision}`;
  let chosen: Map<string, string>;
  try {
    chosen = pick(ctx, (p) => present.has(p), where);
  } catch (err) {
    throw new ShortlistError('NETWORK_ERROR', `${(err as Error).message}; ${how}`);
  }
  return finish(ctx, snapshot, commit, chosen, { downloaded: false });
}

/** Every regular file (following links) under `dir`, as `/`-separated relative paths. */
async function listTree(dir: string, prefix = ''): Promise<Set<string>> {
  const out = new Set<string>();
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const p of await listTree(dir, rel)) out.add(p);
    else if ((await fileSize(join(dir, rel))) !== undefined) out.add(rel);
  }
  return out;
}

async function finish(
  ctx: HubContext,
  dir: string,
  commit: string,
  chosen: Map<string, string>,
  extra: { downloaded: boolean; onnxSha256?: string },
): Promise<ResolvedModel> {
  const paths = Object.fromEntries(chosen);
  const files = Object.fromEntries([...chosen].map(([k, p]) => [k, join(dir, p)]));
  // A cache written by Python holds symlinks; ONNX Runtime rejects external data behind them.
  for (const key of ['onnx', 'onnxData']) if (files[key]) await dereferenceLink(files[key]);
  return { dir, repo: ctx.repo, revision: commit, dtype: ctx.dtype, files, paths, preset: ctx.preset, ...extra };
}

async function writeRef(cache: RepoCache, revision: string, commit: string): Promise<void> {
  const ref = cache.ref(revision);
  await mkdir(dirname(ref), { recursive: true });
  const tmp = `${ref}.${process.pid}.tmp`;
  await writeFile(tmp, commit);
  await rename(tmp, ref);
}

function hubError(err: HubApiError, ctx: HubContext): ShortlistError {
  const where = `${ctx.repo}@${ctx.revision} on ${ctx.hubUrl}`;
  if (err.statusCode === 404 || err.statusCode === 401) {
    return new ShortlistError(
      'NOT_FOUND',
      `${where} was not found (HTTP ${err.statusCode}): check the repo id and revision; for a private or gated repo set HF_TOKEN`,
      { cause: err },
    );
  }
  if (err.statusCode === 403) {
    return new ShortlistError('NETWORK_ERROR', `${where}: access denied (HTTP 403); accept the model's terms on the hub and set HF_TOKEN`, {
      cause: err,
    });
  }
  return new ShortlistError('NETWORK_ERROR', `${where}: the hub answered HTTP ${err.statusCode} (${err.message}); retry later`, {
    cause: err,
  });
}

function aborted(ctx: HubContext, cause: unknown): ShortlistError {
  return new ShortlistError('ABORTED', `fetching ${ctx.repo}@${ctx.revision} was cancelled`, { cause });
}

/** A local folder: check the tokenizer and ONNX file exist. */
async function resolveLocal(dir: string, wants: FileWant[], dtype: Dtype, preset?: ModelPreset): Promise<ResolvedModel> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new ShortlistError('NOT_FOUND', `model folder ${dir} does not exist (or is not a folder)`);
  const present = await listTree(dir);
  const chosen = new Map<string, string>();
  for (const want of wants) {
    const path = want.candidates.find((p) => present.has(p));
    if (path) chosen.set(want.name, path);
    else if (want.required) {
      const what =
        want.name === 'onnx' ? `an ONNX file for dtype ${dtype} (looked for ${want.candidates.join(', ')})` : want.candidates.join(' or ');
      throw new ShortlistError(
        'MODEL_ERROR',
        `model folder ${dir} has no ${what}; a model folder needs tokenizer.json and onnx/model.onnx (as exported by Optimum or transformers.js)`,
      );
    }
  }
  const data = onnxDataCandidates(chosen.get('onnx')!).find((p) => present.has(p));
  if (data) chosen.set('onnxData', data);
  const paths = Object.fromEntries(chosen);
  const files = Object.fromEntries([...chosen].map(([k, p]) => [k, join(dir, p)]));
  return { dir, revision: 'local', dtype, files, paths, preset, downloaded: false };
}
