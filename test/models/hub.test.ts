/** Hub loading against a loopback server: download, cache reuse, verification, offline mode, errors. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isShortlistError } from '../../src/core/errors.ts';
import { resolveModel, type DownloadProgress } from '../../src/models/hub/index.ts';
import type { ModelPreset } from '../../src/models/presets/types.ts';
import { startFakeHub, type FakeHub } from './hub-server.ts';

const REPO = 'acme/tiny-bert';
const COMMIT = 'a'.repeat(40);
const onnx = Buffer.alloc(64 * 1024, 0).map((_, i) => (i * 31 + 7) & 0xff);
const onnxData = Buffer.alloc(32 * 1024).map((_, i) => (i * 17 + 3) & 0xff);
const FILES = {
  'config.json': JSON.stringify({ model_type: 'bert', hidden_size: 32 }),
  'tokenizer.json': JSON.stringify({ version: '1.0', model: { type: 'WordPiece', vocab: { '[PAD]': 0 } } }),
  'tokenizer_config.json': JSON.stringify({ model_max_length: 512 }),
  'onnx/model.onnx': onnx,
  'onnx/model.onnx_data': onnxData,
  'onnx/model_quantized.onnx': Buffer.from('int8 graph bytes'),
  'README.md': '# tiny',
};

let hub: FakeHub;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function freshCache(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'shortlist-hub-'));
}

function envFor(cache: string, extra: Record<string, string> = {}) {
  return { HF_ENDPOINT: hub.url, SHORTLIST_CACHE: cache, ...extra };
}

async function rejectsWith(p: Promise<unknown>, code: string, ...needles: string[]): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(isShortlistError(err), `expected a ShortlistError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const n of needles) assert.ok(err.message.includes(n), `message should name '${n}': ${err.message}`);
    return err.message;
  }
  assert.fail('expected a rejection');
}

/** Every file name under `dir`, recursively. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    out.push(join(e.parentPath ?? (e as { path: string }).path, e.name));
  return out;
}

describe('resolveModel against a loopback hub', () => {
  before(async () => {
    hub = await startFakeHub([
      { repo: REPO, commit: COMMIT, files: FILES },
      { repo: 'acme/no-tokenizer', commit: 'b'.repeat(40), files: { 'onnx/model.onnx': onnx } },
    ]);
  });
  after(async () => {
    await hub.close();
  });

  test('first run downloads only the needed files, with progress, into the HF cache layout', async () => {
    const cache = await freshCache();
    const seen: DownloadProgress[] = [];
    const m = await resolveModel(REPO, { env: envFor(cache), onProgress: (p) => seen.push(p) });
    assert.equal(m.revision, COMMIT);
    assert.equal(m.repo, REPO);
    assert.equal(m.downloaded, true);
    assert.deepEqual(Object.keys(m.files).sort(), ['config', 'onnx', 'onnxData', 'tokenizer', 'tokenizerConfig']);
    assert.deepEqual(await readFile(m.files.onnx), onnx);
    assert.deepEqual(await readFile(m.files.onnxData), onnxData);
    assert.equal(m.onnxSha256, sha256(onnx));
    assert.equal(m.dir, join(cache, 'models--acme--tiny-bert', 'snapshots', COMMIT));
    // HF layout: snapshot entries are hard links to content-addressed blobs; refs/main holds the commit.
    const blob = join(cache, 'models--acme--tiny-bert', 'blobs', sha256(onnx));
    assert.equal((await stat(m.files.onnx)).ino, (await stat(blob)).ino);
    assert.ok((await lstat(m.files.onnxData)).isFile(), 'no symlinks: ONNX Runtime rejects external data behind them');
    assert.equal((await readFile(join(cache, 'models--acme--tiny-bert', 'refs', 'main'), 'utf8')).trim(), COMMIT);
    // README and the int8 variant were not fetched.
    assert.ok(!hub.requests.some((r) => r.includes('README.md') || r.includes('model_quantized')));
    // Progress: starts at 0, ends with everything loaded, total = bytes downloaded.
    const last = seen.at(-1)!;
    assert.equal(last.loaded, last.total);
    assert.ok(last.total >= onnx.length + onnxData.length);
    assert.ok(seen.some((p) => p.file === 'onnx/model.onnx' && p.fileLoaded === onnx.length));
    assert.ok(seen.some((p) => p.loaded === 0));
    const leftovers = (await walk(cache)).filter((p) => p.endsWith('.incomplete'));
    assert.deepEqual(leftovers, []);
  });

  test('a second run works with the server shut down, and in offline mode', async () => {
    const cache = await freshCache();
    const other = await startFakeHub([{ repo: REPO, commit: COMMIT, files: FILES }]);
    const env = { HF_ENDPOINT: other.url, SHORTLIST_CACHE: cache };
    const first = await resolveModel(REPO, { env, dtype: 'fp32' });
    await other.close();
    const seen: DownloadProgress[] = [];
    const second = await resolveModel(REPO, { env, onProgress: (p) => seen.push(p) });
    assert.equal(second.downloaded, false);
    assert.deepEqual(second.files, first.files);
    assert.deepEqual(seen, []);
    const offline = await resolveModel(REPO, { env: { ...env, SHORTLIST_OFFLINE: '1' } });
    assert.deepEqual(offline.files, first.files);
    const hfOffline = await resolveModel(`${REPO}@${COMMIT}`, { env: { ...env, HF_HUB_OFFLINE: '1' } });
    assert.equal(hfOffline.revision, COMMIT);
  });

  test('a pinned commit already in the cache needs no request at all', async () => {
    const cache = await freshCache();
    await resolveModel(`${REPO}@${COMMIT}`, { env: envFor(cache) });
    const before = hub.requests.length;
    const again = await resolveModel(`${REPO}@${COMMIT}`, { env: envFor(cache) });
    assert.equal(hub.requests.length, before);
    assert.equal(again.revision, COMMIT);
  });

  test('a truncated download is detected and fetched again', async () => {
    const cache = await freshCache();
    hub.fault(REPO, 'onnx/model.onnx', 'truncate');
    const n = hub.downloads(REPO, 'onnx/model.onnx');
    const m = await resolveModel(REPO, { env: envFor(cache) });
    assert.equal(hub.downloads(REPO, 'onnx/model.onnx') - n, 2);
    assert.deepEqual(await readFile(m.files.onnx), onnx);
    assert.deepEqual(
      (await walk(cache)).filter((p) => p.endsWith('.incomplete')),
      [],
    );
  });

  test('an HTTP 500 mid-download is retried', async () => {
    const cache = await freshCache();
    hub.fault(REPO, 'onnx/model.onnx_data', 'error');
    const n = hub.downloads(REPO, 'onnx/model.onnx_data');
    const m = await resolveModel(REPO, { env: envFor(cache) });
    assert.equal(hub.downloads(REPO, 'onnx/model.onnx_data') - n, 2);
    assert.deepEqual(await readFile(m.files.onnxData), onnxData);
  });

  test('a corrupted file (right length, wrong bytes) is detected and fetched again', async () => {
    const cache = await freshCache();
    hub.fault(REPO, 'onnx/model.onnx', 'corrupt');
    hub.fault(REPO, 'tokenizer.json', 'corrupt');
    const n = hub.downloads(REPO, 'onnx/model.onnx');
    const m = await resolveModel(REPO, { env: envFor(cache) });
    assert.equal(hub.downloads(REPO, 'onnx/model.onnx') - n, 2);
    assert.deepEqual(await readFile(m.files.onnx), onnx);
    assert.equal(await readFile(m.files.tokenizer, 'utf8'), FILES['tokenizer.json']);
  });

  test('a download that stays corrupt fails and leaves nothing a later run would trust', async () => {
    const cache = await freshCache();
    hub.fault(REPO, 'onnx/model.onnx', 'corrupt', 'truncate', 'corrupt');
    const msg = await rejectsWith(resolveModel(REPO, { env: envFor(cache) }), 'NETWORK_ERROR', 'onnx/model.onnx', REPO);
    assert.match(msg, /3 attempts/);
    const files = await walk(cache);
    assert.ok(!files.some((p) => p.endsWith(sha256(onnx)) || p.endsWith('.incomplete')), files.join('\n'));
    await rejectsWith(resolveModel(REPO, { env: envFor(cache, { SHORTLIST_OFFLINE: '1' }) }), 'NETWORK_ERROR', 'onnx/model.onnx');
    // The next online run repairs it.
    const m = await resolveModel(REPO, { env: envFor(cache) });
    assert.deepEqual(await readFile(m.files.onnx), onnx);
  });

  test('verify re-hashes cached files and repairs one altered on disk', async () => {
    const cache = await freshCache();
    const first = await resolveModel(REPO, { env: envFor(cache) });
    const blob = join(cache, 'models--acme--tiny-bert', 'blobs', sha256(onnx));
    const bad = Buffer.from(onnx);
    bad[100] ^= 0xff;
    await writeFile(blob, bad); // same size, wrong bytes: a size check alone trusts it
    const trusted = await resolveModel(REPO, { env: envFor(cache) });
    assert.equal(trusted.downloaded, false);
    const n = hub.downloads(REPO, 'onnx/model.onnx');
    const repaired = await resolveModel(REPO, { env: envFor(cache), verify: true });
    assert.equal(repaired.downloaded, true);
    assert.equal(hub.downloads(REPO, 'onnx/model.onnx') - n, 1);
    assert.deepEqual(await readFile(first.files.onnx), onnx);
  });

  test('offline mode never touches the network and names the missing file', async () => {
    const cache = await freshCache();
    const before = hub.requests.length;
    await rejectsWith(resolveModel(REPO, { env: envFor(cache), offline: true }), 'NETWORK_ERROR', REPO, 'main', 'shortlist models pull');
    await resolveModel(REPO, { env: envFor(cache) }); // fp32 only
    const mid = hub.requests.length;
    const msg = await rejectsWith(
      resolveModel(REPO, { env: envFor(cache, { HF_HUB_OFFLINE: '1' }), dtype: 'int8' }),
      'NETWORK_ERROR',
      'onnx/model_quantized.onnx',
      REPO,
      '--dtype int8',
    );
    assert.match(msg, /offline/);
    assert.equal(hub.requests.length, mid);
    assert.ok(mid > before);
  });

  test('404s name the repo and the file', async () => {
    const cache = await freshCache();
    await rejectsWith(resolveModel('acme/missing', { env: envFor(cache) }), 'NOT_FOUND', 'acme/missing', 'HF_TOKEN');
    await rejectsWith(resolveModel(`${REPO}@v9`, { env: envFor(cache) }), 'NOT_FOUND', REPO, 'v9');
    await rejectsWith(resolveModel('acme/no-tokenizer', { env: envFor(cache) }), 'NOT_FOUND', 'acme/no-tokenizer', 'tokenizer.json');
    const msg = await rejectsWith(
      resolveModel(REPO, { env: envFor(cache), dtype: 'fp16' }),
      'NOT_FOUND',
      REPO,
      'fp16',
      'onnx/model_fp16.onnx',
    );
    assert.match(msg, /model_quantized\.onnx/, 'lists the ONNX files the repo does have');
  });

  test('an unreachable hub with nothing cached is a NETWORK_ERROR naming the endpoint', async () => {
    const cache = await freshCache();
    const dead = await startFakeHub([]);
    await dead.close();
    await rejectsWith(resolveModel(REPO, { env: { HF_ENDPOINT: dead.url, SHORTLIST_CACHE: cache } }), 'NETWORK_ERROR', dead.url, REPO);
  });

  test("a preset's repo, file names and pinned revision are used unless the source names a revision", async () => {
    const cache = await freshCache();
    const preset: ModelPreset = {
      id: 'acme/original',
      role: 'bi-encoder',
      onnxRepo: REPO,
      revision: COMMIT,
      onnxFiles: { int8: 'onnx/model_quantized.onnx' },
      inputs: ['input_ids', 'attention_mask'],
      output: 'last_hidden_state',
      maxLength: 128,
      pooling: 'mean',
      sources: [],
    };
    const before = hub.requests.length;
    const m = await resolveModel('acme/original', { env: envFor(cache), preset, dtype: 'int8' });
    assert.equal(m.repo, REPO);
    assert.equal(m.preset, preset);
    assert.equal(m.paths.onnx, 'onnx/model_quantized.onnx');
    assert.equal(m.files.onnxData, undefined);
    const mine = hub.requests.slice(before);
    assert.ok(mine.some((r) => r.includes(`/revision/${COMMIT}`)));
    assert.ok(!mine.some((r) => r.includes('/main')));
    // A revision in the source wins over the pin.
    const mid = hub.requests.length;
    await resolveModel('acme/original@main', { env: envFor(cache), preset, dtype: 'int8' });
    assert.ok(hub.requests.slice(mid).some((r) => r.includes('/revision/main')));
    // A dtype the preset has no file for is a MODEL_ERROR naming the ones it has.
    await rejectsWith(
      resolveModel('acme/original', { env: envFor(cache), preset, dtype: 'fp32' }),
      'MODEL_ERROR',
      'acme/original',
      'fp32',
      'int8',
    );
  });

  test('cancelling stops the download with ABORTED', async () => {
    const cache = await freshCache();
    const ctl = new AbortController();
    ctl.abort();
    await rejectsWith(resolveModel(REPO, { env: envFor(cache), signal: ctl.signal }), 'ABORTED', REPO);
  });
});

describe('resolveModel on a cache written by Python huggingface_hub', () => {
  test('is used offline, and its symlinked ONNX files become hard links', async () => {
    const cache = await freshCache();
    const repoDir = join(cache, 'models--acme--py-model');
    const commit = 'd'.repeat(40);
    const snap = join(repoDir, 'snapshots', commit);
    await mkdir(join(repoDir, 'blobs'), { recursive: true });
    await mkdir(join(snap, 'onnx'), { recursive: true });
    await mkdir(join(repoDir, 'refs'), { recursive: true });
    await writeFile(join(repoDir, 'refs', 'main'), commit);
    const put = async (path: string, content: Uint8Array | string) => {
      const blob = join(repoDir, 'blobs', sha256(content));
      await writeFile(blob, content);
      const depth = path.split('/').length - 1;
      await symlink(join(...Array(depth + 2).fill('..'), 'blobs', sha256(content)), join(snap, path));
    };
    await put('tokenizer.json', '{}');
    await put('onnx/model.onnx', onnx);
    await put('onnx/model.onnx_data', onnxData);
    assert.ok((await lstat(join(snap, 'onnx', 'model.onnx_data'))).isSymbolicLink());
    const m = await resolveModel('acme/py-model', { env: { SHORTLIST_CACHE: cache, HF_HUB_OFFLINE: '1' } });
    assert.equal(m.revision, commit);
    assert.deepEqual(await readFile(m.files.onnxData), onnxData);
    assert.ok((await lstat(m.files.onnx)).isFile());
    assert.ok((await lstat(m.files.onnxData)).isFile());
    assert.ok((await lstat(m.files.tokenizer)).isSymbolicLink(), 'other entries are left as they were');
  });
});

describe('resolveModel on a local folder', () => {
  test('finds the tokenizer, ONNX file and optional files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shortlist-local-'));
    await mkdir(join(dir, 'onnx'));
    await writeFile(join(dir, 'tokenizer.json'), '{}');
    await writeFile(join(dir, 'config.json'), '{}');
    await writeFile(join(dir, 'onnx', 'model.onnx'), 'x');
    const m = await resolveModel(dir);
    assert.equal(m.revision, 'local');
    assert.equal(m.files.onnx, join(dir, 'onnx', 'model.onnx'));
    assert.equal(m.files.config, join(dir, 'config.json'));
    assert.equal(m.files.tokenizerConfig, undefined);
    await rejectsWith(resolveModel(dir, { dtype: 'int8' }), 'MODEL_ERROR', dir, 'int8', 'onnx/model_int8.onnx');
    await rm(join(dir, 'tokenizer.json'));
    await rejectsWith(resolveModel(dir), 'MODEL_ERROR', dir, 'tokenizer.json');
    await rejectsWith(resolveModel(join(dir, 'nope')), 'NOT_FOUND', 'nope');
  });

  test('bad sources are INVALID_ARGUMENT', async () => {
    await rejectsWith(resolveModel('not a model'), 'INVALID_ARGUMENT', 'not a model');
    await rejectsWith(resolveModel(''), 'INVALID_ARGUMENT');
    await rejectsWith(resolveModel('acme/x', { dtype: 'fp64' as never }), 'INVALID_ARGUMENT', 'fp64');
    await rejectsWith(resolveModel('acme/x', { env: { HF_TOKEN: 'secret' } }), 'INVALID_ARGUMENT', 'HF_TOKEN');
  });
});
