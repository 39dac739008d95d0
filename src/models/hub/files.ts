/**
 * Which files of a model repo shortlist needs: tokenizer and config files, one ONNX variant and
 * its external-data file. Names follow the conventions of transformers.js / Optimum exports.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Dtype, ModelPreset } from '../presets/types.ts';

/** Logical names of the files a resolved model exposes. */
export type ModelFileName =
  | 'config'
  | 'tokenizer'
  | 'tokenizerConfig'
  | 'specialTokensMap'
  | 'modules'
  | 'pooling'
  | 'sentenceBertConfig'
  | 'sentenceTransformersConfig'
  | 'onnx'
  | 'onnxData';

/** One file to fetch: its logical name, the repo paths to try in order, and whether it must exist. */
export interface FileWant {
  name: string;
  candidates: string[];
  required: boolean;
}

/** Every dtype shortlist knows. */
export const DTYPES: readonly Dtype[] = Object.freeze(['fp32', 'fp16', 'int8']);

/** ONNX paths tried per dtype when no preset names the file, in order. */
export const DEFAULT_ONNX_FILES: Readonly<Record<Dtype, readonly string[]>> = Object.freeze({
  fp32: ['onnx/model.onnx', 'model.onnx'],
  fp16: ['onnx/model_fp16.onnx', 'model_fp16.onnx'],
  int8: [
    'onnx/model_int8.onnx',
    'onnx/model_quantized.onnx',
    'onnx/model_quint8_avx2.onnx',
    'onnx/model_qint8_avx512_vnni.onnx',
    'onnx/model_qint8_avx512.onnx',
    'onnx/model_qint8_arm64.onnx',
    'model_int8.onnx',
    'model_quantized.onnx',
  ],
});

/**
 * The ONNX paths to try for `dtype`: the preset's file when it names files, else the defaults.
 * A preset that names files but none for `dtype` is a MODEL_ERROR listing the dtypes it has.
 */
export function onnxCandidates(dtype: Dtype, preset?: ModelPreset): string[] {
  const files = preset?.onnxFiles ?? {};
  const named = files[dtype];
  if (named) return [named];
  const has = Object.keys(files);
  if (has.length > 0) {
    throw new ShortlistError(
      'MODEL_ERROR',
      `preset ${preset!.id} has no ONNX file for dtype ${dtype}; its dtypes are ${has.join(', ')} (--dtype ${has[0]})`,
    );
  }
  return [...DEFAULT_ONNX_FILES[dtype]];
}

/** External-data file names that may accompany `onnxPath` (`model.onnx_data`, `model.onnx.data`). */
export function onnxDataCandidates(onnxPath: string): string[] {
  return [`${onnxPath}_data`, `${onnxPath}.data`];
}

/**
 * The non-ONNX files: tokenizer.json is required, the rest optional (among them the
 * sentence-transformers files that say how to run the model: modules.json, the pooling config,
 * sentence_bert_config.json, config_sentence_transformers.json); `extra` paths are required.
 */
export function supportFiles(extra: readonly string[] = []): FileWant[] {
  return [
    { name: 'tokenizer', candidates: ['tokenizer.json'], required: true },
    { name: 'config', candidates: ['config.json'], required: false },
    { name: 'tokenizerConfig', candidates: ['tokenizer_config.json'], required: false },
    { name: 'specialTokensMap', candidates: ['special_tokens_map.json'], required: false },
    { name: 'modules', candidates: ['modules.json'], required: false },
    { name: 'pooling', candidates: ['1_Pooling/config.json'], required: false },
    { name: 'sentenceBertConfig', candidates: ['sentence_bert_config.json'], required: false },
    { name: 'sentenceTransformersConfig', candidates: ['config_sentence_transformers.json'], required: false },
    ...extra.map((p) => ({ name: p, candidates: [p], required: true })),
  ];
}
