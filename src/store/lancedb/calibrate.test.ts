/**
 * ANN calibration: the sampling and recall kernels, the beam ladder against a scripted probe, and
 * a real LanceDB collection of hard (random-normal, 384-d) vectors where the first beam misses a
 * strict target (all of each sampled exact top 10; it finds about 99%), so the commit raises the
 * beam (or falls back to the exact scan) and stores what it chose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANN_LADDER, calibrateAnn, sampleRecall, samplePositions, type CalibrationProbe } from './calibrate.ts';
import { readManifest } from './manifest.ts';
import { LanceCollectionStore } from './store.ts';
import type { Fingerprint } from '../fingerprint.ts';

test('samplePositions is seeded, distinct, in range and sorted; sampleRecall counts overlaps', () => {
  const a = samplePositions(1000, 50, 7);
  assert.deepEqual(a, samplePositions(1000, 50, 7));
  assert.notDeepEqual(a, samplePositions(1000, 50, 8));
  assert.equal(new Set(a).size, 50);
  assert.ok(a.every((x, i) => x >= 0 && x < 1000 && (i === 0 || a[i - 1] < x)));
  assert.deepEqual(samplePositions(5, 50), [0, 1, 2, 3, 4]);
  assert.equal(
    sampleRecall(
      [
        ['a', 'b'],
        ['c', 'x'],
      ],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ),
    0.75,
  );
});

/** A probe whose ANN finds the first `round(ef / 40)` of each exact top 10 (all from ef 400), waiting `annWait` ms per query. */
function scripted(annWait: number, exactWait: number): CalibrationProbe & { efs: number[] } {
  const efs: number[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const exactIds = (v: Float32Array) => Array.from({ length: 11 }, (_, i) => `${v[0]}-${i}`);
  return {
    efs,
    async exact(v, limit) {
      await sleep(exactWait);
      return [`${v[0]}`, ...exactIds(v)].slice(0, limit);
    },
    async ann(v, limit, ef) {
      if (efs.at(-1) !== ef) efs.push(ef);
      await sleep(annWait);
      const found = Math.min(10, Math.round(ef / 40));
      return [`${v[0]}`, ...exactIds(v).slice(0, found), ...Array.from({ length: 10 }, (_, i) => `miss-${i}`)].slice(0, limit);
    },
  };
}

test('calibrateAnn raises the beam until the sample meets the target, and prefers the exact scan when it is faster', async () => {
  const sample = Array.from({ length: 5 }, (_, i) => ({ id: String(i), vector: new Float32Array([i]) }));
  const fast = scripted(0, 8);
  const s = await calibrateAnn(sample, fast, { target: 0.98, refine: 2 });
  assert.deepEqual(fast.efs, [100, 200, 400]);
  assert.deepEqual([s.mode, s.ef, s.recall, s.sample, s.target], ['ann', 400, 1, 5, 0.98]);
  assert.ok(s.annMs < s.exactMs);
  const low = await calibrateAnn(sample, scripted(0, 4), { target: 0.2, refine: 2, missFactor: 1 });
  assert.deepEqual([low.mode, low.ef, low.recall], ['ann', 100, 0.3]);
  // Stored vectors are easy queries: by default the sample may miss a third of what the target allows.
  const ladder = [100, 200, 280, 400];
  assert.equal((await calibrateAnn(sample, scripted(0, 4), { target: 0.7, refine: 2, missFactor: 1, ladder })).ef, 280);
  assert.equal((await calibrateAnn(sample, scripted(0, 4), { target: 0.7, refine: 2, ladder })).ef, 400);
  const slow = scripted(8, 0);
  const e = await calibrateAnn(sample, slow, { target: 0.98, refine: 2 });
  assert.deepEqual([e.mode, slow.efs], ['exact', [100]]);
  const never = await calibrateAnn(sample, scripted(0, 4), { target: 0.98, refine: 2, ladder: [40, 80] });
  assert.deepEqual([never.mode, never.ef, never.recall], ['exact', 80, 0.2]);
  assert.equal(ANN_LADDER[0], 100);
});

const DIMS = 384;
const fingerprint: Fingerprint = {
  models: { dense: { id: 'test/random-normal', dims: DIMS } },
  analyzer: 'none',
  chunking: { size: 16, overlap: 0 },
};

/** Seeded random-normal unit vectors (mulberry32 + Box–Muller). */
function randomNormal(n: number, seed: number): Float32Array[] {
  let h = seed;
  const u = () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => {
    const v = new Float32Array(DIMS);
    for (let j = 0; j < DIMS; j++) v[j] = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

test('a commit that builds the index on hard vectors calibrates it: the beam rises (or search turns exact), the target holds on fresh queries, the manifest keeps it', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shortlist-calibrate-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'c');
  const vectors = randomNormal(3000, 1);
  const embed = async (texts: string[]) => texts.map((x) => vectors[Number(x.slice(1))]);
  const store = await LanceCollectionStore.create(dir, {
    fingerprint,
    dims: DIMS,
    distance: 'dot',
    annThreshold: 2000,
    annSample: 100,
    annRecall: 1,
    annIndex: 'lancedb',
  });
  t.after(() => store.close());
  await store.upsert(
    Array.from({ length: 1500 }, (_, i) => ({ id: `v${i}`, text: `v${i}` })),
    { embed, batchSize: 1500 },
  );
  assert.equal((await store.info()).annSearch, undefined, 'no index below the threshold');
  await store.upsert(
    Array.from({ length: 3000 }, (_, i) => ({ id: `v${i}`, text: `v${i}` })),
    { embed, batchSize: 1500 },
  );

  const info = await store.info();
  const s = info.annSearch!;
  t.diagnostic(`calibrated: ${JSON.stringify(s)}`);
  assert.ok(info.ann && s.source === 'calibrated' && s.calibration, JSON.stringify(s));
  assert.deepEqual([s.calibration.target, s.calibration.sample], [1, 100]);
  assert.ok(
    s.mode === 'exact' || (s.ef > ANN_LADDER[0] && s.calibration.recall === 1),
    `the first beam is not enough on this data: ${JSON.stringify(s)}`,
  );
  const stored = readManifest(dir).annSearch!;
  assert.deepEqual([stored.mode, stored.ef, stored.recall], [s.mode, s.ef, s.calibration.recall]);

  let hit = 0;
  for (const q of randomNormal(20, 99)) {
    const want = new Set((await store.vectorSearch(q, 10, { exact: true })).map((h) => h.id));
    hit += (await store.vectorSearch(q, 10)).filter((h) => want.has(h.id)).length;
  }
  assert.ok(hit / 200 >= 0.97, `Recall@10 on fresh queries ${hit / 200}`);

  // A lower target settles for the first beam; an explicit annEf overrides the calibration.
  const lax = await LanceCollectionStore.open(dir, { annRecall: 0.3, annSample: 30, annIndex: 'lancedb' });
  t.after(() => lax.close());
  const relaxed = await lax.calibrate();
  assert.equal(relaxed?.ef, ANN_LADDER[0]);
  assert.equal((await lax.info()).version, info.version + 1);
  const pinned = await LanceCollectionStore.open(dir, { annEf: 50, annIndex: 'lancedb' });
  t.after(() => pinned.close());
  assert.deepEqual(
    [(await pinned.info()).annSearch?.source, (await pinned.info()).annSearch?.ef, (await pinned.info()).annSearch?.mode],
    ['annEf', 50, 'ann'],
  );
  await assert.rejects(LanceCollectionStore.open(dir, { annRecall: 1.5 }), /annRecall must be a number in \(0, 1\]/);
});
