/** The flags every model command shares (model, file variant, threads, batching, explicit preset fields), and their parsing. */
import { Option, type Command } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { BATCHING_DEFAULTS } from '../../models/batching.ts';
import type { EncoderOptions } from '../../models/encoders/options.ts';
import { ACTIVATIONS, DTYPES, POOLINGS, type Activation, type Dtype, type ModelPreset, type Pooling } from '../../models/presets/types.ts';

/** Parsed values of the shared model flags. */
export interface ModelFlags {
  model: string;
  dtype?: Dtype;
  threads?: number;
  batchTokens?: number;
  pooling?: Pooling;
  normalize?: boolean;
  activation?: Activation;
  labelIndex?: number;
  maxLength?: number;
  queryPrefix?: string;
  docPrefix?: string;
}

/** A commander argument parser for a positive integer flag. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a positive integer, got '${value}'`, { location: { field: flag } });
    return n;
  };
}

/** A commander argument parser for a non-negative integer flag. */
export function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new ShortlistError('INVALID_ARGUMENT', `${flag} must be a non-negative integer, got '${value}'`, { location: { field: flag } });
    return n;
  };
}

/** Add the shared model flags to `cmd`; `role` picks the preset fields that apply. */
export function addModelFlags(cmd: Command, role: 'bi-encoder' | 'cross-encoder'): Command {
  cmd
    .requiredOption('-m, --model <id|folder>', 'preset or hub id (org/name[@revision]) or a local model folder')
    .addOption(new Option('--dtype <dtype>', 'ONNX file variant to run').choices([...DTYPES]).default(DTYPES[0]))
    .option('--threads <n>', 'ONNX Runtime intra-op threads (default: all cores)', positiveInt('--threads'))
    .option(
      '--batch-tokens <n>',
      `token budget per batch: padded length × batch size (default ${BATCHING_DEFAULTS.maxTokens})`,
      positiveInt('--batch-tokens'),
    )
    .option(
      '--max-length <n>',
      "model window in tokens (default: the folder's sentence_bert_config.json max_seq_length or tokenizer_config.json model_max_length)",
      positiveInt('--max-length'),
    )
    .option('--query-prefix <text>', 'text prepended to queries, as the model card asks')
    .option('--doc-prefix <text>', 'text prepended to documents, as the model card asks');
  if (role === 'bi-encoder') {
    cmd
      .addOption(
        new Option('--pooling <kind>', "how token vectors become one vector (default: the folder's 1_Pooling/config.json)").choices([
          ...POOLINGS,
        ]),
      )
      .option('--normalize', "L2-normalise embeddings (default: whether the folder's modules.json has a Normalize module)");
  } else {
    cmd
      .addOption(
        new Option(
          '--activation <fn>',
          'how logits become a score: sigmoid, none (the raw logit) or softmax (the probability of --label-index) (default: the activation config.json records)',
        ).choices([...ACTIVATIONS]),
      )
      .option('--label-index <n>', 'with --activation softmax: the label whose probability is the score', nonNegativeInt('--label-index'));
  }
  return cmd;
}

/** Encoder options from parsed flags: explicit fields override the preset's. */
export function encoderOptions(flags: ModelFlags): EncoderOptions {
  return { model: flags.model, preset: presetFieldsOf(flags), dtype: flags.dtype, threads: flags.threads, batchTokens: flags.batchTokens };
}

/** The preset fields the flags give explicitly (each overrides the preset's). */
export function presetFieldsOf(flags: Omit<ModelFlags, 'model'>): Partial<ModelPreset> {
  return {
    pooling: flags.pooling,
    normalize: flags.normalize,
    activation: flags.activation,
    labelIndex: flags.labelIndex,
    maxLength: flags.maxLength,
    queryPrefix: flags.queryPrefix,
    documentPrefix: flags.docPrefix,
  };
}
