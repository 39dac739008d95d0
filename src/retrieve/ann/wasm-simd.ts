/**
 * Two WebAssembly SIMD kernels (128-bit; Node ≥ 16.4), assembled here from their opcodes so that no
 * compiler or binary blob is needed:
 *
 * - `hamming(rows, n, stride, q, out)`: for each of `n` rows of `stride` bytes (a multiple of 16)
 *   of packed sign bits, `out[i] = −popcount(row_i XOR q)` as float32 (`i8x16.popcnt`, pairwise
 *   widening adds), the score {@link hamming} in `kernels.ts` gives in plain JS.
 * - `dots(vectors, dims, rows, m, q, out)`: for the `m` row numbers at `rows` (int32), the float32
 *   dot product of that row of `vectors` (row-major, `dims` a multiple of 16) with `q`
 *   (`f32x4.mul`/`add` into four accumulators, their lanes summed at the end).
 *
 * Pointers are byte offsets into the memory the caller passes in (imported as `m.memory`).
 * Opcodes: WebAssembly core specification 2.0, §5.4 (instructions) and the fixed-width SIMD
 * proposal's opcode table.
 */

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (op: number, ...imm: number[]) => [0xfd, ...leb(op), ...imm];
const get = (i: number) => [0x20, ...leb(i)];
const set = (i: number) => [0x21, ...leb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const I32_ADD = 0x6a;
const I32_GE_U = 0x4f;
const I32_SHL = 0x74;
const I32_MUL = 0x6c;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const br = (depth: number) => [0x0c, ...leb(depth)];
const brIf = (depth: number) => [0x0d, ...leb(depth)];
const V128_LOAD = (align: number) => simd(0x00, align, 0);
const V128_ZERO = [...simd(0x0c), ...new Array(16).fill(0)];
const V128_XOR = simd(0x51);
const I8X16_POPCNT = simd(0x62);
const I16X8_EXTADD_U = simd(0x7d);
const I32X4_EXTADD_U = simd(0x7f);
const I32X4_ADD = simd(0xae);
const i32x4Lane = (lane: number) => simd(0x1b, lane);
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const f32x4Lane = (lane: number) => simd(0x1f, lane);
const F32_ADD = 0x92;
const F32_NEG = 0x8c;
const F32_CONVERT_I32_U = 0xb3;
const F32_STORE = [0x38, 2, 0];
const I32_LOAD = [0x28, 2, 0];

/** hamming(rows 0, n 1, stride 2, q 3, out 4); locals: i 5, j 6, p 7 (i32), acc 8 (v128). */
function hammingBody(): number[] {
  return [
    2, // local groups
    3,
    0x7f, // 3 × i32
    1,
    0x7b, // 1 × v128
    ...get(0),
    ...set(7),
    ...BLOCK,
    ...LOOP,
    ...get(5),
    ...get(1),
    I32_GE_U,
    ...brIf(1),
    ...V128_ZERO,
    ...set(8),
    ...i32(0),
    ...set(6),
    ...BLOCK,
    ...LOOP,
    ...get(6),
    ...get(2),
    I32_GE_U,
    ...brIf(1),
    ...get(8),
    ...get(7),
    ...get(6),
    I32_ADD,
    ...V128_LOAD(4),
    ...get(3),
    ...get(6),
    I32_ADD,
    ...V128_LOAD(4),
    ...V128_XOR,
    ...I8X16_POPCNT,
    ...I16X8_EXTADD_U,
    ...I32X4_EXTADD_U,
    ...I32X4_ADD,
    ...set(8),
    ...get(6),
    ...i32(16),
    I32_ADD,
    ...set(6),
    ...br(0),
    END,
    END,
    // out[i] = −(sum of the four lanes)
    ...get(4),
    ...get(5),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...get(8),
    ...i32x4Lane(0),
    ...get(8),
    ...i32x4Lane(1),
    I32_ADD,
    ...get(8),
    ...i32x4Lane(2),
    I32_ADD,
    ...get(8),
    ...i32x4Lane(3),
    I32_ADD,
    F32_CONVERT_I32_U,
    F32_NEG,
    ...F32_STORE,
    ...get(7),
    ...get(2),
    I32_ADD,
    ...set(7),
    ...get(5),
    ...i32(1),
    I32_ADD,
    ...set(5),
    ...br(0),
    END,
    END,
    END,
  ];
}

/**
 * dots(vectors 0, dims 1, rows 2, m 3, q 4, out 5); locals: t 6, j 7, p 8, bytes 9 (i32), acc
 * 10–13 (v128: four accumulators, so that the additions do not wait on each other). `dims` must be
 * a multiple of 16.
 */
function dotsBody(): number[] {
  const step = (acc: number, offset: number) => [
    ...get(acc),
    ...get(8),
    ...get(7),
    I32_ADD,
    ...simd(0x00, 2, ...leb(offset)),
    ...get(4),
    ...get(7),
    I32_ADD,
    ...simd(0x00, 2, ...leb(offset)),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(acc),
  ];
  return [
    2,
    4,
    0x7f,
    4,
    0x7b,
    ...get(1),
    ...i32(2),
    I32_SHL,
    ...set(9),
    ...BLOCK,
    ...LOOP,
    ...get(6),
    ...get(3),
    I32_GE_U,
    ...brIf(1),
    // p = vectors + rows[t] × bytes
    ...get(0),
    ...get(2),
    ...get(6),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...I32_LOAD,
    ...get(9),
    I32_MUL,
    I32_ADD,
    ...set(8),
    ...V128_ZERO,
    ...set(10),
    ...V128_ZERO,
    ...set(11),
    ...V128_ZERO,
    ...set(12),
    ...V128_ZERO,
    ...set(13),
    ...i32(0),
    ...set(7),
    ...BLOCK,
    ...LOOP,
    ...get(7),
    ...get(9),
    I32_GE_U,
    ...brIf(1),
    ...step(10, 0),
    ...step(11, 16),
    ...step(12, 32),
    ...step(13, 48),
    ...get(7),
    ...i32(64),
    I32_ADD,
    ...set(7),
    ...br(0),
    END,
    END,
    // acc = (a10 + a11) + (a12 + a13); out[t] = its four lanes summed
    ...get(10),
    ...get(11),
    ...F32X4_ADD,
    ...get(12),
    ...get(13),
    ...F32X4_ADD,
    ...F32X4_ADD,
    ...set(10),
    ...get(5),
    ...get(6),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...get(10),
    ...f32x4Lane(0),
    ...get(10),
    ...f32x4Lane(1),
    F32_ADD,
    ...get(10),
    ...f32x4Lane(2),
    F32_ADD,
    ...get(10),
    ...f32x4Lane(3),
    F32_ADD,
    ...F32_STORE,
    ...get(6),
    ...i32(1),
    I32_ADD,
    ...set(6),
    ...br(0),
    END,
    END,
    END,
  ];
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

const name = (s: string) => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** The module's bytes. */
export function simdModuleBytes(): Uint8Array {
  const i = 0x7f;
  const types = [2, 0x60, 5, i, i, i, i, i, 0, 0x60, 6, i, i, i, i, i, i, 0];
  const imports = [1, ...name('m'), ...name('memory'), 0x02, 0x00, 1];
  const funcs = [2, 0, 1];
  const exports = [2, ...name('hamming'), 0x00, 0, ...name('dots'), 0x00, 1];
  const bodies = [hammingBody(), dotsBody()];
  const code = [bodies.length, ...bodies.flatMap((b) => [...leb(b.length), ...b])];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

/** The part of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The kernels bound to one memory. */
export interface SimdKernels {
  memory: { buffer: ArrayBuffer };
  hamming(rows: number, n: number, stride: number, q: number, out: number): void;
  dots(vectors: number, dims: number, rows: number, m: number, q: number, out: number): void;
}

let compiled: object | null | undefined;

/** The kernels over a new memory of `bytes`, or undefined where WebAssembly SIMD is not available. */
export function simdKernels(bytes: number): SimdKernels | undefined {
  if (compiled === undefined) {
    try {
      const b = simdModuleBytes();
      compiled = wasm?.validate(b) ? new wasm.Module(b) : null;
    } catch {
      compiled = null;
    }
  }
  if (!compiled || !wasm) return undefined;
  const pages = Math.ceil(bytes / 65536);
  if (pages > 65536) return undefined;
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(compiled, { m: { memory } });
  return { memory, ...(exports as unknown as Omit<SimdKernels, 'memory'>) };
}

/** Largest float32 matrix (bytes) copied into WebAssembly memory for {@link simdDots}: the copy doubles the vectors' memory. */
export const SIMD_DOTS_MAX_BYTES = 64 * 1024 * 1024;

/** float32 dot products of chosen rows with a query, over one copy of a matrix in WebAssembly memory. */
export interface SimdDots {
  /** Scores of `rows` (at most the matrix's row count) against `q`: a view, valid until the next call. */
  score(rows: readonly number[], q: Float32Array): Float32Array;
}

const dotsCache = new WeakMap<Float32Array, SimdDots | null>();

/**
 * {@link SimdDots} over `vectors` (row-major, `dims` wide), one copy per matrix (shared by every
 * index built over the same array); undefined where WebAssembly SIMD is not available, `dims` is
 * not a multiple of 16 or the matrix is larger than {@link SIMD_DOTS_MAX_BYTES}.
 */
export function simdDots(vectors: Float32Array, dims: number): SimdDots | undefined {
  let d = dotsCache.get(vectors);
  if (d === undefined) {
    d = null;
    const n = vectors.length / dims;
    if (dims % 16 === 0 && vectors.byteLength <= SIMD_DOTS_MAX_BYTES && Number.isInteger(n)) {
      const oIdx = vectors.byteLength;
      const oQ = oIdx + n * 4;
      const oOut = oQ + dims * 4;
      const k = simdKernels(oOut + n * 4);
      if (k) {
        new Float32Array(k.memory.buffer, 0, vectors.length).set(vectors);
        const idx = new Int32Array(k.memory.buffer, oIdx, n);
        const q = new Float32Array(k.memory.buffer, oQ, dims);
        const out = new Float32Array(k.memory.buffer, oOut, n);
        d = {
          score(rows, query) {
            q.set(query);
            for (let i = 0; i < rows.length; i++) idx[i] = rows[i];
            k.dots(0, dims, oIdx, rows.length, oQ, oOut);
            return out.subarray(0, rows.length);
          },
        };
      }
    }
    dotsCache.set(vectors, d);
  }
  return d ?? undefined;
}

/** Hamming scores of every row of packed sign bits against a query's, in WebAssembly memory. */
export interface SimdHamming {
  /** `−hamming(row, q)` of every row (a view, valid until the next call). */
  score(q: Uint32Array): Float32Array;
}

/** {@link SimdHamming} over `bits` (`words` 32-bit words per row), or undefined where WebAssembly SIMD is not available. */
export function simdHamming(bits: Uint32Array, words: number): SimdHamming | undefined {
  const n = bits.length / words;
  const stride = Math.ceil((words * 4) / 16) * 16;
  const oQ = n * stride;
  const oOut = oQ + stride;
  const k = simdKernels(oOut + n * 4);
  if (!k) return undefined;
  const rows = new Uint32Array(k.memory.buffer, 0, (n * stride) / 4);
  const sw = stride / 4;
  for (let i = 0; i < n; i++) rows.set(bits.subarray(i * words, (i + 1) * words), i * sw); // padding words stay 0 in rows and query
  const q = new Uint32Array(k.memory.buffer, oQ, sw);
  const out = new Float32Array(k.memory.buffer, oOut, n);
  return {
    score(query) {
      q.set(query);
      k.hamming(0, n, stride, oQ, oOut);
      return out;
    },
  };
}
