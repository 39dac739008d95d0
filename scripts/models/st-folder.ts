/**
 * Writes the files sentence-transformers saves next to a transformer, so a generated model folder
 * becomes a full sentence-transformers folder (`modules.json`, `1_Pooling/config.json`,
 * `2_Normalize/`, `sentence_bert_config.json`, `config_sentence_transformers.json`) or a
 * sentence-transformers cross-encoder folder (`config.json` with `num_labels` and the activation
 * key, current or older form). Shapes follow what sentence-transformers 5.x writes on `save()`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The bi-encoder settings to record. */
export interface SentenceTransformersFiles {
  pooling: 'cls' | 'mean' | 'max' | 'lasttoken';
  normalize: boolean;
  /** `sentence_bert_config.json` max_seq_length. */
  maxSeqLength: number;
  /** Pooling's include_prompt. @default true */
  includePrompt?: boolean;
  /** `config_sentence_transformers.json` prompts. @default {} */
  prompts?: Record<string, string>;
  defaultPromptName?: string | null;
  /** @default 'cosine' */
  similarity?: string;
}

/** Add sentence-transformers' bi-encoder files to the generated folder `dir` (hidden size `dims`). */
export async function writeSentenceTransformersFiles(dir: string, dims: number, st: SentenceTransformersFiles): Promise<void> {
  const json = (name: string, value: unknown) => writeFile(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  const modules = [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ...(st.normalize ? [{ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' }] : []),
  ];
  await mkdir(join(dir, '1_Pooling'), { recursive: true });
  if (st.normalize) await mkdir(join(dir, '2_Normalize'), { recursive: true });
  await Promise.all([
    json('modules.json', modules),
    json('1_Pooling/config.json', {
      word_embedding_dimension: dims,
      pooling_mode_cls_token: st.pooling === 'cls',
      pooling_mode_mean_tokens: st.pooling === 'mean',
      pooling_mode_max_tokens: st.pooling === 'max',
      pooling_mode_mean_sqrt_len_tokens: false,
      pooling_mode_weightedmean_tokens: false,
      pooling_mode_lasttoken: st.pooling === 'lasttoken',
      include_prompt: st.includePrompt ?? true,
    }),
    json('sentence_bert_config.json', { max_seq_length: st.maxSeqLength, do_lower_case: false }),
    json('config_sentence_transformers.json', {
      __version__: { sentence_transformers: '5.1.0', transformers: '4.56.0', pytorch: '2.8.0' },
      model_type: 'SentenceTransformer',
      prompts: st.prompts ?? {},
      default_prompt_name: st.defaultPromptName ?? null,
      similarity_fn_name: st.similarity ?? 'cosine',
    }),
  ]);
}

/** How a cross-encoder folder records its activation. */
export type CrossEncoderActivationKey =
  | { key: 'activation_fn' | 'sbert_ce_default_activation_function'; fn: 'Sigmoid' | 'Identity' }
  | { key: 'none' };

const CLASS: Readonly<Record<'Sigmoid' | 'Identity', string>> = {
  Sigmoid: 'torch.nn.modules.activation.Sigmoid',
  Identity: 'torch.nn.modules.linear.Identity',
};

/** Record the activation in the generated classifier folder's config.json, as sentence-transformers does. */
export async function writeCrossEncoderConfig(dir: string, activation: CrossEncoderActivationKey): Promise<void> {
  const path = join(dir, 'config.json');
  const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  config.num_labels = 1;
  config.id2label = { 0: 'LABEL_0' };
  config.label2id = { LABEL_0: 0 };
  if (activation.key === 'activation_fn') config.sentence_transformers = { activation_fn: CLASS[activation.fn], version: '5.1.0' };
  if (activation.key === 'sbert_ce_default_activation_function') config.sbert_ce_default_activation_function = CLASS[activation.fn];
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
}
