/**
 * Loading one model for an encoder: resolve the source to local files, settle the preset (table
 * entry, overridden or replaced by explicit fields), load the tokenizer and open the ONNX session.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cacheRoot, COMMIT_SHA, repoCache } from '../hub/cache.ts';
import { readFile } from 'node:fs/promises';
import { ShortlistError } from '../../core/errors.ts';
import { resolveBatching, type BatchingOptions } from '../batching.ts';
import { resolveModel } from '../hub/resolve.ts';
import { parseModelSource } from '../hub/source.ts';
import { OnnxSession } from '../onnx/session.ts';
import { readFolderSettings } from '../presets/folder.ts';
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
  const batching = resolveBatching({
    maxTokens: options.batchTokens,
    maxBatchSize: options.maxBatchSize,
    batchOverhead: options.batchOverhead,
  });
  const dtype = options.dtype ?? 'fp32';
  // A hub id without a table preset: fetch first, then read its sentence-transformers files. When
  // the fetch fails, explicit fields alone may still be enough (the fetch below then reports).
  let hubFolder: string | undefined;
  let fetchError: unknown;
  if (!findPreset(name) && parseModelSource(name).kind === 'hub') {
    hubFolder = await resolveModel(name, { dtype, preset: false }).then(
      (r) => r.dir,
      (err: unknown) => void (fetchError = err),
    );
  }
  let preset: ModelPreset;
  try {
    preset = settlePreset(name, role, options.preset ?? {}, hubFolder);
  } catch (err) {
    if (fetchError instanceof Error && err instanceof ShortlistError) {
      throw new ShortlistError(err.code, `${err.message} (its files could not be read: ${fetchError.message})`, { cause: fetchError });
    }
    throw err;
  }
  const resolved = await resolveModel(name, { dtype, preset });
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
 * The preset to run `model` as `role`: the table entry with explicit fields on top; for a model
 * the table does not know, what its folder says (`readFolderSettings`: a local folder, or `folder`,
 * the downloaded snapshot of a hub id) with explicit fields on top (a complete ColBERT `colbert`
 * block for multi-vector models). Without the needed fields the MODEL_ERROR names the files looked
 * at and the flags to give.
 */
export function settlePreset(model: string, role: ModelRole, fields: Partial<ModelPreset>, folder?: string): ModelPreset {
  return describePreset(model, role, fields, folder).preset;
}

/** A settled preset and, per field, where its value came from (`shortlist models inspect`). */
export interface SettledPreset {
  preset: ModelPreset;
  /** Field → `flag`, `preset table (…)`, a folder file and key, or `default`. */
  sources: Record<string, string>;
}

/** Like {@link settlePreset}, also saying where each setting came from. */
export function describePreset(model: string, role: ModelRole, fields: Partial<ModelPreset>, folder?: string): SettledPreset {
  const base = findPreset(model);
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ModelPreset>;
  const flagged = (sources: Record<string, string>) => {
    for (const k of Object.keys(given)) sources[k] = 'explicit field (flag, --*-preset or pipeline)';
    return sources;
  };
  if (base) {
    const preset = Object.freeze({ ...presetFromFlags(model, role, flagFields(given), base), ...given });
    const sources = Object.fromEntries(
      Object.keys(base)
        .filter((k) => k !== 'sources' && k !== 'unverified')
        .map((k) => [k, `preset table (${base.id})`]),
    );
    return { preset, sources: flagged(sources) };
  }
  if (role === 'multi-vector' && given.colbert) {
    const preset = Object.freeze({
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
    return { preset, sources: flagged({}) };
  }
  const source = parseModelSource(model);
  const dir =
    folder ??
    (source.kind === 'local' ? (existsSync(source.dir) ? source.dir : undefined) : cachedSnapshot(source.repo, source.revision ?? 'main'));
  const read = dir && role !== 'multi-vector' ? readFolderSettings(dir, role) : undefined;
  if (read?.role === 'cross-encoder' && role === 'bi-encoder') {
    throw new ShortlistError(
      'MODEL_ERROR',
      `model '${model}' is a cross-encoder (config.json architectures: sequence classification), not a bi-encoder; use it with \`shortlist rerank\` / --rerank-model`,
    );
  }
  const merged = { ...(read?.fields ?? {}), ...given };
  checkComplete(model, role, merged, dir);
  const preset = Object.freeze({ ...presetFromFlags(model, role, flagFields(merged)), ...merged });
  const sources: Record<string, string> = { ...(read?.sources ?? {}) };
  if (role === 'bi-encoder' && merged.normalize === undefined) sources.normalize = 'default (no modules.json: raw vectors)';
  return { preset, sources: flagged(sources) };
}

/** The cached snapshot folder of `repo@revision` (a hub id already fetched), or undefined; reads the cache only. */
function cachedSnapshot(repo: string, revision: string): string | undefined {
  const cache = repoCache(cacheRoot(), repo);
  let commit = COMMIT_SHA.test(revision) ? revision : undefined;
  if (!commit) {
    try {
      commit = readFileSync(cache.ref(revision), 'utf8').trim();
    } catch {
      return undefined;
    }
  }
  const dir = cache.snapshot(commit);
  return existsSync(dir) ? dir : undefined;
}

/** What each required field is read from, and the flag and serve form that give it. */
const WHERE: Readonly<Record<string, { files: string; flag: string; serve: (role: ModelRole) => string }>> = Object.freeze({
  maxLength: {
    files: 'sentence_bert_config.json (max_seq_length) or tokenizer_config.json (model_max_length)',
    flag: '--max-length N',
    serve: (role: ModelRole) => `--${role === 'cross-encoder' ? 'rerank' : 'embed'}-preset '{"maxLength":N}'`,
  },
  pooling: {
    files: 'modules.json + 1_Pooling/config.json (pooling_mode_*)',
    flag: '--pooling cls|mean|max|last',
    serve: () => `--embed-preset '{"pooling":"mean"}'`,
  },
  activation: {
    files: 'config.json (sentence_transformers.activation_fn, sbert_ce_default_activation_function, or num_labels 1)',
    flag: '--activation sigmoid|none',
    serve: () => `--rerank-preset '{"activation":"sigmoid"}'`,
  },
});

function checkComplete(model: string, role: ModelRole, merged: Partial<ModelPreset>, dir: string | undefined): void {
  const need = role === 'bi-encoder' ? ['pooling', 'maxLength'] : role === 'cross-encoder' ? ['activation', 'maxLength'] : [];
  const absent = need.filter((k) => merged[k as keyof ModelPreset] === undefined);
  if (absent.length === 0) return;
  const what = dir ? `model folder ${model}` : `model '${model}' (no preset, no folder read)`;
  const parts = absent.map(
    (k) => `${k}: ${dir ? `the folder has no ${WHERE[k].files}; ` : ''}give ${WHERE[k].flag} (serve: ${WHERE[k].serve(role)})`,
  );
  throw new ShortlistError('MODEL_ERROR', `${what} does not say how to run it as a ${role}: ${parts.join('; ')}`);
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
