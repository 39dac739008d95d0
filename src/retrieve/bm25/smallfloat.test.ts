import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LENGTH_TABLE, NUM_FREE_VALUES, byte4ToInt, int4ToLong, intToByte4, longToInt4 } from './smallfloat.ts';

// Values derived by hand from Lucene 8.7 SmallFloat (NUM_FREE_VALUES = 255 − longToInt4(2^31 − 1) = 255 − 231 = 24).
test('NUM_FREE_VALUES is 24, as in Lucene', () => {
  assert.equal(longToInt4(0x7fffffff), 231);
  assert.equal(NUM_FREE_VALUES, 24);
});

test('lengths below 24 are exact', () => {
  for (let i = 0; i < 24; i++) {
    assert.equal(intToByte4(i), i);
    assert.equal(byte4ToInt(i), i);
  }
});

test('known lossy encodings', () => {
  // 100: 100 − 24 = 76 = 0b1001100, 7 bits → shift 3, 76 >>> 3 = 9, 9 & 7 = 1, | (3 + 1) << 3 = 33 → byte 24 + 33 = 57.
  assert.equal(intToByte4(100), 57);
  // 57: int4ToLong(33) = (1 | 8) << (4 − 1) = 72 → 24 + 72 = 96: a 100-term document counts as 96.
  assert.equal(byte4ToInt(57), 96);
  // 24..31 are exact (subnormal int4), 32 = 24 + 8 → int4 8 = (0 | 8) << 0 → exact too.
  assert.equal(byte4ToInt(intToByte4(31)), 31);
  assert.equal(byte4ToInt(intToByte4(40)), 40);
  // 41: 17 = 0b10001 (5 bits) → keeps 4 bits → 16 → 24 + 16 = 40.
  assert.equal(byte4ToInt(intToByte4(41)), 40);
  // The largest byte: 24 + int4ToLong(231) = 24 + (7 | 8) << 27 = 2013265944.
  assert.equal(byte4ToInt(255), 2013265944);
  assert.equal(intToByte4(0x7fffffff), 255); // Lucene TestSmallFloat.testByte4
});

test('round trips and monotonicity (Lucene TestSmallFloat.testByte4 / testInt4)', () => {
  for (let i = 0; i <= 16; i++) assert.equal(int4ToLong(longToInt4(i)), i);
  for (let b = 0; b < 256; b++) {
    assert.equal(intToByte4(byte4ToInt(b)), b);
    assert.equal(LENGTH_TABLE[b], Math.fround(byte4ToInt(b))); // Lucene keeps float[] too
    if (b > 0) assert.ok(byte4ToInt(b) > byte4ToInt(b - 1));
  }
  // Encoding rounds down to the largest representable length ≤ i.
  for (let i = 0; i < 100000; i += 7) {
    const decoded = byte4ToInt(intToByte4(i));
    assert.ok(decoded <= i);
    const b = intToByte4(i);
    if (b < 255) assert.ok(byte4ToInt(b + 1) > i);
  }
});

test('rejects negative and fractional lengths', () => {
  assert.throws(() => intToByte4(-1), { name: 'ShortlistError' });
  assert.throws(() => intToByte4(1.5), { name: 'ShortlistError' });
});
