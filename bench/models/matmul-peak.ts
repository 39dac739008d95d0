/**
 * The ONNX Runtime MatMul peak of this machine at a given thread count: one-node MatMul graphs
 * (A fed as input, B a constant weight, as in a transformer's dense layers) built with `onnx-proto`,
 * each run back to back; the peak is the best sustained GFLOP/s of any shape in any round. The bench measures it in the same
 * process run as the models so "% of peak" compares like with like on a shared machine.
 */
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { matmulFlops } from './flops.ts';

const { onnx } = onnxProto;

/** The MatMul sizes tried: [m, k, n] — the FFN-in shape of MiniLM/bge-small at 512 and 4096 tokens, and FFN-out. */
export const PEAK_SHAPES: ReadonlyArray<readonly [number, number, number]> = Object.freeze([
  [512, 384, 1536],
  [4096, 384, 1536],
  [4096, 1536, 384],
]);

/** Serialised ONNX model computing `Y = A · B` for A [m,k] (input) and constant B [k,n]. */
export function matmulModel(m: number, k: number, n: number): Uint8Array {
  const b = new Float32Array(k * n);
  let seed = 1;
  for (let i = 0; i < b.length; i++) b[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.1;
  const T = onnx.TensorProto.DataType.FLOAT;
  const info = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: T, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'shortlist-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'matmul',
      node: [{ opType: 'MatMul', name: 'MatMul', input: ['A', 'B'], output: ['Y'] }],
      initializer: [{ name: 'B', dims: [k, n], dataType: T, rawData: new Uint8Array(b.buffer) }],
      input: [info('A', [m, k])],
      output: [info('Y', [m, n])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Sustained GFLOP/s of one shape: per wall-clock second and per CPU-second of this process (all threads). */
export interface PeakSample {
  wall: number;
  cpu: number;
}

/** One probe shape with its session and input. */
interface PeakCase {
  shape: readonly [number, number, number];
  session: ort.InferenceSession;
  feeds: Record<string, ort.Tensor>;
}

/** A MatMul peak probe: sessions for every {@link PEAK_SHAPES} entry. */
export class MatMulPeak {
  readonly #cases: PeakCase[];

  private constructor(cases: PeakCase[]) {
    this.#cases = cases;
  }

  /** Open one session per shape with `threads` intra-op threads. */
  static async create(threads: number): Promise<MatMulPeak> {
    const cases: PeakCase[] = [];
    for (const shape of PEAK_SHAPES) {
      const [m, k] = shape;
      const session = await ort.InferenceSession.create(matmulModel(...shape), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      const a = new Float32Array(m * k).map((_, i) => ((i % 97) - 48) / 97);
      cases.push({ shape, session, feeds: { A: new ort.Tensor('float32', a, [m, k]) } });
    }
    return new MatMulPeak(cases);
  }

  /**
   * Run every shape back to back for about `budgetMs` in all and return, per shape, the sustained
   * GFLOP/s (all FLOPs over all the time, like a model run of the same length), not the luckiest
   * single call: on a shared machine a 2 ms call can land in an idle moment a 2 s model run never gets.
   */
  async measure(budgetMs: number): Promise<Record<string, PeakSample>> {
    const out: Record<string, PeakSample> = {};
    const each = budgetMs / this.#cases.length;
    for (const { shape, session, feeds } of this.#cases) {
      const flops = matmulFlops(...shape);
      await session.run(feeds); // warm-up
      let calls = 0;
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      let elapsed = 0;
      while (calls < 3 || elapsed < each) {
        await session.run(feeds);
        calls++;
        elapsed = performance.now() - started;
      }
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      out[shape.join('x')] = { wall: (flops * calls) / elapsed / 1e6, cpu: (flops * calls) / cpuMs / 1e6 };
    }
    return out;
  }

  /** Release the sessions. */
  async dispose(): Promise<void> {
    for (const c of this.#cases) await c.session.release();
  }
}
