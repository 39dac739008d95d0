/**
 * The preset table: per model, the facts needed to run it as its authors intended. Data, not
 * code. Every entry cites where its facts come from (`sources`); facts that could not be checked
 * against the model card or the ONNX repo are listed in `unverified` (and marked `UNVERIFIED` here).
 *
 * ONNX file names per dtype are those present in `onnxRepo` (checked on the hub's file listings):
 * `int8` means the dynamically quantised file (`model_quantized.onnx` in transformers.js / Xenova
 * exports, `model_int8.onnx` where the repo has that name).
 */
import type { ModelPreset } from './types.ts';

const BERT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];
const NO_TYPE_IDS = ['input_ids', 'attention_mask'];
/** The BGE / Arctic query instruction (model cards of BAAI/bge-*-en-v1.5, Snowflake arctic-embed, mxbai-embed-large-v1). */
const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';
const XENOVA_FILES = { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', int8: 'onnx/model_quantized.onnx' } as const;

export const PRESETS = deepFreeze({
  // ---------------------------------------------------------------- bi-encoders
  'BAAI/bge-small-en-v1.5': {
    id: 'BAAI/bge-small-en-v1.5',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/bge-small-en-v1.5',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 512,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY,
    dims: 384,
    sources: [
      'https://huggingface.co/BAAI/bge-small-en-v1.5 (CLS pooling, normalize, query instruction, 512 tokens)',
      'https://huggingface.co/Xenova/bge-small-en-v1.5/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
    ],
  },
  'BAAI/bge-base-en-v1.5': {
    id: 'BAAI/bge-base-en-v1.5',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/bge-base-en-v1.5',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 512,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY,
    dims: 768,
    sources: [
      'https://huggingface.co/BAAI/bge-base-en-v1.5 (CLS pooling, normalize, query instruction, 512 tokens)',
      'https://huggingface.co/Xenova/bge-base-en-v1.5/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
    ],
  },
  'intfloat/e5-small-v2': {
    id: 'intfloat/e5-small-v2',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/e5-small-v2',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 512,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    documentPrefix: 'passage: ',
    dims: 384,
    sources: [
      'https://huggingface.co/intfloat/e5-small-v2 (average pooling, F.normalize, "query: "/"passage: ", 512 tokens)',
      'https://huggingface.co/Xenova/e5-small-v2/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
    ],
  },
  'intfloat/multilingual-e5-small': {
    id: 'intfloat/multilingual-e5-small',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/multilingual-e5-small',
    onnxFiles: XENOVA_FILES,
    // BertModel (Multilingual-MiniLM) with an XLM-R SentencePiece tokenizer: the graph keeps token_type_ids.
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 512,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    documentPrefix: 'passage: ',
    dims: 384,
    sources: [
      'https://huggingface.co/intfloat/multilingual-e5-small (average pooling, normalize, "query: "/"passage: ", 512 tokens)',
      'https://huggingface.co/Xenova/multilingual-e5-small/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx; model_type bert)',
    ],
    unverified: ['graph input token_type_ids (inferred from model_type bert, not read from the graph)'],
  },
  'sentence-transformers/all-MiniLM-L6-v2': {
    id: 'sentence-transformers/all-MiniLM-L6-v2',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/all-MiniLM-L6-v2',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    // sentence_bert_config.json: max_seq_length 256 (the position table has 512).
    maxLength: 256,
    pooling: 'mean',
    normalize: true,
    dims: 384,
    sources: [
      'https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 (mean pooling, Normalize module, inputs truncated at 256 word pieces)',
      'https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/blob/main/config.json (BertModel, type_vocab_size 2)',
      'https://huggingface.co/Xenova/all-MiniLM-L6-v2/tree/main/onnx (model.onnx, model_fp16.onnx, model_int8.onnx, model_quantized.onnx)',
    ],
  },
  'nomic-ai/nomic-embed-text-v1.5': {
    id: 'nomic-ai/nomic-embed-text-v1.5',
    role: 'bi-encoder',
    onnxRepo: 'nomic-ai/nomic-embed-text-v1.5',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' },
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 8192,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'search_query: ',
    documentPrefix: 'search_document: ',
    dims: 768,
    matryoshkaDims: [768, 512, 256, 128, 64],
    layerNormBeforeTruncate: true,
    sources: [
      'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5 (task prefixes, mean pooling, layer_norm → truncate → normalize for Matryoshka, 768..64, 8192 context)',
      'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5/tree/main/onnx (model.onnx, model_quantized.onnx)',
    ],
    unverified: ['graph input token_type_ids (nomic_bert export)', 'an fp16 file in the repo (not listed, so not offered)'],
  },
  'Snowflake/snowflake-arctic-embed-s': {
    id: 'Snowflake/snowflake-arctic-embed-s',
    role: 'bi-encoder',
    onnxRepo: 'Snowflake/snowflake-arctic-embed-s',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 512,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY,
    dims: 384,
    sources: [
      'https://huggingface.co/Snowflake/snowflake-arctic-embed-s (CLS pooling, normalize, query prefix, 512 tokens)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/text/onnx_embedding.py (snowflake-arctic-embed-s: onnx/model.onnx, dim 384, CLS + normalize)',
      'https://huggingface.co/Snowflake/snowflake-arctic-embed-s/commit/e4bc0a21cded60cd49e5d6554a66ef49c4918898 (Upload ONNX weights: onnx/model.onnx, model_fp16.onnx, model_int8.onnx, model_quantized.onnx)',
    ],
  },
  'mixedbread-ai/mxbai-embed-large-v1': {
    id: 'mixedbread-ai/mxbai-embed-large-v1',
    role: 'bi-encoder',
    onnxRepo: 'mixedbread-ai/mxbai-embed-large-v1',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    maxLength: 512,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY,
    dims: 1024,
    matryoshkaDims: [1024, 512],
    sources: [
      'https://huggingface.co/mixedbread-ai/mxbai-embed-large-v1 (CLS pooling, query prompt, 1024 dims, Matryoshka + binary quantisation, 512 tokens)',
      'https://huggingface.co/mixedbread-ai/mxbai-embed-large-v1/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/text/onnx_embedding.py (onnx/model.onnx, CLS + normalize)',
    ],
    unverified: ['the full list of Matryoshka sizes trained (card example uses 512)'],
  },

  // ---------------------------------------------------------------- cross-encoders
  // The ms-marco cross-encoders' config.json sets sbert_ce_default_activation_function =
  // torch.nn.modules.linear.Identity, so sentence-transformers returns the raw logit: activation 'none'.
  'cross-encoder/ms-marco-MiniLM-L-6-v2': {
    id: 'cross-encoder/ms-marco-MiniLM-L-6-v2',
    role: 'cross-encoder',
    onnxRepo: 'Xenova/ms-marco-MiniLM-L-6-v2',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'logits',
    maxLength: 512,
    activation: 'none',
    sources: [
      'https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-6-v2 (one label, CrossEncoder(max_length=512))',
      'https://huggingface.co/Xenova/ms-marco-MiniLM-L-6-v2/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://huggingface.co/KennethTM/MiniLM-L6-danish-reranker/blame/90249cce41b75b3f0ee533413d942c65adc617e1/config.json (copy of the L-6 config: sbert_ce_default_activation_function Identity)',
    ],
    unverified: ['activation read from a config derived from this model (the -L-2/-L-4/TinyBERT repos state Identity directly)'],
  },
  'cross-encoder/ms-marco-MiniLM-L-12-v2': {
    id: 'cross-encoder/ms-marco-MiniLM-L-12-v2',
    role: 'cross-encoder',
    onnxRepo: 'Xenova/ms-marco-MiniLM-L-12-v2',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'logits',
    maxLength: 512,
    activation: 'none',
    sources: [
      'https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-12-v2 (one label, max_length 512)',
      'https://huggingface.co/Xenova/ms-marco-MiniLM-L-12-v2/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://huggingface.co/iceberg-nlp/miniLM-cdp-all/commit/e021c873c90c3955370e8db6b941ba4579fb93a3 (L-12 config: sbert_ce_default_activation_function Identity)',
    ],
    unverified: ['activation read from a config derived from this model (the -L-2/-L-4/TinyBERT repos state Identity directly)'],
  },
  'cross-encoder/ms-marco-TinyBERT-L-2-v2': {
    id: 'cross-encoder/ms-marco-TinyBERT-L-2-v2',
    role: 'cross-encoder',
    onnxRepo: 'Xenova/ms-marco-TinyBERT-L-2-v2',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'logits',
    maxLength: 512,
    activation: 'none',
    sources: [
      'https://huggingface.co/cross-encoder/ms-marco-TinyBERT-L-2-v2/blob/main/config.json (one label, hidden 128, sbert_ce_default_activation_function Identity)',
      'https://huggingface.co/Xenova/ms-marco-TinyBERT-L-2-v2/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
    ],
  },
  // XLM-RoBERTa rerankers: no token_type_ids; one logit. FlagEmbedding returns the raw logit and
  // maps it to 0..1 with a sigmoid (`normalize=True`); sentence-transformers applies a sigmoid by
  // default for a one-label model without an activation in its config. Both `logit` and `score`
  // are returned, so ranking is the same either way.
  'BAAI/bge-reranker-base': {
    id: 'BAAI/bge-reranker-base',
    role: 'cross-encoder',
    onnxRepo: 'Xenova/bge-reranker-base',
    onnxFiles: XENOVA_FILES,
    inputs: NO_TYPE_IDS,
    output: 'logits',
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/BAAI/bge-reranker-base (XLM-R, one score, sigmoid to map to 0..1, max_length 512)',
      'https://huggingface.co/Xenova/bge-reranker-base/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://huggingface.co/BAAI/bge-reranker-base/tree/main/onnx (official fp32 onnx/model.onnx)',
    ],
    unverified: ['graph inputs without token_type_ids (XLM-R exports have none)'],
  },
  'BAAI/bge-reranker-v2-m3': {
    id: 'BAAI/bge-reranker-v2-m3',
    role: 'cross-encoder',
    // BAAI publishes no ONNX for v2-m3; onnx-community's export is the one transformers.js users load.
    onnxRepo: 'onnx-community/bge-reranker-v2-m3-ONNX',
    // A commit at which onnx/model_int8.onnx (570,727,094 bytes) is known to exist.
    revision: '6f5ff65298512715a1e669753bc754d2bc8f367b',
    onnxFiles: { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', int8: 'onnx/model_int8.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'logits',
    // 8192 positions; the card's examples and FlagReranker use max_length=512. Give --max-length 8192 for long inputs.
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/BAAI/bge-reranker-v2-m3 (one score, sigmoid via normalize=True, max_length 512 in examples)',
      'https://huggingface.co/BAAI/bge-reranker-v2-m3/blob/3f6000f2fe7498b9d817ac6ec0ee451448a2d030/config.json (XLMRobertaForSequenceClassification, one label, type_vocab_size 1, 8194 positions, no activation override)',
      'https://huggingface.co/onnx-community/bge-reranker-v2-m3-ONNX/resolve/6f5ff65298512715a1e669753bc754d2bc8f367b/onnx/model_int8.onnx (pinned by a downstream project with its sha256)',
    ],
    unverified: [
      'onnx/model.onnx (+ external data, fetched automatically when present) and onnx/model_fp16.onnx at the pinned commit',
      'tokenizer.json in the ONNX repo',
      'graph inputs without token_type_ids',
    ],
  },
  // DeBERTa-v2 rerankers; type_vocab_size 0, so the graph has no token_type_ids.
  'mixedbread-ai/mxbai-rerank-xsmall-v1': {
    id: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    role: 'cross-encoder',
    onnxRepo: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'logits',
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-xsmall-v1 (DeBERTa-v2 cross-encoder used through sentence-transformers CrossEncoder, 512 tokens)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-xsmall-v1/tree/main/onnx (model.onnx, model_quantized.onnx; no fp16)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-large-v1/blame/4bc97c3254099a75b33d34e64689f4061eb91906/config.json (family config: DebertaV2ForSequenceClassification, one label, type_vocab_size 0, no activation override)',
    ],
    unverified: ['type_vocab_size 0 / no activation override read from the -large config of the same family, not this repo'],
  },
  'mixedbread-ai/mxbai-rerank-base-v1': {
    id: 'mixedbread-ai/mxbai-rerank-base-v1',
    role: 'cross-encoder',
    onnxRepo: 'mixedbread-ai/mxbai-rerank-base-v1',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'logits',
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-base-v1 (DeBERTa-v2 cross-encoder, 512 tokens)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-base-v1/tree/main/onnx (model.onnx, model_quantized.onnx; no fp16)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-large-v1/blame/4bc97c3254099a75b33d34e64689f4061eb91906/config.json (family config: DebertaV2ForSequenceClassification, one label, type_vocab_size 0, no activation override)',
    ],
    unverified: ['type_vocab_size 0 / no activation override read from the -large config of the same family, not this repo'],
  },
  'jinaai/jina-reranker-v1-tiny-en': {
    id: 'jinaai/jina-reranker-v1-tiny-en',
    role: 'cross-encoder',
    onnxRepo: 'jinaai/jina-reranker-v1-tiny-en',
    onnxFiles: { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', int8: 'onnx/model_int8.onnx' },
    inputs: BERT_INPUTS,
    output: 'logits',
    // JinaBERT with ALiBi: trained for 8K context.
    maxLength: 8192,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/jinaai/jina-reranker-v1-tiny-en (JinaBERT/ALiBi, 8K context, one score)',
      'https://huggingface.co/jinaai/jina-reranker-v1-tiny-en/tree/main/onnx (model.onnx, model_fp16.onnx, model_int8.onnx, model_quantized.onnx)',
      'https://huggingface.co/jinaai/jina-reranker-v1-tiny-en/blame/9c054fe228e2097efbe5744d807bdc4aec8915b4/config.json (JinaBert, ALiBi, 8192 positions, type_vocab_size 2, no activation override → sentence-transformers sigmoid)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/rerank/cross_encoder/onnx_text_cross_encoder.py (onnx/model.onnx)',
    ],
    unverified: ['graph input token_type_ids (inferred from type_vocab_size 2)'],
  },

  // ---------------------------------------------------------------- multi-vector (ColBERT)
  'answerdotai/answerai-colbert-small-v1': {
    id: 'answerdotai/answerai-colbert-small-v1',
    role: 'multi-vector',
    onnxRepo: 'answerdotai/answerai-colbert-small-v1',
    // vespa_colbert.onnx includes the 384→96 projection (what fastembed runs). The onnx/ folder holds
    // transformers.js exports whose projection is not confirmed, so only the fp32 Vespa file is offered.
    onnxFiles: { fp32: 'vespa_colbert.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'contextual',
    maxLength: 512,
    normalize: true,
    dims: 96,
    colbert: {
      queryLength: 32,
      documentLength: 512,
      queryMarker: '[unused0]',
      documentMarker: '[unused1]',
      maskAugment: true,
      skipPunctuation: true,
      maskToken: '[MASK]',
      attendToMaskTokens: false,
    },
    sources: [
      'https://huggingface.co/answerdotai/answerai-colbert-small-v1 (ColBERT, 96 dims, [unused0]/[unused1] markers via artifact.metadata)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/late_interaction/colbert.py (vespa_colbert.onnx, dim 96, query padded with [MASK] to 32, punctuation skiplist, L2 normalise)',
    ],
    unverified: ['output name "contextual" (Vespa export convention; the first output is what fastembed reads)', 'graph inputs', 'documentLength (fastembed truncates at the tokenizer limit, 512)'],
  },
  'colbert-ir/colbertv2.0': {
    id: 'colbert-ir/colbertv2.0',
    role: 'multi-vector',
    onnxRepo: 'colbert-ir/colbertv2.0',
    revision: 'c1e84128e85ef755c096a95bdb06b47793b13acf',
    // model.onnx at the repo root includes the 768→128 linear layer (fastembed: dim 128).
    onnxFiles: { fp32: 'model.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'last_hidden_state',
    maxLength: 512,
    normalize: true,
    dims: 128,
    colbert: {
      queryLength: 32,
      documentLength: 180,
      queryMarker: '[unused0]',
      documentMarker: '[unused1]',
      maskAugment: true,
      skipPunctuation: true,
      maskToken: '[MASK]',
      attendToMaskTokens: false,
    },
    sources: [
      'https://huggingface.co/api/models/colbert-ir/colbertv2.0 (sha c1e84128…, files model.onnx, tokenizer.json)',
      'https://github.com/stanford-futuredata/ColBERT (query_maxlen 32, doc_maxlen 180 defaults, [unused0]/[unused1] markers, mask_punctuation)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/late_interaction/colbert.py (model.onnx, dim 128)',
    ],
    unverified: ['output name (fastembed reads the first output)', 'graph inputs (token_type_ids absent)'],
  },
  'jinaai/jina-colbert-v2': {
    id: 'jinaai/jina-colbert-v2',
    role: 'multi-vector',
    onnxRepo: 'jinaai/jina-colbert-v2',
    onnxFiles: { fp32: 'onnx/model.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'last_hidden_state',
    maxLength: 8192,
    normalize: true,
    dims: 128,
    matryoshkaDims: [128, 96, 64],
    colbert: {
      queryLength: 32,
      documentLength: 8192,
      // Token ids 250002 / 250003 in its XLM-R vocabulary (fastembed JinaColbert).
      queryMarker: '[QueryMarker]',
      documentMarker: '[DocumentMarker]',
      maskAugment: true,
      skipPunctuation: true,
      maskToken: '<mask>',
      attendToMaskTokens: true,
    },
    sources: [
      'https://huggingface.co/jinaai/jina-colbert-v2 (XLM-R backbone, 128 dims with Matryoshka 96/64, 8192 tokens, cc-by-nc-4.0)',
      'https://huggingface.co/jinaai/jina-colbert-v2/tree/main/onnx (model.onnx + model.onnx_data)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/late_interaction/jina_colbert.py (marker ids 250002/250003, <mask>, query length 32, query attention mask all ones)',
    ],
    unverified: ['marker token strings (ids are verified)', 'output name', 'punctuation skiplist for this model'],
  },
} as const satisfies Record<string, ModelPreset>);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Other names of preset models: the cross-encoder org renamed its repos without the hyphen
 * (`ms-marco-MiniLM-L6-v2`); the hub redirects the old names, so both spellings mean one model.
 */
export const ALIASES: Readonly<Record<string, PresetId>> = Object.freeze({
  'cross-encoder/ms-marco-MiniLM-L6-v2': 'cross-encoder/ms-marco-MiniLM-L-6-v2',
  'cross-encoder/ms-marco-MiniLM-L12-v2': 'cross-encoder/ms-marco-MiniLM-L-12-v2',
  'cross-encoder/ms-marco-TinyBERT-L2-v2': 'cross-encoder/ms-marco-TinyBERT-L-2-v2',
});

/** A model id that has a preset. */
export type PresetId = keyof typeof PRESETS;
