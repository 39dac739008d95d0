/**
 * The preset table: per model, the facts needed to run it as its authors intended. Data, not
 * code. Every entry pins the full commit of its ONNX repo at which the listed files exist, and
 * cites where its facts come from (`sources`); facts that could not be checked against the model's
 * own repo pages are listed in `unverified` (every fact not listed there was checked). The checks
 * are recorded in ../shared/models/presets-verified.md (facts against stored hub pages and public source).
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
    revision: 'b7ad92a45a298ac620504489f28ecb6ac66ad67c',
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
      'https://huggingface.co/Xenova/bge-small-en-v1.5/tree/b7ad92a45a298ac620504489f28ecb6ac66ad67c/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx at the pin)',
      'https://github.com/zilliztech/memsearch/pull/607 (the Xenova BGE export fails without token_type_ids)',
    ],
  },
  'BAAI/bge-base-en-v1.5': {
    id: 'BAAI/bge-base-en-v1.5',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/bge-base-en-v1.5',
    revision: 'ffccee532d1d8061637b5981ec61e2451055e3be',
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
      'https://huggingface.co/Xenova/bge-base-en-v1.5/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx; last changed by dfcad7dd3516fb000bb4304d05293f9f071cd2d1)',
      'https://huggingface.co/Xenova/bge-base-en-v1.5/commit/ffccee532d1d8061637b5981ec61e2451055e3be (the pin: a later README-only commit)',
    ],
  },
  'intfloat/e5-small-v2': {
    id: 'intfloat/e5-small-v2',
    role: 'bi-encoder',
    // No full commit sha of Xenova/e5-small-v2 could be found (only 02af799); the model's own repo
    // carries sentence-transformers' ONNX exports (onnx/) at a known commit, so the pin is there.
    onnxRepo: 'intfloat/e5-small-v2',
    revision: 'ffb93f3bd4047442299a41ebb6fa998a38507c52',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_qint8_avx512_vnni.onnx' },
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
      'https://huggingface.co/intfloat/e5-small-v2/blob/ffb93f3bd4047442299a41ebb6fa998a38507c52/sentence_bert_config.json (max_seq_length 512; 1_Pooling mean at the same commit)',
      'https://huggingface.co/api/models/intfloat/e5-small-v2/tree/ffb93f3bd4047442299a41ebb6fa998a38507c52?recursive=true (onnx/model.onnx, onnx/model_qint8_avx512_vnni.onnx 34.1 MB; read from a third-party record of this listing)',
    ],
    unverified: [
      'onnx/model.onnx and onnx/model_qint8_avx512_vnni.onnx at the pinned commit (a third-party record of the hub listing, not a stored hub page)',
    ],
  },
  'intfloat/multilingual-e5-small': {
    id: 'intfloat/multilingual-e5-small',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/multilingual-e5-small',
    revision: 'ae61bf0193ce3851dc8a45147e459b04ed783d8a',
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
      'https://huggingface.co/Xenova/multilingual-e5-small/tree/ae61bf0193ce3851dc8a45147e459b04ed783d8a/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx; model_type bert)',
      'https://github.com/huggingface/transformers.js/issues/324 (the graph requires token_type_ids: "Missing the following inputs: token_type_ids")',
    ],
  },
  'sentence-transformers/all-MiniLM-L6-v2': {
    id: 'sentence-transformers/all-MiniLM-L6-v2',
    role: 'bi-encoder',
    onnxRepo: 'Xenova/all-MiniLM-L6-v2',
    revision: 'cb3d680149bf9a3209564e1b27ab3bb355b65707',
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
      'https://huggingface.co/Xenova/all-MiniLM-L6-v2/tree/cb3d680149bf9a3209564e1b27ab3bb355b65707/onnx (model.onnx, model_fp16.onnx, model_int8.onnx, model_quantized.onnx)',
    ],
  },
  'nomic-ai/nomic-embed-text-v1.5': {
    id: 'nomic-ai/nomic-embed-text-v1.5',
    role: 'bi-encoder',
    onnxRepo: 'nomic-ai/nomic-embed-text-v1.5',
    revision: '91d2d6bfdddf0b0da840f901b533e99bae30d757',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' },
    inputs: BERT_INPUTS,
    output: 'last_hidden_state',
    // 2048 natively (max_trained_positions 2048, rotary_scaling_factor null in the config the ONNX
    // was exported from); the card's 8192 needs rotary scaling. Give --max-length 8192 knowingly.
    maxLength: 2048,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'search_query: ',
    documentPrefix: 'search_document: ',
    dims: 768,
    matryoshkaDims: [768, 512, 256, 128, 64],
    layerNormBeforeTruncate: true,
    sources: [
      'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5 (task prefixes, mean pooling, layer_norm → truncate → normalize for Matryoshka, 768..64)',
      'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5/tree/91d2d6bfdddf0b0da840f901b533e99bae30d757/onnx (model.onnx, model_quantized.onnx; no fp16 file)',
      'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5/blame/6ce67c10157b71b9c7604d8311d91595b4d4c4fc/config.json (max_trained_positions 2048, rotary_scaling_factor null: 2048 tokens natively)',
    ],
    unverified: [
      'graph input token_type_ids (a third-party run reports the graph requires it; not read from the graph)',
      'output name last_hidden_state (not read from the graph)',
    ],
  },
  'Snowflake/snowflake-arctic-embed-s': {
    id: 'Snowflake/snowflake-arctic-embed-s',
    role: 'bi-encoder',
    onnxRepo: 'Snowflake/snowflake-arctic-embed-s',
    revision: 'e596f507467533e48a2e17c007f0e1dacc837b33',
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
      'https://huggingface.co/Snowflake/snowflake-arctic-embed-s/commit/e4bc0a21cded60cd49e5d6554a66ef49c4918898 (Upload ONNX weights: onnx/model.onnx, model_fp16.onnx, model_int8.onnx, model_quantized.onnx, model_bnb4.onnx, model_q4.onnx, model_uint8.onnx)',
      'https://huggingface.co/Snowflake/snowflake-arctic-embed-s/blob/e596f507467533e48a2e17c007f0e1dacc837b33/onnx/model_bnb4.onnx (the pin: a main commit holding the ONNX upload)',
    ],
  },
  'mixedbread-ai/mxbai-embed-large-v1': {
    id: 'mixedbread-ai/mxbai-embed-large-v1',
    role: 'bi-encoder',
    onnxRepo: 'mixedbread-ai/mxbai-embed-large-v1',
    revision: 'c0c24111978d4c1a7fdc4fce8b835a463540bc1c',
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
      'https://huggingface.co/mixedbread-ai/mxbai-embed-large-v1/tree/c0c24111978d4c1a7fdc4fce8b835a463540bc1c/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
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
    revision: 'fec3517fe1016cfeee39338ef98ba76fc449dbcc',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'logits',
    maxLength: 512,
    activation: 'none',
    sources: [
      'https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-6-v2 (one label, CrossEncoder(max_length=512))',
      'https://huggingface.co/Xenova/ms-marco-MiniLM-L-6-v2/tree/fec3517fe1016cfeee39338ef98ba76fc449dbcc/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://huggingface.co/KennethTM/MiniLM-L6-danish-reranker/blame/90249cce41b75b3f0ee533413d942c65adc617e1/config.json (copy of the L-6 config: sbert_ce_default_activation_function Identity)',
    ],
    unverified: ['activation read from a config derived from this model (the -L-2/-L-4/TinyBERT repos state Identity directly)'],
  },
  'cross-encoder/ms-marco-MiniLM-L-12-v2': {
    id: 'cross-encoder/ms-marco-MiniLM-L-12-v2',
    role: 'cross-encoder',
    onnxRepo: 'Xenova/ms-marco-MiniLM-L-12-v2',
    revision: 'e04b920da17733eae4f09d5a9395a8b15981a77e',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'logits',
    maxLength: 512,
    activation: 'none',
    sources: [
      'https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-12-v2 (one label, max_length 512)',
      'https://huggingface.co/Xenova/ms-marco-MiniLM-L-12-v2/tree/e04b920da17733eae4f09d5a9395a8b15981a77e/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://huggingface.co/iceberg-nlp/miniLM-cdp-all/commit/e021c873c90c3955370e8db6b941ba4579fb93a3 (L-12 config: sbert_ce_default_activation_function Identity)',
    ],
    unverified: ['activation read from a config derived from this model (the -L-2/-L-4/TinyBERT repos state Identity directly)'],
  },
  'cross-encoder/ms-marco-TinyBERT-L-2-v2': {
    id: 'cross-encoder/ms-marco-TinyBERT-L-2-v2',
    role: 'cross-encoder',
    onnxRepo: 'Xenova/ms-marco-TinyBERT-L-2-v2',
    revision: '4e5107bf542eb7622fa286ab20f4b3bed2bfb6fb',
    onnxFiles: XENOVA_FILES,
    inputs: BERT_INPUTS,
    output: 'logits',
    maxLength: 512,
    activation: 'none',
    sources: [
      'https://huggingface.co/cross-encoder/ms-marco-TinyBERT-L-2-v2/blob/main/config.json (one label, hidden 128, sbert_ce_default_activation_function Identity)',
      'https://huggingface.co/Xenova/ms-marco-TinyBERT-L-2-v2/tree/4e5107bf542eb7622fa286ab20f4b3bed2bfb6fb (the pin; onnx/ model.onnx, model_fp16.onnx, model_quantized.onnx)',
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
    revision: '1e3f8799cf1ff904a149002645fdea027667f56e',
    onnxFiles: XENOVA_FILES,
    inputs: NO_TYPE_IDS,
    output: 'logits',
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/BAAI/bge-reranker-base (XLM-R, one score, sigmoid to map to 0..1, max_length 512)',
      'https://huggingface.co/Xenova/bge-reranker-base/tree/main/onnx (model.onnx, model_fp16.onnx, model_quantized.onnx)',
      'https://huggingface.co/BAAI/bge-reranker-base/tree/main/onnx (official fp32 onnx/model.onnx)',
      'https://huggingface.co/Xenova/bge-reranker-base/blob/1e3f8799cf1ff904a149002645fdea027667f56e/config.json (the pin: XLMRobertaForSequenceClassification, one label, type_vocab_size 1)',
      'https://github.com/vespa-engine/sample-apps/issues/1381 (optimum XLM-R exports take only input_ids and attention_mask)',
    ],
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
      "graph inputs without token_type_ids (type_vocab_size 1 in BAAI's config; not read from this export)",
    ],
  },
  // DeBERTa-v2 rerankers; type_vocab_size 0, so the graph has no token_type_ids.
  'mixedbread-ai/mxbai-rerank-xsmall-v1': {
    id: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    role: 'cross-encoder',
    onnxRepo: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    revision: 'd1ba0a474aeed7c9fa96c3f57b128277580c5fae',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'logits',
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-xsmall-v1 (DeBERTa-v2 cross-encoder used through sentence-transformers CrossEncoder, 512 tokens)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-xsmall-v1/tree/d1ba0a474aeed7c9fa96c3f57b128277580c5fae/onnx (model.onnx, model_quantized.onnx; no fp16)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-large-v1/blame/4bc97c3254099a75b33d34e64689f4061eb91906/config.json (family config: DebertaV2ForSequenceClassification, one label, type_vocab_size 0, no activation override)',
    ],
    unverified: ['type_vocab_size 0 / no activation override read from the -large config of the same family, not this repo'],
  },
  'mixedbread-ai/mxbai-rerank-base-v1': {
    id: 'mixedbread-ai/mxbai-rerank-base-v1',
    role: 'cross-encoder',
    onnxRepo: 'mixedbread-ai/mxbai-rerank-base-v1',
    revision: '94825b62b25233e034f6af9fa4240a01d6b605ea',
    onnxFiles: { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'logits',
    maxLength: 512,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-base-v1 (DeBERTa-v2 cross-encoder, 512 tokens)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-base-v1/tree/67fea408299945b5d048438fa23b85b9e1f73b1f/onnx (model.onnx, model_quantized.onnx; no fp16)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-base-v1/tree/94825b62b25233e034f6af9fa4240a01d6b605ea (the pin; onnx/ unchanged since its upload)',
      'https://huggingface.co/mixedbread-ai/mxbai-rerank-large-v1/blame/4bc97c3254099a75b33d34e64689f4061eb91906/config.json (family config: DebertaV2ForSequenceClassification, one label, type_vocab_size 0, no activation override)',
    ],
    unverified: ['type_vocab_size 0 / no activation override read from the -large config of the same family, not this repo'],
  },
  'jinaai/jina-reranker-v1-tiny-en': {
    id: 'jinaai/jina-reranker-v1-tiny-en',
    role: 'cross-encoder',
    onnxRepo: 'jinaai/jina-reranker-v1-tiny-en',
    revision: '9c054fe228e2097efbe5744d807bdc4aec8915b4',
    onnxFiles: { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', int8: 'onnx/model_int8.onnx' },
    inputs: BERT_INPUTS,
    output: 'logits',
    // JinaBERT with ALiBi: trained for 8K context.
    maxLength: 8192,
    activation: 'sigmoid',
    sources: [
      'https://huggingface.co/jinaai/jina-reranker-v1-tiny-en (JinaBERT/ALiBi, 8K context; num_labels=1 and the transformers.js example applies logits.sigmoid())',
      'https://huggingface.co/jinaai/jina-reranker-v1-tiny-en/tree/9c054fe228e2097efbe5744d807bdc4aec8915b4/onnx (model.onnx, model_fp16.onnx, model_int8.onnx, model_quantized.onnx)',
      'https://huggingface.co/jinaai/jina-reranker-v1-tiny-en/blame/9c054fe228e2097efbe5744d807bdc4aec8915b4/config.json (JinaBert, ALiBi, 8192 positions, type_vocab_size 2; no num_labels/id2label at all)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/rerank/cross_encoder/onnx_text_cross_encoder.py (onnx/model.onnx)',
    ],
    unverified: ['graph input token_type_ids (inferred from type_vocab_size 2)'],
  },

  // ---------------------------------------------------------------- multi-vector (ColBERT)
  'answerdotai/answerai-colbert-small-v1': {
    id: 'answerdotai/answerai-colbert-small-v1',
    role: 'multi-vector',
    onnxRepo: 'answerdotai/answerai-colbert-small-v1',
    revision: 'a985057bb6c3fa2378c98704ea7e665fe3885058',
    // vespa_colbert.onnx includes the 384→96 projection (what fastembed runs). The onnx/ folder's
    // exports lack the projection (384-d output, discussion #6), so only the fp32 Vespa file is offered.
    onnxFiles: { fp32: 'vespa_colbert.onnx' },
    inputs: NO_TYPE_IDS,
    output: 'contextual',
    maxLength: 512,
    normalize: true,
    dims: 96,
    colbert: {
      queryLength: 32,
      documentLength: 300,
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
      'https://huggingface.co/answerdotai/answerai-colbert-small-v1/tree/a985057bb6c3fa2378c98704ea7e665fe3885058 (the pin: vespa_colbert.onnx 133 MB at the root)',
      'https://huggingface.co/answerdotai/answerai-colbert-small-v1/blob/715cb9ff57295a1f320ccf6a6e3c42a5f1a438e6/config_sentence_transformers.json (PyLate: query_length 32, document_length 300, [unused0]/[unused1], attend_to_expansion_tokens false)',
      'https://huggingface.co/answerdotai/answerai-colbert-small-v1/discussions/6 (the onnx/ exports output 384-d: no projection)',
      'https://github.com/AnswerDotAI/RAGatouille/blob/924925ffa578179629889b72a2acd678070d7ac7/ragatouille/models/utils.py (Vespa export: input_names input_ids/attention_mask, output_names contextual, L2-normalised in the graph)',
    ],
  },
  'colbert-ir/colbertv2.0': {
    id: 'colbert-ir/colbertv2.0',
    role: 'multi-vector',
    onnxRepo: 'colbert-ir/colbertv2.0',
    revision: 'c1e84128e85ef755c096a95bdb06b47793b13acf',
    // model.onnx at the repo root includes the 768→128 linear layer (fastembed: dim 128).
    onnxFiles: { fp32: 'model.onnx' },
    inputs: NO_TYPE_IDS,
    // Uploaded by Vespa; its colbert-embedder defaults to, and validates, the output `contextual`.
    output: 'contextual',
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
      'https://github.com/stanford-futuredata/ColBERT/blob/071ce5ae25ad7640af32829f43a3e2426a4dfd7f/colbert/infra/config/settings.py (query_maxlen 32, dim 128, [unused0]/[unused1] markers, mask_punctuation, attend_to_mask_tokens false; the code default doc_maxlen is 220)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/late_interaction/colbert.py (model.onnx, dim 128)',
      'https://huggingface.co/colbert-ir/colbertv2.0/commits/e81c563a358f1de93b2ad15ad4f71cedb5b00487/model.onnx (model.onnx uploaded by Vespa)',
      'https://github.com/vespa-engine/vespa/blob/18ae21bce56e018cef2c17d03e63617530af59ae/configdefinitions/src/vespa/col-bert-embedder.def (inputs input_ids/attention_mask, output contextual, mask token 103)',
    ],
    unverified: [
      "documentLength 180: the checkpoint's own artifact.metadata (read from a third-party copy) and MTEB's setting; the ColBERT code default is 220",
    ],
  },
  'jinaai/jina-colbert-v2': {
    id: 'jinaai/jina-colbert-v2',
    role: 'multi-vector',
    onnxRepo: 'jinaai/jina-colbert-v2',
    revision: '4cf816e5e2b03167b132a3c847a9ecd48ba708e1',
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
      'https://huggingface.co/jinaai/jina-colbert-v2/discussions/11 (the pin 4cf816e5…, "fix: onnx linear layer (#11)": earlier ONNX files lack the projection)',
      'https://github.com/qdrant/fastembed/blob/main/fastembed/late_interaction/jina_colbert.py (marker ids 250002/250003, <mask>, query length 32, query attention mask all ones)',
      'https://github.com/embeddings-benchmark/mteb/blob/017b184c404a1b4b011635729326a0829b05f657/mteb/models/colbert_models.py (revision 4cf816e5…, prefixes [QueryMarker]/[DocumentMarker], attend_to_expansion_tokens true, 8192 tokens)',
    ],
    unverified: [
      'output name',
      'punctuation skiplist for this model',
      "Matryoshka 96/64 by truncating this repo's 128-d output (the card points to separate -96 and -64 repos)",
    ],
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
