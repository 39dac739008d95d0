/** Options every encoder takes: which model, which file variant, threads and batching. */
import type { Dtype, ModelPreset } from '../presets/types.ts';
import type { ExecutionProvider } from '../onnx/session.ts';
import type { BatchingOptions } from '../batching.ts';

/** How to load and run one model. */
export interface EncoderOptions {
  /** A preset id or hub id (`org/name[@revision]`), or a local folder with tokenizer.json and an ONNX file. */
  model: string;
  /**
   * Preset fields that override the preset, or give every field for a model without one
   * (at least `role` and the role's fields: pooling, activation, ...).
   */
  preset?: Partial<ModelPreset>;
  /**
   * ONNX file variant. int8 is faster on CPU at a small cost in accuracy; fp16 mainly helps on GPU.
   * @default 'fp32'
   */
  dtype?: Dtype;
  /**
   * ONNX Runtime intra-op threads.
   * @default os.availableParallelism()
   */
  threads?: number;
  /**
   * Execution provider.
   * @default 'cpu'
   */
  executionProvider?: ExecutionProvider;
  /**
   * Token budget per batch (padded length × batch size). See {@link BatchingOptions.maxTokens}.
   * @default 4096
   */
  batchTokens?: number;
  /**
   * Most sequences in one batch.
   * @default 64
   */
  maxBatchSize?: number;
  /**
   * Cost of one more batch in padded-token equivalents. See {@link BatchingOptions.batchOverhead}.
   * @default 16
   */
  batchOverhead?: number;
}
