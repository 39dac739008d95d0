import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactTopK, randomNormal, recallAtK, topK } from './data.ts';
import { SYSTEMS, available } from './systems.ts';

test('randomNormal is seeded and unit length', () => {
  const a = randomNormal(3, 5, 7);
  assert.deepEqual(a, randomNormal(3, 5, 7));
  assert.notDeepEqual(a, randomNormal(3, 5, 8));
  for (let i = 0; i < 3; i++) {
    const n = Math.hypot(...a.subarray(i * 5, i * 5 + 5));
    assert.ok(Math.abs(n - 1) < 1e-5);
  }
});

test('topK keeps the largest values, largest first, ties by lower index', () => {
  assert.deepEqual([...topK(new Float32Array([0.1, 0.9, 0.5, 0.9, -1]), 3)], [1, 3, 2]);
});

test('exactTopK finds each query itself first and recallAtK counts overlaps', () => {
  const base = randomNormal(200, 16, 1);
  const truth = exactTopK(base, base.slice(0, 4 * 16), 16, 5);
  assert.deepEqual(
    [0, 1, 2, 3].map((q) => truth[q * 5]),
    [0, 1, 2, 3],
  );
  const found = [0, 1, 2, 3].map((q) => [...truth.subarray(q * 5, q * 5 + 5)]);
  assert.equal(recallAtK(found, truth, 5), 1);
  found[0] = [999, 998, 997, 996, 995];
  assert.equal(recallAtK(found, truth, 5), 0.75);
});

test('every loadable system returns the exact top 10 on a small set', async () => {
  const dims = 32;
  const base = randomNormal(600, dims, 3);
  const queries = randomNormal(5, dims, 4);
  const truth = exactTopK(base, queries, dims, 10);
  for (const key of ['exact', 'flat', 'lance', 'lancedb', 'index', 'f32', 'int8', 'hnsw', 'usearch', 'hnswlib']) {
    if (!available(key)) continue;
    const index = await SYSTEMS[key].build(base, dims);
    if (SYSTEMS[key].efs) await index.setEf?.(SYSTEMS[key].efs!.at(-1)!);
    const found = [];
    for (let q = 0; q < 5; q++) found.push(await index.search(queries.subarray(q * dims, (q + 1) * dims), 10));
    await index.close();
    assert.ok(recallAtK(found, truth, 10) >= 0.98, `${key}: recall ${recallAtK(found, truth, 10)}`);
  }
});
