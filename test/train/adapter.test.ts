/**
 * The query adapter: the hand-derived InfoNCE gradient against finite differences, recovery of a
 * known linear distortion between query and document space, and the identity kept when there is
 * nothing to learn.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/core/random.ts';
import {
  applyQueryAdapter,
  distanceFromIdentity,
  identityAdapter,
  unit,
  type QueryAdapter,
} from '../../src/models/encoders/query-adapter.ts';
import { evaluateVectors, dot, type VectorQuery } from '../../src/lab/adapt/evaluate.ts';
import { infoNceLoss, zeroGradient, type TrainingExample } from '../../src/lab/adapt/loss.ts';
import { trainAdapter } from '../../src/lab/adapt/train.ts';

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function randomVec(d: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: d }, () => gaussian(rand));
}

test('the InfoNCE gradient matches central finite differences (W, b and the log temperature; in-batch and not)', () => {
  const rand = mulberry32(7);
  const d = 5;
  const docs = Array.from({ length: 9 }, () => unit(randomVec(d, rand)));
  const examples: TrainingExample[] = [
    { query: randomVec(d, rand), positive: 0, negatives: [3, 4], positives: [0, 5] },
    { query: randomVec(d, rand), positive: 1, negatives: [5, 6] },
    { query: randomVec(d, rand), positive: 2, negatives: [7, 8, 3] },
  ];
  for (const inBatch of [true, false]) {
    const a: QueryAdapter = identityAdapter(d);
    for (let i = 0; i < a.W.length; i++) a.W[i] += 0.3 * gaussian(rand);
    for (let i = 0; i < d; i++) a.b[i] = 0.2 * gaussian(rand);
    const opts = { temperature: 0.3, inBatch };
    const g = zeroGradient(d);
    infoNceLoss(a, examples, docs, opts, g);
    let worst = 0;
    const check = (params: Float32Array, grads: Float64Array) => {
      for (let i = 0; i < params.length; i++) {
        const orig = params[i];
        params[i] = orig + 1e-3;
        const up = params[i];
        const lp = infoNceLoss(a, examples, docs, opts);
        params[i] = orig - 1e-3;
        const down = params[i];
        const lm = infoNceLoss(a, examples, docs, opts);
        params[i] = orig;
        const numeric = (lp - lm) / (up - down);
        worst = Math.max(worst, Math.abs(numeric - grads[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grads[i])));
      }
    };
    check(a.W, g.W);
    check(a.b, g.b);
    // the learned-temperature gradient: ∂L/∂log(1/τ)
    const h = 1e-4;
    const at = (ls: number) => infoNceLoss(a, examples, docs, { inBatch, temperature: Math.exp(-ls) });
    const ls = Math.log(1 / opts.temperature);
    const numeric = (at(ls + h) - at(ls - h)) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - g.logScale) / Math.max(1e-3, Math.abs(numeric) + Math.abs(g.logScale)));
    assert.ok(worst < 1e-3, `relative gradient error ${worst} (inBatch ${inBatch})`);
  }
});

/** Documents, queries near their one relevant document, and mined negatives (the top non-relevant by the given query vectors). */
function world(seed: number, distort: (v: Float32Array) => Float32Array, TRAIN = 1000, NOISE = 0.22) {
  const rand = mulberry32(seed);
  const d = 24;
  const nDocs = 800;
  const docs = Array.from({ length: nDocs }, () => unit(randomVec(d, rand)));
  const make = (n: number) =>
    Array.from({ length: n }, () => {
      const target = Math.floor(rand() * nDocs);
      const clean = unit(Float32Array.from(docs[target], (x) => x + NOISE * gaussian(rand)));
      return { target, clean, distorted: distort(clean) };
    });
  return { d, docs, train: make(TRAIN), dev: make(200), heldOut: make(300) };
}

function examples(
  qs: { target: number; clean: Float32Array; distorted: Float32Array }[],
  docs: Float32Array[],
  negatives = 3,
): TrainingExample[] {
  return qs.map((q) => {
    const v = unit(q.distorted);
    const ranked = docs.map((doc, i) => ({ i, s: dot(v, doc) })).sort((a, b) => b.s - a.s);
    return {
      query: q.distorted,
      positive: q.target,
      negatives: ranked
        .filter((r) => r.i !== q.target)
        .slice(0, negatives)
        .map((r) => r.i),
    };
  });
}

test('the adapter recovers a known linear distortion: held-out Recall@10 returns to within 0.02 of undistorted', async () => {
  const rand = mulberry32(99);
  const d = 24;
  // M = Q·diag(s): a random rotation Q (Gram–Schmidt of a Gaussian matrix) after per-axis scales
  // s in [0.4, 2.5], plus a shift t; the clean query is recoverable exactly by M⁻¹(q − t).
  const Q: Float32Array[] = [];
  while (Q.length < d) {
    const v = randomVec(d, rand);
    for (const u of Q) {
      const p = dot(v, u);
      for (let i = 0; i < d; i++) v[i] -= p * u[i];
    }
    Q.push(unit(v));
  }
  const scales = Float32Array.from({ length: d }, () => 0.4 + 2.1 * rand());
  const shift = Float32Array.from({ length: d }, () => 0.1 * gaussian(rand));
  const distort = (v: Float32Array) =>
    Float32Array.from({ length: d }, (_, i) => shift[i] + Q.reduce((s, col, j) => s + col[i] * scales[j] * v[j], 0));
  const w = world(3, distort);
  const q = (set: typeof w.heldOut, kind: 'clean' | 'distorted'): VectorQuery[] =>
    set.map((x) => ({ vector: x[kind], relevant: [x.target] }));
  const undistorted = evaluateVectors(q(w.heldOut, 'clean'), w.docs);
  const before = evaluateVectors(q(w.heldOut, 'distorted'), w.docs);
  const t0 = performance.now();
  const result = trainAdapter(examples(w.train, w.docs), examples(w.dev, w.docs), w.docs, {
    learningRate: 0.01,
    temperature: 0.1,
    epochs: 80,
    seed: 1,
  });
  const ms = performance.now() - t0;
  const after = evaluateVectors(q(w.heldOut, 'distorted'), w.docs, result.adapter);
  console.log(
    `distortion: undistorted R@10 ${undistorted['recall@10'].toFixed(3)} nDCG@10 ${undistorted['ndcg@10'].toFixed(3)}; distorted ${before['recall@10'].toFixed(3)} / ${before['ndcg@10'].toFixed(3)}; adapted ${after['recall@10'].toFixed(3)} / ${after['ndcg@10'].toFixed(3)}; best epoch ${result.bestEpoch}, ${ms.toFixed(0)} ms`,
  );
  assert.ok(before['recall@10'] < undistorted['recall@10'] - 0.1, 'the distortion must hurt, or the test shows nothing');
  assert.ok(
    after['recall@10'] >= undistorted['recall@10'] - 0.02,
    `adapted ${after['recall@10']} vs undistorted ${undistorted['recall@10']}`,
  );
  assert.ok(result.devLoss.after < result.devLoss.before);
});

test('with nothing to learn the adapter stays at (or next to) the identity and quality does not drop', () => {
  const w = world(5, (v) => Float32Array.from(v));
  const q = (set: typeof w.heldOut): VectorQuery[] => set.map((x) => ({ vector: x.clean, relevant: [x.target] }));
  const before = evaluateVectors(q(w.heldOut), w.docs);
  const result = trainAdapter(examples(w.train, w.docs), examples(w.dev, w.docs), w.docs, {
    learningRate: 0.01,
    temperature: 0.1,
    epochs: 80,
    seed: 1,
  });
  const after = evaluateVectors(q(w.heldOut), w.docs, result.adapter);
  const dist = distanceFromIdentity(result.adapter);
  console.log(
    `identity: R@10 ${before['recall@10'].toFixed(3)} → ${after['recall@10'].toFixed(3)}; ‖A − I‖/√d = ${dist.toFixed(4)}; best epoch ${result.bestEpoch}`,
  );
  assert.ok(after['recall@10'] >= before['recall@10'] - 0.01);
  assert.ok(dist < 0.1, `adapter moved ${dist} from the identity`);
});

test('the identity adapter changes no vector; a unit query stays unit after adapting', () => {
  const rand = mulberry32(1);
  const v = unit(randomVec(8, rand));
  assert.deepEqual(applyQueryAdapter(identityAdapter(8), v), v);
  const a = identityAdapter(8);
  a.W[1] = 0.5;
  a.b[2] = 0.3;
  const out = applyQueryAdapter(a, v);
  assert.ok(Math.abs(Math.hypot(...out) - 1) < 1e-5);
});

test('the adapter file round-trips and refuses another model', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { storeCollectionAdapter, loadCollectionAdapter, readCollectionAdapter } = await import('../../src/engine/query-adapter.ts');
  const { folderConfig } = await import('../support/folder-config.ts');
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-adapter-'));
  const config = folderConfig(dir);
  try {
    const model = { id: 'local', revision: 'sha256:abc', dims: 4, normalize: true };
    assert.equal(await loadCollectionAdapter(config, model), undefined, 'no file, no adapter');
    const a = identityAdapter(4);
    a.W[3] = 0.25;
    a.b[1] = -0.5;
    await storeCollectionAdapter(config, a, { model, training: { epochs: 1 } });
    const back = (await loadCollectionAdapter(config, model))!;
    assert.deepEqual([...back.W], [...a.W]);
    assert.deepEqual([...back.b], [...a.b]);
    assert.deepEqual((await readCollectionAdapter(config))!.training, { epochs: 1 });
    await assert.rejects(
      loadCollectionAdapter(config, { ...model, revision: 'sha256:def' }),
      (e: Error & { code?: string }) => e.code === 'INDEX_MISMATCH' && /retrain/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('training files in every exported layout read into the same groups; the dev split is seeded and whole-query', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { readTrainingFile, splitGroups } = await import('../../src/lab/adapt/data.ts');
  const dir = mkdtempSync(join(tmpdir(), 'shortlist-data-'));
  try {
    const layouts: Record<string, object[]> = {
      triplet: [
        { anchor: 'q1', positive: 'p1', negative: 'n1' },
        { anchor: 'q1', positive: 'p1', negative: 'n2' },
        { anchor: 'q2', positive: 'p2', negative: 'n1' },
      ],
      'n-tuple': [
        { anchor: 'q1', positive: 'p1', negative_1: 'n1', negative_2: 'n2' },
        { anchor: 'q2', positive: 'p2', negative_1: 'n1' },
      ],
      flag: [
        { query: 'q1', pos: ['p1'], neg: ['n1', 'n2'] },
        { query: 'q2', pos: ['p2'], neg: ['n1'], pos_scores: [1], neg_scores: [0] },
      ],
      'margin-mse': [
        { query: 'q1', positive: 'p1', negative: 'n1', score: 2 },
        { query: 'q1', positive: 'p1', negative: 'n2', score: 1 },
        { query: 'q2', positive: 'p2', negative: 'n1', score: 3 },
      ],
    };
    for (const [name, rows] of Object.entries(layouts)) {
      const file = join(dir, `${name}.jsonl`);
      writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const data = await readTrainingFile(file);
      const named = data.groups.map((g) => ({
        query: g.query,
        pos: g.positives.map((i) => data.passages[i]),
        neg: g.negatives.map((i) => data.passages[i]),
      }));
      assert.deepEqual(
        named,
        [
          { query: 'q1', pos: ['p1'], neg: ['n1', 'n2'] },
          { query: 'q2', pos: ['p2'], neg: ['n1'] },
        ],
        name,
      );
    }
    const groups = Array.from({ length: 10 }, (_, i) => ({ query: `q${i}`, positives: [i], negatives: [] }));
    const a = splitGroups(groups, 0.2, 3);
    assert.equal(a.dev.length, 2);
    assert.deepEqual(splitGroups(groups, 0.2, 3), a);
    assert.equal(a.train.length + a.dev.length, 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
