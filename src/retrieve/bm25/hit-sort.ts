/**
 * Ranking hits with one native sort: each (doc, float32 score) becomes a 64-bit key whose unsigned
 * order is result order (score descending, then document number ascending), so
 * `BigUint64Array.prototype.sort` (no comparator, sorted natively by V8) ranks n hits in one call,
 * several times faster than draining a heap in JavaScript. Keys are written and read through 32-bit
 * views of the same buffer, so no BigInt is ever created.
 *
 *   high word = ~ordered(float32 bits of score)   (ordered: unsigned order = numeric order)
 *   low word  = doc number
 *
 * `ordered` flips the sign bit of non-negative floats and every bit of negative ones (the usual
 * total order on IEEE floats); −0 is taken as +0 first, so the order equals `===` on scores.
 * Scores must be float32 values and not NaN.
 */
import type { TopK } from './topk.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index of a key's high / low 32-bit word within its pair in a Uint32Array view. */
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** A reusable buffer of hit keys; grows on demand and is never shrunk. */
export class HitSorter {
  private keys: BigUint64Array;
  private words: Uint32Array;
  private floats: Float32Array;
  /** Scratch for turning a key's high word back into a score. */
  private readonly bits = new Uint32Array(1);
  private readonly bitsAsFloat = new Float32Array(this.bits.buffer);
  /** With `views`: the arrays {@link top} writes into and returns views of. */
  private outDocs: Uint32Array | null = null;
  private outScores: Float64Array | null = null;
  private pooled: HitHeap | null = null;

  /**
   * A sorter with room for `capacity` hits (it grows past that when needed). With `views`,
   * {@link top} returns views of arrays the sorter reuses, valid until its next call: no
   * allocation per result, for callers that copy the hits at once (a search over segments).
   */
  constructor(
    capacity = 0,
    private readonly views = false,
  ) {
    this.keys = new BigUint64Array(Math.max(1, capacity));
    this.words = new Uint32Array(this.keys.buffer);
    this.floats = new Float32Array(this.keys.buffer);
  }

  /** A heap for the best k hits, emptied; one heap reused by every call (never two at once). */
  heap(k: number): HitHeap {
    if (!this.pooled || this.pooled.capacity < k) this.pooled = new HitHeap(Math.max(k, 16));
    this.pooled.reset(k);
    return this.pooled;
  }

  /** Makes room for `n` hits; call before {@link set} with positions below `n`. */
  reserve(n: number): void {
    if (n <= this.keys.length) return;
    let size = this.keys.length;
    while (size < n) size *= 2;
    this.keys = new BigUint64Array(size);
    this.words = new Uint32Array(this.keys.buffer);
    this.floats = new Float32Array(this.keys.buffer);
  }

  /** Writes hit `i`: document number `doc` with float32 `score`. */
  set(i: number, doc: number, score: number): void {
    const hi = 2 * i + HI;
    this.floats[hi] = score + 0; // −0 + 0 = +0
    const u = this.words[hi];
    // Ordered key (u ^ (u >> 31 | 0x80000000)), complemented so that better scores sort first.
    this.words[hi] = ~(u ^ ((u >> 31) | 0x80000000));
    this.words[2 * i + LO] = doc;
  }

  /** Sorts hits `0..n` and returns the best `k` of them, best first. */
  top(n: number, k: number): TopK {
    this.keys.subarray(0, n).sort();
    const m = Math.min(n, Math.max(0, k));
    let docs: Uint32Array;
    let scores: Float64Array;
    if (this.views) {
      if (!this.outDocs || this.outDocs.length < m) {
        this.outDocs = new Uint32Array(Math.max(m, 1024));
        this.outScores = new Float64Array(this.outDocs.length);
      }
      docs = this.outDocs.subarray(0, m);
      scores = this.outScores!.subarray(0, m);
    } else {
      docs = new Uint32Array(m);
      scores = new Float64Array(m);
    }
    const { words, bits, bitsAsFloat } = this;
    for (let i = 0; i < m; i++) {
      const t = ~words[2 * i + HI]; // the ordered key, as int32
      bits[0] = t < 0 ? t ^ 0x80000000 : ~t; // sign bit set ⇔ the score was ≥ 0
      scores[i] = bitsAsFloat[0];
      docs[i] = words[2 * i + LO];
    }
    return { docs, scores };
  }
}

/** A bounded min-heap of (doc, score) whose root is the worst kept hit (lowest score, then largest id). */
export class HitHeap {
  readonly docs: Int32Array;
  readonly scores: Float64Array;
  size = 0;
  /** Room for this many hits; {@link reset} may lower k below it. */
  readonly capacity: number;
  constructor(private k: number) {
    this.capacity = k;
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
  }
  /** Empties the heap and keeps the best `k` (at most {@link capacity}) from now on. */
  reset(k: number): void {
    if (k > this.capacity) throw new RangeError(`heap capacity ${this.capacity} < ${k}`);
    this.k = k;
    this.size = 0;
  }
  get full(): boolean {
    return this.size === this.k;
  }
  /** The lowest kept score (−∞ until the heap is full). */
  get threshold(): number {
    return this.size === this.k && this.k > 0 ? this.scores[0] : -Infinity;
  }
  /** Whether hit a ranks below hit b: lower score, or equal score and larger id (= larger number). */
  private worse(da: number, sa: number, db: number, sb: number): boolean {
    return sa < sb || (sa === sb && da > db);
  }
  /** Offers a hit; returns whether it was kept. */
  offer(doc: number, score: number): boolean {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(doc, score, this.docs[parent], this.scores[parent])) break;
        this.docs[i] = this.docs[parent];
        this.scores[i] = this.scores[parent];
        i = parent;
      }
      this.docs[i] = doc;
      this.scores[i] = score;
      return true;
    }
    if (this.k === 0 || this.worse(doc, score, this.docs[0], this.scores[0])) return false;
    this.siftDown(doc, score);
    return true;
  }
  /** The kept hits, best first, ranked with one native sort in `sorter` (leaves the heap as is). */
  ranked(sorter: HitSorter): TopK {
    sorter.reserve(this.size);
    for (let i = 0; i < this.size; i++) sorter.set(i, this.docs[i], this.scores[i]);
    return sorter.top(this.size, this.size);
  }
  /** Puts (doc, score) at the root and sifts it down to its place. */
  private siftDown(doc: number, score: number): void {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      let c = l;
      if (r < this.size && this.worse(this.docs[r], this.scores[r], this.docs[l], this.scores[l])) c = r;
      if (!this.worse(this.docs[c], this.scores[c], doc, score)) break;
      this.docs[i] = this.docs[c];
      this.scores[i] = this.scores[c];
      i = c;
    }
    this.docs[i] = doc;
    this.scores[i] = score;
  }
}
