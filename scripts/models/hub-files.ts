/**
 * The JSON files of a hub-style BERT folder: `config.json`, `tokenizer.json` (the HF fast
 * tokenizer for BERT uncased: BertNormalizer, BertPreTokenizer, WordPiece, [CLS]/[SEP] template),
 * `tokenizer_config.json` and `special_tokens_map.json`.
 */
import { ShortlistError } from '../../src/core/errors.ts';
import type { BertShape, Head } from './shapes.ts';
import { SPECIAL_TOKENS } from './vocab.ts';

/** Sizes written to config.json besides the shape. */
export interface ConfigSizes {
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  colbertDim: number;
  numLabels: number;
}

/** `config.json` for the shape and head (transformers' BertConfig fields). */
export function bertConfig(shape: BertShape, head: Head, sizes: ConfigSizes, vocab: string[]): Record<string, unknown> {
  const architectures = head === 'classifier' ? ['BertForSequenceClassification'] : head === 'colbert' ? ['HF_ColBERT'] : ['BertModel'];
  const config: Record<string, unknown> = {
    _name_or_path: `shortlist-generated-${head}`,
    architectures,
    model_type: 'bert',
    attention_probs_dropout_prob: 0.1,
    classifier_dropout: null,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: shape.hidden,
    initializer_range: 0.02,
    intermediate_size: shape.intermediate,
    layer_norm_eps: sizes.layerNormEps,
    max_position_embeddings: sizes.maxPositions,
    num_attention_heads: shape.heads,
    num_hidden_layers: shape.layers,
    pad_token_id: vocab.indexOf(SPECIAL_TOKENS.pad),
    position_embedding_type: 'absolute',
    type_vocab_size: sizes.typeVocabSize,
    use_cache: true,
    vocab_size: sizes.vocabSize,
  };
  if (head === 'classifier') {
    const labels = Array.from({ length: sizes.numLabels }, (_, i) => `LABEL_${i}`);
    config.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    config.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
    config.num_labels = sizes.numLabels;
  }
  if (head === 'colbert') config.colbert_dim = sizes.colbertDim;
  return config;
}

/** `tokenizer.json` (HF tokenizers format) for a lowercasing BERT WordPiece vocabulary. */
export function bertTokenizerJson(vocab: string[]): Record<string, unknown> {
  const id = (t: string): number => {
    const i = vocab.indexOf(t);
    if (i < 0) throw new ShortlistError('INVALID_INPUT', `vocabulary lacks ${t}`);
    return i;
  };
  const { cls, sep } = SPECIAL_TOKENS;
  const special = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  const seq = (s: 'A' | 'B', typeId: number) => ({ Sequence: { id: s, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: Object.values(SPECIAL_TOKENS)
      .map((t) => ({ id: id(t), content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
      .sort((a, b) => a.id - b.id),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(cls, 0), seq('A', 0), special(sep, 0)],
      pair: [special(cls, 0), seq('A', 0), special(sep, 0), seq('B', 1), special(sep, 1)],
      special_tokens: {
        [cls]: { id: cls, ids: [id(cls)], tokens: [cls] },
        [sep]: { id: sep, ids: [id(sep)], tokens: [sep] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: SPECIAL_TOKENS.unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** `tokenizer_config.json` as transformers writes it for BertTokenizer(Fast). */
export function bertTokenizerConfig(vocab: string[], maxLength: number): Record<string, unknown> {
  const decoder = Object.fromEntries(
    Object.values(SPECIAL_TOKENS).map((t) => [
      String(vocab.indexOf(t)),
      { content: t, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
    ]),
  );
  return {
    added_tokens_decoder: decoder,
    clean_up_tokenization_spaces: true,
    cls_token: SPECIAL_TOKENS.cls,
    do_basic_tokenize: true,
    do_lower_case: true,
    mask_token: SPECIAL_TOKENS.mask,
    model_max_length: maxLength,
    never_split: null,
    pad_token: SPECIAL_TOKENS.pad,
    sep_token: SPECIAL_TOKENS.sep,
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: SPECIAL_TOKENS.unk,
  };
}

/** `special_tokens_map.json`. */
export function specialTokensMap(): Record<string, string> {
  return {
    cls_token: SPECIAL_TOKENS.cls,
    mask_token: SPECIAL_TOKENS.mask,
    pad_token: SPECIAL_TOKENS.pad,
    sep_token: SPECIAL_TOKENS.sep,
    unk_token: SPECIAL_TOKENS.unk,
  };
}
