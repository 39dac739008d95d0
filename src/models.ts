/**
 * `shortlist/models`: the model side — the hub download and cache (`resolveModel`), the presets
 * table, the tokenizer, the ONNX encoders (bi-encoder, cross-encoder, multi-vector), the hosted
 * providers (OpenAI, Cohere, Jina, Voyage, TEI, Ollama) and the model-backed rerankers
 * (`CrossEncoderReranker`, `ColbertReranker`, `ListwiseReranker`). A collection or a pipeline JSON
 * loads these on its own when a stage needs them; import this entry to build encoders and
 * rerankers by hand. ONNX Runtime still loads only when a model is first created.
 *
 * @module shortlist/models
 */
// the hub and the presets
export { resolveModel, type ResolvedModel, type ResolveOptions } from './models/hub/index.ts';
export type { DownloadProgress } from './models/hub/resolve.ts';
export { PRESETS, PRESET_IDS, findPreset, getPreset, presetFromFlags } from './models/presets/index.ts';
export type { PresetFields } from './models/presets/index.ts';
export type { PresetId } from './models/presets/table.ts';
export { ACTIVATIONS, DTYPES, POOLINGS } from './models/presets/types.ts';
export type { ModelPreset, ModelRole, Pooling, Activation, Dtype } from './models/presets/types.ts';
// tokenizer and encoders
export { TextTokenizer, type Encoded } from './models/tokenize/index.ts';
export type { EncodeOptions, Json, SpecialToken, SpecialTokens } from './models/tokenize/tokenizer.ts';
export { BiEncoder, type EmbedKind, type EmbedOptions } from './models/encoders/bi-encoder.ts';
export { CrossEncoder, type CrossEncoderOptions, type CrossScore } from './models/encoders/cross-encoder.ts';
export type { LongDocuments, WindowPooling } from './models/encoders/cross-encoder.ts';
export { MultiVectorEncoder, type TokenMatrix } from './models/encoders/multi-vector.ts';
export type { EncoderOptions } from './models/encoders/options.ts';
export type { ExecutionProvider } from './models/onnx/session.ts';
export type { BatchStats, BatchingOptions } from './models/batching.ts';
// hosted models (OpenAI, Cohere, Jina, Voyage, TEI, Ollama)
export {
  createRemoteEmbedder,
  createRemoteReranker,
  RemoteEmbedder,
  RemoteReranker,
  REMOTE_PROVIDERS,
  EMBED_PROVIDERS,
  RERANK_PROVIDERS,
  type RemoteProviderId,
  type RemoteEmbedderOptions,
  type RemoteRerankerOptions,
  type Embedder,
  type ApiKeyRef,
} from './models/remote/index.ts';
export type { RemoteEmbedOptions } from './models/remote/embedders.ts';
export type { HttpStats } from './models/remote/http.ts';
export type { RemoteRerankOptions } from './models/remote/rerankers.ts';
// model-backed rerankers
export { CrossEncoderReranker } from './rerank/cross-encoder/reranker.ts';
export type { CrossEncoderRerankerOptions } from './rerank/cross-encoder/reranker.ts';
export {
  ListwiseReranker,
  LISTWISE_DEFAULTS,
  PROMPT_TEMPLATES,
  type ListwiseRerankerOptions,
  type ListwiseStats,
} from './rerank/llm-listwise/index.ts';
export type { ChatAnswer } from './rerank/llm-listwise/chat.ts';
export type { ResolvedListwiseOptions, TokenPricing } from './rerank/llm-listwise/config.ts';
export type { PromptTemplate, Truncator } from './rerank/llm-listwise/prompts.ts';
export type { ListwiseRerankOptions } from './rerank/llm-listwise/reranker.ts';
export { ColbertReranker } from './rerank/colbert/reranker.ts';
export type { ChunkAggregation, ColbertRerankerOptions, ColbertStageOptions, StoredMatrices } from './rerank/colbert/reranker.ts';
export { maxSim } from './rerank/colbert/maxsim.ts';
