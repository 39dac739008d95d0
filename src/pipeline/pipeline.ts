/**
 * Pipeline: 1. first stage retrieves `depth` candidates → 2. each rerank stage reorders the
 * previous stage's list and keeps its `keep` best → 3. cut to `k` (and optionally a minimum score).
 * Records wall time per stage and, per hit, its rank and score at every stage (the trace).
 */
import { ShortlistError } from '../core/errors.ts';
import { compareHits, type Candidate, type Hit, type Reranker, type Retriever } from '../core/types.ts';

/** One rerank stage of a cascade. */
export interface RerankStage {
  reranker: Reranker;
  /** How many of the reordered candidates this stage passes on. @default the pipeline's `k` */
  keep?: number;
}

/** How a pipeline is put together. */
export interface PipelineOptions {
  /** The first stage. */
  retriever: Retriever;
  /** Rerank stages, applied in order (a cascade). @default [] */
  rerank?: RerankStage[];
  /** How many candidates the first stage retrieves. More raises recall, costs rerank time. @default 100 */
  depth?: number;
  /** How many hits the pipeline returns. @default 10 */
  k?: number;
  /** Drop hits whose final score is below this. @default undefined (no cut) */
  minScore?: number;
}

/** Wall time of one stage, in milliseconds. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** The result of one query through the pipeline. */
export interface PipelineResult {
  hits: Hit[];
  timings: StageTiming[];
}

const DEFAULTS = { depth: 100, k: 10 } as const;

/** Runs first stage → rerank cascade → cut, timing each stage and tracing each hit. */
export class Pipeline {
  readonly retriever: Retriever;
  readonly stages: readonly RerankStage[];
  readonly depth: number;
  readonly k: number;
  readonly minScore?: number;

  constructor(options: PipelineOptions) {
    const depth = options.depth ?? DEFAULTS.depth;
    const k = options.k ?? DEFAULTS.k;
    for (const [name, v] of [['depth', depth], ['k', k]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new ShortlistError('INVALID_ARGUMENT', `pipeline option ${name} must be a positive integer, got ${v}`);
      }
    }
    this.retriever = options.retriever;
    this.stages = Object.freeze([...(options.rerank ?? [])]);
    this.depth = depth;
    this.k = k;
    this.minScore = options.minScore;
  }

  /** Run one query; hits carry the trace of every stage they went through. */
  async search(query: string, options: { signal?: AbortSignal } = {}): Promise<PipelineResult> {
    const timings: StageTiming[] = [];
    const firstK = this.stages.length === 0 ? Math.min(this.depth, this.k) : this.depth;
    let t0 = performance.now();
    let hits = await this.retriever.search(query, firstK, options);
    timings.push({ stage: this.retriever.name, ms: performance.now() - t0 });
    hits = withTrace(hits, this.retriever.name);

    for (const stage of this.stages) {
      options.signal?.throwIfAborted();
      const keep = stage.keep ?? this.k;
      const byId = new Map(hits.map((h) => [h.id, h]));
      const candidates: Candidate[] = hits.map((h) => ({
        id: h.id,
        text: h.document?.text ?? '',
        title: h.document?.title,
        score: h.score,
      }));
      t0 = performance.now();
      const reranked = await stage.reranker.rerank(query, candidates, keep, options);
      timings.push({ stage: stage.reranker.name, ms: performance.now() - t0 });
      hits = reranked.map((h, i) => {
        const prev = byId.get(h.id);
        return {
          ...prev,
          ...h,
          trace: [...(prev?.trace ?? []), { stage: stage.reranker.name, rank: i + 1, score: h.score }],
        };
      });
    }

    hits.sort(compareHits);
    if (this.minScore !== undefined) hits = hits.filter((h) => h.score >= this.minScore!);
    return { hits: hits.slice(0, this.k), timings };
  }
}

function withTrace(hits: Hit[], stage: string): Hit[] {
  return hits.map((h, i) => ({ ...h, trace: [...(h.trace ?? []), { stage, rank: i + 1, score: h.score }] }));
}
