/** Cohere's embedding types on hand-worked vectors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byType, toBase64Floats, toBinary, toInt8, toUbinary, toUint8 } from './embedding-types.ts';

test('ubinary packs one bit per dimension (1 where > 0), most significant first; binary is the byte - 128', () => {
  const v = [1, -1, 0, 2, -3, 4, -5, 6, 0.5, -0.5];
  // 1 0 0 1 0 1 0 1 = 149; then 1 0 (padded with zeros) = 128
  assert.deepEqual(toUbinary(v), [149, 128]);
  assert.deepEqual(toBinary(v), [21, 0]);
});

test('uint8 / int8 cut [-1, 1] into 256 buckets, clamped', () => {
  assert.deepEqual(toUint8([-1, 0, 1, 2, -2, 0.5]), [0, 128, 255, 255, 0, 191]);
  assert.deepEqual(toInt8([-1, 0, 1, 2, -2, 0.5]), [-128, 0, 127, 127, -128, 63]);
});

test('base64 is the float32 little-endian bytes; byType keys each asked type', () => {
  const v = Float32Array.of(0.25, -1.5);
  const bytes = Buffer.from(toBase64Floats(v), 'base64');
  assert.deepEqual([bytes.readFloatLE(0), bytes.readFloatLE(4)], [0.25, -1.5]);
  const out = byType([v], ['float', 'ubinary']);
  assert.deepEqual(Object.keys(out), ['float', 'ubinary']);
  assert.deepEqual(out.float, [[0.25, -1.5]]);
});
