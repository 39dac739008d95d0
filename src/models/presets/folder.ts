/**
 * What a model folder says about how to run it, read the way sentence-transformers reads it, with
 * the file each setting came from:
 * - `modules.json`: the Pooling module's folder, a `Normalize` module (→ normalize), a `Dense`
 *   module (refused: ONNX exports hold the transformer only);
 * - `<pooling>/config.json` (`1_Pooling/config.json`): `pooling_mode_cls_token` / `_mean_tokens` /
 *   `_max_tokens` / `_lasttoken` → cls / mean / max / last, and `include_prompt`;
 * - `sentence_bert_config.json`: `max_seq_length`; without it `tokenizer_config.json`'s
 *   `model_max_length`, capped by `config.json`'s `max_position_embeddings` (as the Transformer
 *   module does);
 * - `config_sentence_transformers.json`: `prompts` (`query`; `document`, `passage` or `corpus`),
 *   `default_prompt_name` (for a side without its own prompt), `similarity_fn_name`;
 * - `config.json` (cross-encoders): `num_labels` / `id2label`, and the activation sentence-transformers
 *   records: `sentence_transformers.activation_fn`, or the older `sbert_ce_default_activation_function`;
 *   without either, a one-label model gets a sigmoid (CrossEncoder's default).
 * Explicit fields (flags, presets) override all of this; see `settlePreset`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import type { Activation, ModelPreset, ModelRole, Pooling } from './types.ts';

/** The settings a folder gives, each with the file (and key) it came from. */
export interface FolderSettings {
  fields: Partial<ModelPreset>;
  /** Field name → where its value came from, e.g. `sentence_bert_config.json max_seq_length`. */
  sources: Record<string, string>;
  /** What config.json's architectures say the model is, when they say. */
  role?: ModelRole;
}

const POOLING_KEYS: readonly (readonly [string, Pooling])[] = [
  ['pooling_mode_cls_token', 'cls'],
  ['pooling_mode_mean_tokens', 'mean'],
  ['pooling_mode_max_tokens', 'max'],
  ['pooling_mode_lasttoken', 'last'],
];
const UNSUPPORTED_POOLING = ['pooling_mode_mean_sqrt_len_tokens', 'pooling_mode_weightedmean_tokens'];

/** sentence-transformers' activation class names → shortlist's activation. */
const ACTIVATIONS: Readonly<Record<string, Activation>> = Object.freeze({
  'torch.nn.modules.activation.Sigmoid': 'sigmoid',
  'torch.nn.modules.linear.Identity': 'none',
});

/** A `model_max_length` this large means "no limit" (transformers writes 1e30). */
const NO_LIMIT = 1_000_000;

type Json = Record<string, unknown>;

/** Read `dir`'s settings for `role`. Malformed JSON is INVALID_INPUT naming the file; a module shortlist cannot run is MODEL_ERROR. */
export function readFolderSettings(dir: string, role: ModelRole): FolderSettings {
  const fields: Partial<ModelPreset> = {};
  const sources: Record<string, string> = {};
  const set = <K extends keyof ModelPreset>(key: K, value: ModelPreset[K], source: string) => {
    fields[key] = value;
    sources[key] = source;
  };
  const config = readJson(dir, 'config.json');
  const archs = Array.isArray(config?.architectures) ? (config.architectures as unknown[]).map(String) : [];
  const folderRole: ModelRole | undefined = archs.some((a) => a.endsWith('ForSequenceClassification'))
    ? 'cross-encoder'
    : archs.length
      ? 'bi-encoder'
      : undefined;

  if (role === 'bi-encoder') {
    const modules = readJson(dir, 'modules.json') as unknown;
    let poolingPath = '1_Pooling';
    if (Array.isArray(modules)) {
      const list = modules as Json[];
      const type = (m: Json) => String(m.type ?? '');
      const dense = list.find((m) => type(m).endsWith('.Dense'));
      if (dense) {
        throw new ShortlistError(
          'MODEL_ERROR',
          `model folder ${dir}: modules.json has a Dense module (${String(dense.path)}) after pooling, which ONNX exports of the transformer do not contain; shortlist cannot reproduce it`,
          { location: { file: join(dir, 'modules.json') } },
        );
      }
      const pool = list.find((m) => type(m).endsWith('.Pooling'));
      if (pool?.path) poolingPath = String(pool.path);
      const norm = list.find((m) => type(m).endsWith('.Normalize'));
      set(
        'normalize',
        norm !== undefined,
        norm ? `modules.json (${String(norm.path ?? 'Normalize')})` : 'modules.json (no Normalize module)',
      );
    }
    const poolFile = `${poolingPath}/config.json`;
    const pool = readJson(dir, poolFile);
    if (pool) {
      for (const k of UNSUPPORTED_POOLING) {
        if (pool[k] === true)
          throw new ShortlistError(
            'MODEL_ERROR',
            `model folder ${dir}: ${poolFile} sets ${k}, a pooling shortlist does not implement (cls, mean, max, lasttoken); give --pooling to override`,
            { location: { file: join(dir, poolFile), field: k } },
          );
      }
      const on = POOLING_KEYS.filter(([k]) => pool[k] === true);
      if (on.length > 1) {
        throw new ShortlistError(
          'MODEL_ERROR',
          `model folder ${dir}: ${poolFile} sets ${on.map(([k]) => k).join(' and ')}; concatenated poolings are not supported (give --pooling)`,
          { location: { file: join(dir, poolFile) } },
        );
      }
      if (on.length === 1) set('pooling', on[0][1], `${poolFile} (${on[0][0]})`);
      if (typeof pool.include_prompt === 'boolean') set('includePrompt', pool.include_prompt, `${poolFile} (include_prompt)`);
    }
    const st = readJson(dir, 'config_sentence_transformers.json');
    if (st) {
      const prompts = (st.prompts && typeof st.prompts === 'object' ? st.prompts : {}) as Record<string, unknown>;
      const def = typeof st.default_prompt_name === 'string' ? st.default_prompt_name : undefined;
      const pick = (names: string[]): [string, string] | undefined => {
        for (const n of names) if (typeof prompts[n] === 'string') return [n, prompts[n] as string];
        if (def !== undefined && typeof prompts[def] === 'string') return [`${def}, the default_prompt_name`, prompts[def] as string];
        return undefined;
      };
      const q = pick(['query']);
      if (q) set('queryPrefix', q[1], `config_sentence_transformers.json (prompts.${q[0]})`);
      const d = pick(['document', 'passage', 'corpus']);
      if (d) set('documentPrefix', d[1], `config_sentence_transformers.json (prompts.${d[0]})`);
      if (typeof st.similarity_fn_name === 'string')
        set('similarity', st.similarity_fn_name, 'config_sentence_transformers.json (similarity_fn_name)');
    }
  }

  if (role === 'cross-encoder' && config) {
    const id2label = config.id2label && typeof config.id2label === 'object' ? Object.keys(config.id2label as object).length : undefined;
    const labels = typeof config.num_labels === 'number' ? config.num_labels : id2label;
    const st = config.sentence_transformers as Json | undefined;
    const [key, name] =
      typeof st?.activation_fn === 'string'
        ? ['sentence_transformers.activation_fn', st.activation_fn]
        : typeof config.sbert_ce_default_activation_function === 'string'
          ? ['sbert_ce_default_activation_function', config.sbert_ce_default_activation_function]
          : [undefined, undefined];
    if (key !== undefined) {
      const activation = ACTIVATIONS[name as string];
      if (!activation) {
        throw new ShortlistError(
          'MODEL_ERROR',
          `model folder ${dir}: config.json ${key} is ${name}, which shortlist does not implement (${Object.keys(ACTIVATIONS).join(', ')}); give --activation to override`,
          { location: { file: join(dir, 'config.json'), field: key } },
        );
      }
      set('activation', activation, `config.json (${key}: ${name})`);
    } else if (labels === 1) {
      set('activation', 'sigmoid', "config.json (one label, no activation key: sentence-transformers CrossEncoder's default sigmoid)");
    }
  }

  const sbert = readJson(dir, 'sentence_bert_config.json');
  if (role !== 'multi-vector' && typeof sbert?.max_seq_length === 'number') {
    set('maxLength', sbert.max_seq_length, 'sentence_bert_config.json (max_seq_length)');
  } else if (role !== 'multi-vector') {
    const tok = readJson(dir, 'tokenizer_config.json');
    const m = typeof tok?.model_max_length === 'number' && tok.model_max_length < NO_LIMIT ? tok.model_max_length : undefined;
    const p = typeof config?.max_position_embeddings === 'number' ? config.max_position_embeddings : undefined;
    if (m !== undefined && (p === undefined || m <= p)) set('maxLength', m, 'tokenizer_config.json (model_max_length)');
    else if (m !== undefined && p !== undefined)
      set('maxLength', p, 'config.json (max_position_embeddings, below tokenizer_config.json model_max_length)');
  }
  return { fields, sources, role: folderRole };
}

/** The JSON object in `dir/name`, or undefined when the file does not exist. */
function readJson(dir: string, name: string): Json | undefined {
  const path = join(dir, name);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    throw new ShortlistError('INVALID_INPUT', `model folder ${dir}: ${name} is not valid JSON (${(err as Error).message})`, {
      location: { file: path },
      cause: err,
    });
  }
}
