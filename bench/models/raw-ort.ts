/**
 * Raw onnxruntime-node baselines: the same tokens shortlist feeds (shortlist's TextTokenizer), run
 * either as one batch padded to the longest input (what a plain "tokenize with padding, run once"
 * integration does) or as length-sorted batches under a token budget. Session options are
 * parameters, so the bench can try what the encoders should use.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { TextTokenizer } from '../../src/models/tokenize/index.ts';

/** How a raw baseline batches and which session options it uses. */
export interface RawOrtOptions {
  /** `longest`: one batch padded to the longest input; `sorted`: length-sorted batches within `batchTokens`. */
  padding: 'longest' | 'sorted';
  /** Padded tokens per batch (sorted only). @default 4096 */
  batchTokens?: number;
  /** Most inputs per batch (sorted only); 1 runs every input alone, with no padding at all. @default 64 */
  maxBatch?: number;
  /** ONNX Runtime intra-op threads. @default os.availableParallelism() */
  threads?: number;
  /** Session `graphOptimizationLevel`. @default 'all' */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Session `enableCpuMemArena`. @default true */
  memArena?: boolean;
  /** Session `enableMemPattern`. @default true */
  memPattern?: boolean;
  /** Session `executionMode`. @default 'sequential' */
  executionMode?: 'sequential' | 'parallel';
  /** Session `interOpNumThreads` (used by `parallel` mode). @default 1 */
  interOpThreads?: number;
  /**
   * Session config entries passed as `extra` (the Node binding sets each `a.b.c` key with
   * AddConfigEntry), e.g. `{'session.intra_op.allow_spinning': '0'}`.
   * @default {}
   */
  config?: Record<string, string>;
}

/** One token sequence as the graph takes it. */
interface Seq {
  ids: number[];
  typeIds: number[];
}

/** A raw ONNX Runtime runner for one model file. */
export class RawOrt {
  readonly #session: ort.InferenceSession;
  readonly #tokenizer: TextTokenizer;
  readonly #options: RawOrtOptions;
  readonly #output: string;
  /** Padded tokens of the last run. */
  lastPadded = 0;

  private constructor(session: ort.InferenceSession, tokenizer: TextTokenizer, options: RawOrtOptions, output: string) {
    this.#session = session;
    this.#tokenizer = tokenizer;
    this.#options = options;
    this.#output = output;
  }

  /** Open `onnxPath` with the tokenizer of `folder`. */
  static async create(folder: string, onnxPath: string, output: string, options: RawOrtOptions): Promise<RawOrt> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? availableParallelism(),
      interOpNumThreads: options.interOpThreads ?? 1,
      graphOptimizationLevel: options.optimization ?? 'all',
      enableCpuMemArena: options.memArena ?? true,
      enableMemPattern: options.memPattern ?? true,
      executionMode: options.executionMode ?? 'sequential',
      extra: { ...options.config },
    };
    const session = await ort.InferenceSession.create(onnxPath, sessionOptions);
    return new RawOrt(session, await TextTokenizer.fromFolder(folder), options, output);
  }

  /** Logit 0 of each (query, doc) pair, in input order. */
  async scorePairs(query: string, docs: readonly string[], maxLength: number): Promise<number[]> {
    const seqs = docs.map((d) => this.#tokenizer.encodePair(query, d, maxLength)) as Seq[];
    return this.#runAll(seqs, (out, _length, row) => (out.data as Float32Array)[row * (out.dims[1] ?? 1)]);
  }

  /** CLS-pooled, L2-normalised embeddings, in input order. */
  async embedCls(texts: readonly string[], maxLength: number): Promise<Float32Array[]> {
    const seqs = texts.map((t) => this.#tokenizer.encode(t, maxLength)) as Seq[];
    return this.#runAll(seqs, (out, length, row) => {
      const h = out.dims[2];
      const v = (out.data as Float32Array).slice(row * length * h, row * length * h + h);
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < h; i++) v[i] /= norm;
      return v;
    });
  }

  /** Release the session. */
  async dispose(): Promise<void> {
    await this.#session.release();
  }

  async #runAll<T>(seqs: Seq[], pick: (out: ort.Tensor, length: number, row: number) => T): Promise<T[]> {
    const results = new Array<T>(seqs.length);
    this.lastPadded = 0;
    for (const batch of this.#plan(seqs)) {
      const length = Math.max(...batch.map((i) => seqs[i].ids.length));
      const out = await this.#run(seqs, batch, length);
      batch.forEach((index, row) => (results[index] = pick(out, length, row)));
      this.lastPadded += length * batch.length;
    }
    return results;
  }

  /** Batches of input indices: all at once, or longest-first greedy cuts within the token budget. */
  #plan(seqs: Seq[]): number[][] {
    const all = seqs.map((_, i) => i);
    if (this.#options.padding === 'longest') return [all];
    const budget = this.#options.batchTokens ?? 4096;
    const maxBatch = this.#options.maxBatch ?? 64;
    all.sort((a, b) => seqs[b].ids.length - seqs[a].ids.length || a - b);
    const batches: number[][] = [];
    let current: number[] = [];
    for (const i of all) {
      const length = current.length ? seqs[current[0]].ids.length : seqs[i].ids.length;
      if (current.length && (current.length >= maxBatch || length * (current.length + 1) > budget)) {
        batches.push(current);
        current = [];
      }
      current.push(i);
    }
    if (current.length) batches.push(current);
    return batches;
  }

  async #run(seqs: Seq[], batch: number[], length: number): Promise<ort.Tensor> {
    const n = batch.length;
    const ids = new BigInt64Array(n * length).fill(BigInt(this.#tokenizer.padId));
    const mask = new BigInt64Array(n * length);
    const types = new BigInt64Array(n * length);
    batch.forEach((index, row) => {
      const s = seqs[index];
      for (let t = 0; t < s.ids.length; t++) {
        ids[row * length + t] = BigInt(s.ids[t]);
        mask[row * length + t] = 1n;
        types[row * length + t] = BigInt(s.typeIds[t] ?? 0);
      }
    });
    const shape = [n, length];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, shape),
      attention_mask: new ort.Tensor('int64', mask, shape),
    };
    if (this.#session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', types, shape);
    return (await this.#session.run(feeds, [this.#output]))[this.#output];
  }
}
