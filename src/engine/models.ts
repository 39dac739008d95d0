/**
 * The models a pipeline names, loaded only when a stage needs them: the dense bi-encoder (with its
 * fingerprint entry: id, revision or file hash, dims, normalisation) and a storing ColBERT stage's
 * fingerprint entry; the rerank stages (each wrapped in a score cache) load through `./rerankers.ts`.
 * A collection imports this module (and the model code under it) only when its pipeline has a
 * dense retriever or a storing ColBERT stage, so a BM25-only pipeline loads nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BiEncoder, type BiEncoderOptions } from '../models/encoders/bi-encoder.ts';
import { settlePreset } from '../models/encoders/model.ts';
import { resolveModel } from '../models/hub/resolve.ts';
import { parseModelSource } from '../models/hub/source.ts';
import type { ModelPreset } from '../models/presets/types.ts';
import { createRemoteEmbedder, type HttpStats } from '../models/remote/index.ts';
import type { DenseRetrieverConfig, LocalRerankConfig } from '../pipeline/config.ts';
import { rerankPreset } from '../pipeline/rerank-stages.ts';
import type { ModelRef } from '../store/fingerprint.ts';
import { applyQueryAdapter, type QueryAdapter } from '../models/encoders/query-adapter.ts';

/** Encoder options for a dense retriever entry with a local model. */
export function denseEncoderOptions(cfg: DenseRetrieverConfig): BiEncoderOptions {
  const preset = defined({
    pooling: cfg.pooling,
    normalize: cfg.normalize,
    maxLength: cfg.maxLength,
    queryPrefix: cfg.queryPrefix,
    documentPrefix: cfg.documentPrefix,
  });
  return defined({ model: cfg.model, dtype: cfg.dtype, threads: cfg.threads, preset }) as BiEncoderOptions;
}

/**
 * The fingerprint entry of a dense model: a hub model by its id and the resolved commit (+ ONNX
 * sha256 prefix); a local folder as id `local` with the sha256 of its ONNX file as revision (so a
 * moved folder still matches and a changed one does not); a hosted model as `provider:model` with
 * its base URL as revision (its vectors are unit length).
 */
export async function denseModelRef(cfg: DenseRetrieverConfig, dims: number): Promise<ModelRef> {
  if (cfg.remote)
    return {
      id: `${cfg.remote.provider}:${cfg.remote.model}`,
      revision: `remote:${cfg.remote.baseUrl ?? 'default'}`,
      dims,
      normalize: true,
    };
  const model = cfg.model!;
  const opts = denseEncoderOptions(cfg);
  const preset = settlePreset(model, 'bi-encoder', (opts.preset ?? {}) as Partial<ModelPreset>);
  const resolved = await resolveModel(model, { dtype: cfg.dtype ?? 'fp32', preset });
  const local = parseModelSource(model).kind === 'local';
  return {
    id: local ? 'local' : model.split('@')[0],
    revision: local
      ? `sha256:${await hashFile(resolved.files.onnx)}`
      : `${resolved.revision}${resolved.onnxSha256 ? `:${resolved.onnxSha256.slice(0, 16)}` : ''}`,
    dims,
    normalize: preset.normalize ?? false,
  };
}

/**
 * The fingerprint entry of a storing ColBERT stage's model, as {@link denseModelRef} names a model,
 * with `dims` the token-vector size. The revision also carries a hash of the document-side
 * settings (document length, marker, punctuation skip, prefix), since stored matrices depend on them.
 */
export async function colbertModelRef(cfg: LocalRerankConfig, tokenDims: number): Promise<ModelRef> {
  const preset = settlePreset(cfg.model, 'multi-vector', rerankPreset(cfg));
  const resolved = await resolveModel(cfg.model, { dtype: cfg.dtype ?? 'fp32', preset });
  const local = parseModelSource(cfg.model).kind === 'local';
  const settled = resolved.preset ?? preset;
  const c = settled.colbert;
  const docSide = JSON.stringify([c?.documentLength, c?.documentMarker, c?.skipPunctuation, settled.documentPrefix ?? '']);
  const settings = createHash('sha256').update(docSide).digest('hex').slice(0, 12);
  const revision = local
    ? `sha256:${await hashFile(resolved.files.onnx)}`
    : `${resolved.revision}${resolved.onnxSha256 ? `:${resolved.onnxSha256.slice(0, 16)}` : ''}`;
  return { id: local ? 'local' : cfg.model.split('@')[0], revision: `${revision}+doc:${settings}`, dims: tokenDims, normalize: true };
}

/** What a dense model embeds with: a local bi-encoder or a hosted embedder. */
interface TextEncoder {
  embed(texts: string[], kind: 'query' | 'document', options: { dims?: number; stats?: HttpStats }): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** A loaded bi-encoder (local or hosted) that counts its calls (the ingest test checks nothing is embedded twice). */
export class DenseModel {
  /** Calls to `embed` and texts embedded so far. */
  readonly counters = { calls: 0, texts: 0 };
  /** The query adapter applied to query embeddings (`shortlist adapt`), if any. */
  #adapter?: QueryAdapter;

  private constructor(
    readonly encoder: TextEncoder,
    readonly cfg: DenseRetrieverConfig,
  ) {}

  /** Loads the encoder of `cfg` (a hosted one makes no request here). */
  static async load(cfg: DenseRetrieverConfig): Promise<DenseModel> {
    if (cfg.remote) return new DenseModel(createRemoteEmbedder(defined(cfg.remote)), cfg);
    return new DenseModel(await BiEncoder.create(denseEncoderOptions(cfg)), cfg);
  }

  /** True when the encoder is a hosted one (its query embedding is a request with stats). */
  get remote(): boolean {
    return this.cfg.remote !== undefined;
  }

  /** Vectors of `texts` as documents or queries, truncated to `cfg.dims` when set; a hosted encoder's request counters go into `stats`. */
  async embed(texts: string[], kind: 'query' | 'document', stats?: HttpStats): Promise<Float32Array[]> {
    this.counters.calls++;
    this.counters.texts += texts.length;
    const vectors = await this.encoder.embed(texts, kind, defined({ dims: this.cfg.dims, stats }));
    const adapter = this.#adapter;
    return kind === 'query' && adapter ? vectors.map((v) => applyQueryAdapter(adapter, v)) : vectors;
  }

  /** Applies `adapter` (W·q + b) to every query embedding from now on; `undefined` turns it off. */
  setQueryAdapter(adapter: QueryAdapter | undefined): void {
    this.#adapter = adapter;
  }

  /** Output components (embeds one probe text). */
  async dims(): Promise<number> {
    const [v] = await this.encoder.embed(['dimension probe'], 'document', defined({ dims: this.cfg.dims }));
    return v.length;
  }

  /** Releases the ONNX session. */
  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }
}

export {
  fetchReranker,
  isRemoteStage,
  loadColbert,
  loadReranker,
  RERANK_STAGES,
  rerankStage,
  type LoadedReranker,
  type RerankStageEntry,
} from './rerankers.ts';

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
