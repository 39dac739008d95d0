/**
 * The models a pipeline names, loaded only when a stage needs them: the dense bi-encoder (with its
 * fingerprint entry: id, revision or file hash, dims, normalisation) and the rerank stages (each
 * wrapped in a score cache). A BM25-only pipeline loads nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Reranker } from '../core/types.ts';
import { BiEncoder, type BiEncoderOptions } from '../models/encoders/bi-encoder.ts';
import { settlePreset } from '../models/encoders/model.ts';
import { resolveModel } from '../models/hub/resolve.ts';
import { parseModelSource } from '../models/hub/source.ts';
import type { ModelPreset } from '../models/presets/types.ts';
import { CachedReranker } from '../pipeline/cache.ts';
import type { DenseRetrieverConfig, RerankConfig } from '../pipeline/config.ts';
import { ColbertReranker } from '../rerank/colbert/reranker.ts';
import { CrossEncoderReranker } from '../rerank/cross-encoder/reranker.ts';
import type { ModelRef } from '../store/fingerprint.ts';

/** Encoder options for a dense retriever entry. */
export function denseEncoderOptions(cfg: DenseRetrieverConfig): BiEncoderOptions {
  const preset = defined({ pooling: cfg.pooling, normalize: cfg.normalize, maxLength: cfg.maxLength, queryPrefix: cfg.queryPrefix, documentPrefix: cfg.documentPrefix });
  return defined({ model: cfg.model, dtype: cfg.dtype, threads: cfg.threads, preset }) as BiEncoderOptions;
}

/**
 * The fingerprint entry of a dense model: a hub model by its id and the resolved commit (+ ONNX
 * sha256 prefix); a local folder as id `local` with the sha256 of its ONNX file as revision (so a
 * moved folder still matches and a changed one does not).
 */
export async function denseModelRef(cfg: DenseRetrieverConfig, dims: number): Promise<ModelRef> {
  const opts = denseEncoderOptions(cfg);
  const preset = settlePreset(cfg.model, 'bi-encoder', (opts.preset ?? {}) as Partial<ModelPreset>);
  const resolved = await resolveModel(cfg.model, { dtype: cfg.dtype ?? 'fp32', preset });
  const local = parseModelSource(cfg.model).kind === 'local';
  return {
    id: local ? 'local' : cfg.model.split('@')[0],
    revision: local ? `sha256:${await hashFile(resolved.files.onnx)}` : `${resolved.revision}${resolved.onnxSha256 ? `:${resolved.onnxSha256.slice(0, 16)}` : ''}`,
    dims,
    normalize: preset.normalize ?? false,
  };
}

/** A loaded bi-encoder that counts its calls (the ingest test checks nothing is embedded twice). */
export class DenseModel {
  /** Calls to `embed` and texts embedded so far. */
  readonly counters = { calls: 0, texts: 0 };

  private constructor(readonly encoder: BiEncoder, readonly cfg: DenseRetrieverConfig) {}

  /** Loads the bi-encoder of `cfg`. */
  static async load(cfg: DenseRetrieverConfig): Promise<DenseModel> {
    return new DenseModel(await BiEncoder.create(denseEncoderOptions(cfg)), cfg);
  }

  /** Vectors of `texts` as documents or queries, truncated to `cfg.dims` when set. */
  async embed(texts: string[], kind: 'query' | 'document'): Promise<Float32Array[]> {
    this.counters.calls++;
    this.counters.texts += texts.length;
    return this.encoder.embed(texts, kind, this.cfg.dims === undefined ? {} : { dims: this.cfg.dims });
  }

  /** Output components (embeds one probe text). */
  async dims(): Promise<number> {
    const [v] = await this.encoder.embed(['dimension probe'], 'document', this.cfg.dims === undefined ? {} : { dims: this.cfg.dims });
    return v.length;
  }

  /** Releases the ONNX session. */
  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }
}

/** A rerank stage of the pipeline, loaded, behind a (query, candidate, model) score cache. */
export async function loadReranker(cfg: RerankConfig, capacity?: number): Promise<CachedReranker & { dispose(): Promise<void> }> {
  const base = defined({ model: cfg.model, dtype: cfg.dtype, threads: cfg.threads, includeTitle: cfg.includeTitle });
  const preset = rerankPreset(cfg);
  const inner: Reranker & { dispose(): Promise<void> } =
    cfg.type === 'cross-encoder'
      ? await CrossEncoderReranker.create({ ...base, preset } as Parameters<typeof CrossEncoderReranker.create>[0])
      : await ColbertReranker.create({ ...base, preset } as Parameters<typeof ColbertReranker.create>[0]);
  const cached = new CachedReranker(inner, `${cfg.type}:${cfg.model}`, capacity, cfg.name) as CachedReranker & { dispose(): Promise<void> };
  cached.dispose = () => inner.dispose();
  return cached;
}

/** Resolves (downloading on first use) a rerank stage's model files without loading them. */
export async function fetchReranker(cfg: RerankConfig): Promise<void> {
  const role = cfg.type === 'cross-encoder' ? 'cross-encoder' : 'multi-vector';
  const preset = settlePreset(cfg.model, role, rerankPreset(cfg));
  await resolveModel(cfg.model, { dtype: cfg.dtype ?? 'fp32', preset });
}

/** The preset fields a rerank stage gives explicitly. */
function rerankPreset(cfg: RerankConfig): Partial<ModelPreset> {
  return defined({ maxLength: cfg.maxLength, activation: cfg.activation, colbert: cfg.colbert }) as Partial<ModelPreset>;
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
