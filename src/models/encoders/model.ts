/**
 * Loading one model for an encoder: resolve the source to local files, settle the preset (table
 * entry, overridden or replaced by explicit fields), load the tokenizer and open the ONNX session.
 */
import { readFile } from 'node:fs/promises';
import { ShortlistError } from '../../core/errors.ts';
import { resolveBatching, type BatchingOptions } from '../batching.ts';
import { resolveModel } from '../hub/resolve.ts';
import { OnnxSession } from '../onnx/session.ts';
import { findPreset, presetFromFlags, type PresetFields } from '../presets/index.ts';
import type { ModelPreset, ModelRole } from '../presets/types.ts';
import { TextTokenizer } from '../tokenize/index.ts';
import type { EncoderOptions } from './options.ts';

/** A model ready to run: its preset, tokenizer, session and batching settings. */
export interface LoadedModel {
  /** The model as the user named it (hub id or folder). */
  name: string;
  preset: ModelPreset;
  tokenizer: TextTokenizer;
  session: OnnxSession;
  batching: Required<BatchingOptions>;
}

/** Output read per role when the preset does not say. */
const DEFAULT_OUTPUT: Readonly<Record<ModelRole, string>> = Object.freeze({
  'bi-encoder': 'last_hidden_state',
  'cross-encoder': 'logits',
  'multi-vector': 'last_hidden_state',
});

/** Resolve, tokenize and open `options.model` as a model of `role`. */
export async function loadModel(options: EncoderOptions, role: ModelRole): Promise<LoadedModel> {
  const name = options.model;
  const batching = resolveBatching({ maxTokens: options.batchTokens, maxBatchSize: options.maxBatchSize, batchOverhead: options.batchOverhead });
  const preset = settlePreset(name, role, options.preset ?? {});
  const resolved = await resolveModel(name, { dtype: options.dtype ?? 'fp32', preset });
  const tokenizer = await TextTokenizer.fromFolder(resolved.dir);
  const full = await withGraphDefaults(preset, resolved.files.config);
  const session = await OnnxSession.create({
    path: resolved.files.onnx,
    modelName: name,
    inputs: full.inputs,
    output: full.output,
    threads: options.threads,
    executionProvider: options.executionProvider,
  });
  return { name, preset: full, tokenizer, session, batching };
}

/**
 * The preset to run `model` as `role`: the table entry with explicit fields on top, or, for a model
 * the table does not know, a preset made of the explicit fields (a complete ColBERT `colbert` block
 * included). Unknown models without the needed fields are a MODEL_ERROR naming them.
 */
export function settlePreset(model: string, role: ModelRole, fields: Partial<ModelPreset>): ModelPreset {
  const base = findPreset(model);
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ModelPreset>;
  if (base) {
    const preset = presetFromFlags(model, role, flagFields(given), base);
    return Object.freeze({ ...preset, ...given });
  }
  if (role === 'multi-vector' && given.colbert) {
    return Object.freeze({
      id: model,
      role,
      onnxRepo: model,
      onnxFiles: {},
      inputs: [],
      output: DEFAULT_OUTPUT[role],
      maxLength: given.colbert.documentLength,
      sources: ['explicit fields'],
      ...given,
    });
  }
  return Object.freeze({ ...presetFromFlags(model, role, flagFields(given)), ...given });
}

function flagFields(p: Partial<ModelPreset>): PresetFields {
  const { pooling, normalize, activation, labelIndex, maxLength, queryPrefix, documentPrefix, dims } = p;
  return { pooling, normalize, activation, labelIndex, maxLength, queryPrefix, documentPrefix, dims };
}

/**
 * Fill what a preset built from flags leaves open: the output by role, and `inputs` from the graph
 * (an empty list means "whatever the graph takes"). `maxLength` must not exceed the model's
 * position embeddings (config.json), which would fail deep inside the graph.
 */
async function withGraphDefaults(preset: ModelPreset, configPath: string | undefined): Promise<ModelPreset> {
  const out = { ...preset, output: preset.output || DEFAULT_OUTPUT[preset.role] };
  if (configPath) {
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { max_position_embeddings?: number };
    const positions = config.max_position_embeddings;
    if (typeof positions === 'number' && out.maxLength > positions) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `${preset.id}: maxLength ${out.maxLength} exceeds the model's ${positions} position embeddings (config.json max_position_embeddings); lower --max-length`,
        { location: { file: configPath, field: 'max_position_embeddings' } },
      );
    }
  }
  return Object.freeze(out);
}
