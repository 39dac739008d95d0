/**
 * Preset lookup: the frozen table in `table.ts`, a strict `getPreset`, and `presetFromFlags` for
 * models the table does not know (or to override one of its fields).
 */
import { ShortlistError } from '../../core/errors.ts';
import { ALIASES, PRESETS, type PresetId } from './table.ts';
import { ACTIVATIONS, type Activation, type ModelPreset, type ModelRole, type Pooling } from './types.ts';

export { ALIASES, PRESETS, type PresetId } from './table.ts';
export { readFolderSettings, type FolderSettings } from './folder.ts';
export type * from './types.ts';

/** Every preset id, in table order. */
export const PRESET_IDS: readonly PresetId[] = Object.freeze(Object.keys(PRESETS) as PresetId[]);

const ALL: readonly ModelPreset[] = Object.values(PRESETS as Record<string, ModelPreset>);
const BY_LOWER = new Map<string, ModelPreset>([
  ...ALL.map((p) => [p.id.toLowerCase(), p] as const),
  ...Object.entries(ALIASES).map(([alias, id]) => [alias.toLowerCase(), PRESETS[id] as ModelPreset] as const),
]);

/** The preset for a hub id or alias (case-insensitive, any `@revision` ignored), or undefined. */
export function findPreset(id: string): ModelPreset | undefined {
  return BY_LOWER.get(id.split('@')[0].trim().toLowerCase());
}

/** The preset whose ONNX files live in `repo` (e.g. `Xenova/bge-small-en-v1.5`), or undefined. */
export function findPresetByOnnxRepo(repo: string): ModelPreset | undefined {
  const r = repo.toLowerCase();
  return ALL.find((p) => p.onnxRepo.toLowerCase() === r);
}

/** The preset for `id`; unknown ids throw MODEL_ERROR listing the known ids and the fields to give instead. */
export function getPreset(id: string): ModelPreset {
  const preset = findPreset(id);
  if (preset) return preset;
  throw new ShortlistError(
    'MODEL_ERROR',
    `no preset for model '${id}'. Known presets: ${PRESET_IDS.join(', ')}. ` +
      `For another model give its fields explicitly: --pooling cls|mean|max|last, --normalize and --max-length for an embedding model; ` +
      `--activation sigmoid|none and --max-length for a cross-encoder; --query-prefix / --doc-prefix where its card asks for them`,
  );
}

/** Fields a user may give explicitly (CLI flags, config); each overrides the preset's. */
export interface PresetFields {
  /** Bi-encoder pooling. */
  pooling?: Pooling;
  /** L2-normalise embeddings. */
  normalize?: boolean;
  /** Cross-encoder score activation. */
  activation?: Activation;
  /** With `activation: 'softmax'`, the label whose probability is the score. */
  labelIndex?: number;
  /** Model window in tokens. */
  maxLength?: number;
  /** Text prepended to queries. */
  queryPrefix?: string;
  /** Text prepended to documents. */
  documentPrefix?: string;
  /** Embedding dimension, when known. */
  dims?: number;
}

const REQUIRED: Readonly<Record<ModelRole, readonly (keyof PresetFields)[]>> = Object.freeze({
  'bi-encoder': ['pooling', 'maxLength'],
  'cross-encoder': ['activation', 'maxLength'],
  'multi-vector': [],
});

const FLAG: Readonly<Record<keyof PresetFields, string>> = Object.freeze({
  pooling: '--pooling cls|mean|max|last',
  normalize: '--normalize',
  activation: '--activation sigmoid|none',
  labelIndex: '--label-index N',
  maxLength: '--max-length N',
  queryPrefix: '--query-prefix TEXT',
  documentPrefix: '--doc-prefix TEXT',
  dims: '--dims N',
});

/**
 * The preset to run `model` (hub id or folder) as `role`: the table's entry (when `model` has one)
 * with every given field overriding it; otherwise a preset built from the fields alone, which must
 * include pooling + maxLength (bi-encoder) or activation + maxLength (cross-encoder). ColBERT models
 * need a table entry (marker tokens and query length are not flags).
 */
export function presetFromFlags(
  model: string,
  role: ModelRole,
  fields: PresetFields = {},
  base: ModelPreset | undefined = findPreset(model),
): ModelPreset {
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as PresetFields;
  validate(model, given);
  if (base) {
    if (base.role !== role) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `model '${model}' is a ${base.role} (preset ${base.id}), not a ${role}; use it with the matching command`,
      );
    }
    return Object.freeze({ ...base, ...given });
  }
  if (role === 'multi-vector') {
    throw new ShortlistError(
      'MODEL_ERROR',
      `model '${model}' has no preset and a multi-vector (ColBERT) model cannot be described by flags; use one of: ${ALL.filter(
        (p) => p.role === 'multi-vector',
      )
        .map((p) => p.id)
        .join(', ')}`,
    );
  }
  const absent = REQUIRED[role].filter((k) => given[k] === undefined);
  if (absent.length) {
    throw new ShortlistError(
      'MODEL_ERROR',
      `model '${model}' has no preset, so its ${role} settings must be given: missing ${absent.map((k) => `${k} (${FLAG[k]})`).join(', ')}. Known presets: ${ALL.filter(
        (p) => p.role === role,
      )
        .map((p) => p.id)
        .join(', ')}`,
    );
  }
  return Object.freeze({
    id: model,
    role,
    onnxRepo: model,
    onnxFiles: {},
    inputs: [],
    output: role === 'cross-encoder' ? 'logits' : 'last_hidden_state',
    normalize: role === 'bi-encoder' ? false : undefined,
    ...given,
    maxLength: given.maxLength!,
    sources: ['explicit fields'],
  });
}

function validate(model: string, f: PresetFields): void {
  const bad = (field: keyof PresetFields, why: string) =>
    new ShortlistError('INVALID_ARGUMENT', `${FLAG[field].split(' ')[0]} for model '${model}': ${why}`, { location: { field } });
  if (f.pooling !== undefined && !['cls', 'mean', 'max', 'last'].includes(f.pooling))
    throw bad('pooling', `'${f.pooling}' is not cls, mean, max or last`);
  if (f.activation !== undefined && !ACTIVATIONS.includes(f.activation))
    throw bad('activation', `'${f.activation}' is not ${ACTIVATIONS.join(', ')}`);
  if (f.maxLength !== undefined && !(Number.isInteger(f.maxLength) && f.maxLength >= 8))
    throw bad('maxLength', `${f.maxLength} is not an integer ≥ 8`);
  if (f.dims !== undefined && !(Number.isInteger(f.dims) && f.dims > 0)) throw bad('dims', `${f.dims} is not a positive integer`);
  if (f.labelIndex !== undefined && !(Number.isInteger(f.labelIndex) && f.labelIndex >= 0))
    throw bad('labelIndex', `${f.labelIndex} is not an index ≥ 0`);
  if (f.activation === 'softmax' && f.labelIndex === undefined)
    throw bad('labelIndex', 'softmax needs the index of the label whose probability is the score');
}
