/**
 * One ONNX Runtime session per model file: thread settings, full graph optimisation, the execution
 * provider, a check of the graph's inputs against what the preset says, and an explicit
 * `create` / `dispose` lifecycle.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { ShortlistError } from '../../core/errors.ts';
import { lazyPackage } from '../../core/optional.ts';

/** ONNX Runtime loads with the first session (an optional peer dependency). */
const loadOrt = lazyPackage('onnxruntime-node', () => import('onnxruntime-node'));

/** Where the graph runs. */
export type ExecutionProvider = 'cpu' | 'cuda';

/** Options of {@link OnnxSession.create}. */
export interface OnnxSessionOptions {
  /** Path of the `.onnx` file. */
  path: string;
  /** Model name used in error messages (hub id or folder). */
  modelName: string;
  /** Input names the preset says the graph takes; any difference is a `MODEL_ERROR`. Empty: take the graph's. */
  inputs: readonly string[];
  /** Output to read, e.g. `last_hidden_state` or `logits`. */
  output: string;
  /**
   * Threads one inference uses (ONNX Runtime intra-op threads). More threads help large batches
   * until they compete with other work on the machine.
   * @default os.availableParallelism()
   */
  threads?: number;
  /**
   * Execution provider. `cuda` needs the CUDA build of onnxruntime-node
   * (`npm install onnxruntime-node --onnxruntime-node-install=cuda12`).
   * @default 'cpu'
   */
  executionProvider?: ExecutionProvider;
}

/** One padded batch as the graph takes it: row-major `[batch, length]` int64 ids and masks. */
export interface BatchFeeds {
  batch: number;
  length: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** Segment ids; zeros are used when absent and the graph takes them. */
  tokenTypeIds?: BigInt64Array;
}

/** A float output with its shape. */
export interface FloatOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** The inputs every transformer graph shortlist runs must have. */
const REQUIRED_INPUTS = ['input_ids', 'attention_mask'] as const;
/** Inputs shortlist knows how to fill. */
const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'token_type_ids']);

/** An ONNX Runtime session for one transformer graph. Build with `create`, release with `dispose`. */
export class OnnxSession {
  /** Whether the graph takes `token_type_ids`. */
  readonly takesTokenTypes: boolean;
  /** Threads one inference uses. */
  readonly threads: number;
  #session: Ort.InferenceSession | undefined;
  readonly #output: string;
  readonly #modelName: string;
  readonly #ort: typeof Ort;

  private constructor(ort: typeof Ort, session: Ort.InferenceSession, options: OnnxSessionOptions, threads: number) {
    this.#ort = ort;
    this.#session = session;
    this.#output = options.output;
    this.#modelName = options.modelName;
    this.threads = threads;
    this.takesTokenTypes = session.inputNames.includes('token_type_ids');
  }

  /** Load the graph, optimise it fully and check its inputs and output against the preset. */
  static async create(options: OnnxSessionOptions): Promise<OnnxSession> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ShortlistError('INVALID_ARGUMENT', `threads must be a positive integer, got ${threads}`);
    }
    const provider = options.executionProvider ?? 'cpu';
    if (provider === 'cuda' && !cudaInstalled()) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `${options.modelName}: the CUDA execution provider is not installed (onnxruntime-node has no libonnxruntime_providers_cuda here). ` +
          'Install the CUDA build with `npm install onnxruntime-node --onnxruntime-node-install=cuda12`, or use the cpu provider.',
      );
    }
    const ort = await loadOrt();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(options.path, {
        executionProviders: [provider],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (cause) {
      if (provider === 'cuda') {
        throw new ShortlistError(
          'MODEL_ERROR',
          `${options.modelName}: the CUDA execution provider is not available (${firstLine(cause)}). ` +
            'Install the CUDA build with `npm install onnxruntime-node --onnxruntime-node-install=cuda12`, or use the cpu provider.',
          { cause },
        );
      }
      throw new ShortlistError('MODEL_ERROR', `${options.modelName}: cannot load ONNX file ${options.path}: ${firstLine(cause)}`, {
        cause,
      });
    }
    try {
      checkGraph(session, options);
    } catch (err) {
      await session.release();
      throw err;
    }
    return new OnnxSession(ort, session, options, threads);
  }

  /** Run one padded batch and return the configured output. */
  async run(feeds: BatchFeeds): Promise<FloatOutput> {
    const session = this.#session;
    if (!session) throw new ShortlistError('INVALID_ARGUMENT', `${this.#modelName}: session used after dispose()`);
    const shape = [feeds.batch, feeds.length];
    const ort = this.#ort;
    const inputs: Record<string, Ort.Tensor> = {
      input_ids: new ort.Tensor('int64', feeds.inputIds, shape),
      attention_mask: new ort.Tensor('int64', feeds.attentionMask, shape),
    };
    if (this.takesTokenTypes) {
      inputs.token_type_ids = new ort.Tensor('int64', feeds.tokenTypeIds ?? new BigInt64Array(feeds.inputIds.length), shape);
    }
    const result = await session.run(inputs, [this.#output]);
    const out = result[this.#output];
    if (out.type === 'float32') return { data: out.data as Float32Array, dims: out.dims };
    if (out.type === 'float16') return { data: halfToFloat(out.data as ArrayLike<number>), dims: out.dims };
    throw new ShortlistError('MODEL_ERROR', `${this.#modelName}: output ${this.#output} is ${out.type}, expected float32 or float16`);
  }

  /** Release the native session. Safe to call twice. */
  async dispose(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session) await session.release();
  }
}

/** Compare the graph's inputs and outputs with the preset; a mismatch names the model and the input. */
function checkGraph(session: Ort.InferenceSession, options: OnnxSessionOptions): void {
  const graph = new Set(session.inputNames);
  const expected = options.inputs.length > 0 ? new Set(options.inputs) : graph;
  const missing = [...expected].filter((name) => !graph.has(name));
  const unexpected = [...graph].filter((name) => !expected.has(name));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      missing.length > 0 ? `the graph lacks input(s) ${missing.join(', ')}` : '',
      unexpected.length > 0 ? `the graph takes input(s) ${unexpected.join(', ')} the preset does not list` : '',
    ].filter(Boolean);
    throw new ShortlistError(
      'MODEL_ERROR',
      `${options.modelName}: ${parts.join('; ')} (graph inputs: ${session.inputNames.join(', ')}; ` +
        `preset inputs: ${options.inputs.join(', ')}). Fix the preset's \`inputs\` field or use the matching ONNX file.`,
    );
  }
  for (const name of REQUIRED_INPUTS) {
    if (!graph.has(name)) {
      throw new ShortlistError('MODEL_ERROR', `${options.modelName}: the graph has no ${name} input; shortlist needs it`);
    }
  }
  const unknown = [...graph].filter((name) => !KNOWN_INPUTS.has(name));
  if (unknown.length > 0) {
    throw new ShortlistError(
      'MODEL_ERROR',
      `${options.modelName}: the graph takes input(s) ${unknown.join(', ')} that shortlist cannot fill (it fills ${[...KNOWN_INPUTS].join(', ')})`,
    );
  }
  if (!session.outputNames.includes(options.output)) {
    throw new ShortlistError(
      'MODEL_ERROR',
      `${options.modelName}: the graph has no output ${options.output} (outputs: ${session.outputNames.join(', ')}). Fix the preset's \`output\` field.`,
    );
  }
}

/** Whether onnxruntime-node's CUDA provider library sits next to its native binding (Linux builds). */
function cudaInstalled(): boolean {
  if (process.platform !== 'linux') return true; // let ONNX Runtime decide and report
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  const binDir = join(root, 'bin', `napi-v6`, process.platform, process.arch);
  return existsSync(join(binDir, 'libonnxruntime_providers_cuda.so'));
}

/** Widen IEEE 754 half-precision values (raw bits, or numbers where Float16Array exists) to float32. */
export function halfToFloat(data: ArrayLike<number>): Float32Array {
  if (!(data instanceof Uint16Array)) return Float32Array.from(data);
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const h = data[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] = exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
