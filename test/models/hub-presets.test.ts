/**
 * Every preset downloads from its pinned commit: a loopback hub serves each preset's ONNX repo,
 * and the requests made for it name the preset's 40-hex revision, never a branch.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveModel } from '../../src/models/hub/index.ts';
import { PRESETS } from '../../src/models/presets/index.ts';
import type { ModelPreset } from '../../src/models/presets/types.ts';
import { startFakeHub, type FakeHub } from './hub-server.ts';

const ALL = Object.values(PRESETS as Record<string, ModelPreset>);
let hub: FakeHub;

before(async () => {
  const repos = new Map<string, { repo: string; commit: string; files: Record<string, string> }>();
  for (const p of ALL) {
    const r = repos.get(p.onnxRepo) ?? {
      repo: p.onnxRepo,
      commit: p.revision!,
      files: { 'tokenizer.json': '{"model":{"type":"WordPiece","vocab":{}}}', 'config.json': '{}' },
    };
    assert.equal(r.commit, p.revision, `${p.onnxRepo} is pinned to one commit`);
    r.files[p.onnxFiles.fp32!] = `fp32 graph of ${p.id}`;
    repos.set(p.onnxRepo, r);
  }
  hub = await startFakeHub([...repos.values()]);
});
after(() => hub.close());

test('every preset fetches its files at its pinned 40-hex revision, never at main', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'shortlist-hub-presets-'));
  for (const p of ALL) {
    assert.match(p.revision ?? '', /^[0-9a-f]{40}$/, p.id);
    const before = hub.requests.length;
    const m = await resolveModel(p.id, { env: { HF_ENDPOINT: hub.url, SHORTLIST_CACHE: cache } });
    const mine = hub.requests.slice(before);
    assert.equal(m.repo, p.onnxRepo, p.id);
    assert.equal(m.revision, p.revision, p.id);
    assert.equal(m.paths.onnx, p.onnxFiles.fp32, p.id);
    assert.ok(mine.length > 0 && mine.some((r) => r.includes(`/revision/${p.revision}`)), `${p.id}: ${mine.join(', ')}`);
    const branch = mine.filter((r) => /\/(revision|resolve|paths-info)\/(?![0-9a-f]{40}\b)/.test(r));
    assert.deepEqual(branch, [], `${p.id} asked for a branch`);
    for (const r of mine) if (r.includes('/resolve/')) assert.ok(r.includes(`/resolve/${p.revision}/`), `${p.id}: ${r}`);
  }
});
