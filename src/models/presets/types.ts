/**
 * The per-model facts shortlist needs to run a model exactly as its authors intended.
 * Presets are data (see the table next to this file); any other model works by giving these fields.
 */

/** What a model is for. */
export type ModelRole = 'bi-encoder' | 'cross-encoder' | 'multi-vector';

/** Every pooling, in one place: the pipeline schema and the CLI flags take their choices from here. */
export const POOLINGS = Object.freeze(['cls', 'mean', 'max', 'last'] as const);
/** How token vectors become one vector (sentence-transformers' cls, mean, max, lasttoken). */
export type Pooling = (typeof POOLINGS)[number];

/** Every activation, in one place (see {@link POOLINGS}). */
export const ACTIVATIONS = Object.freeze(['sigmoid', 'none', 'softmax'] as const);
/** How a cross-encoder's logits become a score. `softmax` takes the probability of `labelIndex`. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Every ONNX file variant, in one place (see {@link POOLINGS}). */
export const DTYPES = Object.freeze(['fp32', 'fp16', 'int8'] as const);
/** ONNX precision variant of a model file. */
export type Dtype = (typeof DTYPES)[number];

/** Everything needed to run one model. */
export interface ModelPreset {
  /** The model's canonical hub id, e.g. `BAAI/bge-small-en-v1.5`. */
  id: string;
  role: ModelRole;
  /** Hub repo that holds the ONNX files (may differ from `id`, e.g. `Xenova/...`). */
  onnxRepo: string;
  /** Pinned revision (commit sha or tag) of `onnxRepo`. @default 'main' */
  revision?: string;
  /** ONNX file path inside the repo per dtype, e.g. `{ fp32: 'onnx/model.onnx' }`. */
  onnxFiles: Partial<Record<Dtype, string>>;
  /**
   * Names of the graph's inputs, e.g. `['input_ids','attention_mask','token_type_ids']`.
   * Empty for a preset built from explicit fields (no table entry): use the graph's own inputs.
   */
  inputs: string[];
  /** Name of the output to read (`last_hidden_state`, `logits`, ...). */
  output: string;
  /** Maximum sequence length in tokens (the model's window). */
  maxLength: number;
  /** Bi-encoder pooling. */
  pooling?: Pooling;
  /**
   * Whether the query / document prefix's tokens take part in mean, max and last pooling
   * (sentence-transformers' `include_prompt`; false masks the leading [CLS] + prefix tokens out).
   * @default true
   */
  includePrompt?: boolean;
  /** L2-normalise embeddings. */
  normalize?: boolean;
  /** The similarity the model was trained for (`config_sentence_transformers.json` similarity_fn_name); informational. */
  similarity?: string;
  /** Text prepended to queries (bi-encoders, ColBERT), e.g. `query: `. */
  queryPrefix?: string;
  /** Text prepended to documents, e.g. `passage: `. */
  documentPrefix?: string;
  /** Cross-encoder score activation. */
  activation?: Activation;
  /** With `activation: 'softmax'`, the label whose probability is the score. */
  labelIndex?: number;
  /** Embedding dimension (bi-encoder) or token-vector dimension (multi-vector). */
  dims?: number;
  /** Matryoshka dimensions the model was trained for, largest first. */
  matryoshkaDims?: number[];
  /**
   * Apply a parameter-free layer norm over the pooled vector before Matryoshka truncation (and
   * then L2-normalise), as nomic-embed-text-v1.5's card does. @default false
   */
  layerNormBeforeTruncate?: boolean;
  /** ColBERT: query length to which queries are augmented with [MASK], marker tokens, skiplist. */
  colbert?: {
    queryLength: number;
    documentLength: number;
    queryMarker: string;
    documentMarker: string;
    /** Augment short queries with mask tokens up to `queryLength`. */
    maskAugment: boolean;
    /** Skip punctuation tokens in documents. */
    skipPunctuation: boolean;
    /** Token used to pad queries up to `queryLength`. @default '[MASK]' */
    maskToken?: string;
    /**
     * Whether the mask tokens padding a query get attention mask 1 (jina-colbert-v2) or 0
     * (ColBERT's default `attend_to_mask_tokens: false`). @default false
     */
    attendToMaskTokens?: boolean;
  };
  /** Where each fact comes from (model card URLs). */
  sources: string[];
  /** Facts that could not be checked against the model card or the ONNX repo (empty: all checked). */
  unverified?: string[];
}
