/** Messages between the bench parent (run.ts) and one worker child per system (worker.ts). */
import type { PeakSample } from './matmul-peak.ts';
import type { SystemInputs, SystemSpec } from './systems.ts';

/** The MatMul peak probe runs in a worker of its own under this id. */
export const PEAK_ID = 'matmul-peak';

/** Parent → worker. */
export type ToWorker =
  | { type: 'init'; spec: SystemSpec | typeof PEAK_ID; inputs: SystemInputs; query: string; docs: string[] }
  /** Run on the first `n` documents; `keep` sends the output values back. For the peak probe, `n` is a budget in ms. */
  | { type: 'run'; n: number; keep: boolean }
  | { type: 'exit' };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready'; loadMs: number }
  /** `cpuMs`: CPU time of the worker process (all threads, spinning included) during the run. */
  | {
      type: 'result';
      ms: number;
      cpuMs: number;
      values?: number[] | Float32Array[];
      paddedTokens?: number;
      tokens?: number;
      peak?: Record<string, PeakSample>;
    }
  | { type: 'bye'; maxRssMB: number }
  | { type: 'error'; message: string };
