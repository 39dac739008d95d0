/**
 * Pipeline: 1. the first-stage retrievers each retrieve `depth` candidates, concurrently →
 * 2. with more than one, fusion merges their lists and keeps `depth` → 3. `hydrate` attaches the
 * documents rerankers read → 4. each rerank stage reorders the previous stage's list and keeps its
 * `keep` best (a calibrated stage then drops hits below its `minRelevance`) → 5. cut to `k` (and
 * optionally a minimum score; a passage-unit pipeline keeps at most `perDocument` passages of a document).
 * Records wall time per stage and, per hit, its rank and score at every stage (the trace).
 */
import { ShortlistError } from '../core/errors.ts';
import {
  compareHits,
  type Candidate,
  type Hit,
  type Reranker,
  type Retriever,
  type SearchOptions,
  type TraceEntry,
} from '../core/types.ts';
// the kernels, not fuse/index.ts: that also holds the fusion config's schema (zod), which a Pipeline never needs
import type { ResolvedFusion } from '../fuse/config.ts';
import { fuse } from '../fuse/fuse.ts';
import { fusedTrace } from '../fuse/types.ts';
import type { HttpStats } from '../models/remote/stats.ts';
import { parseChunkId } from './passages/ids.ts';

/** One rerank stage of a cascade. */
export interface RerankStage {
  reranker: Reranker;
  /** How many of the reordered candidates this stage passes on. @default the pipeline's `k` */
  keep?: number;
  /** Maps the stage's scores to P(relevant) (recorded in the trace) and drops hits below `minRelevance`. @default none */
  calibration?: { probability(score: number): number; minRelevance: number };
}

/** How a pipeline is put together. */
export interface PipelineOptions {
  /** The first stage (or give `retrievers`). */
  retriever?: Retriever;
  /** Several first stages, run concurrently and fused; names must be unique. @default [retriever] */
  retrievers?: Retriever[];
  /** How several retrievers' lists are fused. @default RRF with k = 60 */
  fusion?: ResolvedFusion;
  /** Fills in `document` on first-stage hits that lack it, before reranking. @default none */
  hydrate?: (hits: Hit[]) => Promise<Hit[]>;
  /** Rerank stages, applied in order (a cascade). @default [] */
  rerank?: RerankStage[];
  /** How many candidates the first stage retrieves. More raises recall, costs rerank time. @default 100 */
  depth?: number;
  /** How many hits the pipeline returns. @default 10 */
  k?: number;
  /** Drop hits whose final score is below this. @default undefined (no cut) */
  minScore?: number;
  /**
   * `passage`: hits are chunks (ids `<documentId>#<chunk>`; `hydrate` sets `passages[0]` to the chunk), rerankers read
   * the document's title and the chunk's text, and the cut keeps at most `perDocument` hits of one
   * document. @default 'document'
   */
  unit?: 'document' | 'passage';
  /** Passage unit: most hits of one document in the result. @default 2 */
  perDocument?: number;
}

/** Wall time of one stage, in milliseconds. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** One stage's full ranked list (kept when `search` is called with `record: true`). */
export interface StageList {
  stage: string;
  hits: { id: string; score: number }[];
}

/** What one stage's remote work (LLM or hosted model calls) cost for one query. */
export interface StageStats {
  /** Requests answered by the endpoint (cache hits excluded). */
  calls: number;
  /** Extra attempts after retryable failures. */
  retries: number;
  /** Answers served from the stage's own cache. */
  cacheHits: number;
  /** Prompt (input) tokens the provider reported. */
  promptTokens: number;
  /** Completion (output) tokens the provider reported. */
  completionTokens: number;
  /** Cost in US dollars at the stage's configured prices (0 without prices). */
  costUsd: number;
  /** Milliseconds spent in requests (summed over concurrent requests, so it can exceed the stage's wall time). */
  latencyMs: number;
}

/** The stage counters of calls to a hosted model (no cache, no configured prices): what `onStats` receives from such a stage. */
export function hostedCallStats(http: HttpStats): StageStats {
  return {
    calls: http.calls,
    retries: http.retries,
    cacheHits: 0,
    promptTokens: http.tokens,
    completionTokens: 0,
    costUsd: 0,
    latencyMs: http.latencyMs,
  };
}

/** Search options a stage that talks to a remote model understands: `onStats` receives what the call cost. */
export interface StageSearchOptions extends SearchOptions {
  /** Called once per `rerank` with the call's counters. */
  onStats?: (stats: StageStats) => void;
}

/** The result of one query through the pipeline. */
export interface PipelineResult {
  hits: Hit[];
  timings: StageTiming[];
  /** Per-stage counters of the stages that report them (LLM, hosted rerankers, hosted query encoders), keyed by stage name. */
  stats?: Record<string, StageStats>;
  /**
   * With `record: true`, in order: each retriever's list, `fusion` (when there are several
   * retrievers; the candidates rerankers see) and each rerank stage's output.
   */
  lists?: StageList[];
}

const DEFAULTS = { depth: 100, k: 10 } as const;
const RRF_DEFAULT: ResolvedFusion = Object.freeze({ method: 'rrf', k: 60, weights: Object.freeze({}) });

/** Runs first stage → rerank cascade → cut, timing each stage and tracing each hit. */
export class Pipeline {
  /** The first retriever (the only one in a single-retriever pipeline). */
  readonly retriever: Retriever;
  readonly retrievers: readonly Retriever[];
  readonly fusion: ResolvedFusion;
  readonly #hydrate?: (hits: Hit[]) => Promise<Hit[]>;
  readonly stages: readonly RerankStage[];
  readonly depth: number;
  readonly k: number;
  readonly minScore?: number;
  readonly unit: 'document' | 'passage';
  readonly perDocument: number;

  constructor(options: PipelineOptions) {
    const depth = options.depth ?? DEFAULTS.depth;
    const k = options.k ?? DEFAULTS.k;
    for (const [name, v] of [
      ['depth', depth],
      ['k', k],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new ShortlistError('INVALID_ARGUMENT', `pipeline option ${name} must be a positive integer, got ${v}`);
      }
    }
    const retrievers = options.retrievers ?? (options.retriever ? [options.retriever] : []);
    if (retrievers.length === 0)
      throw new ShortlistError('INVALID_ARGUMENT', 'a pipeline needs a retriever (options.retriever or options.retrievers)');
    const names = retrievers.map((r) => r.name);
    if (new Set(names).size !== names.length)
      throw new ShortlistError('INVALID_ARGUMENT', `pipeline retriever names must be unique, got ${names.join(', ')}`);
    this.retrievers = Object.freeze([...retrievers]);
    this.retriever = retrievers[0];
    this.fusion = options.fusion ?? RRF_DEFAULT;
    this.#hydrate = options.hydrate;
    this.stages = Object.freeze([...(options.rerank ?? [])]);
    this.depth = depth;
    this.k = k;
    this.minScore = options.minScore;
    this.unit = options.unit ?? 'document';
    this.perDocument = options.perDocument ?? 2;
  }

  /** Run one query; hits carry the trace of every stage they went through. */
  async search(query: string, options: { signal?: AbortSignal; record?: boolean } = {}): Promise<PipelineResult> {
    const timings: StageTiming[] = [];
    const lists: StageList[] | undefined = options.record ? [] : undefined;
    const stats: Record<string, StageStats> = {};
    const passage = this.unit === 'passage';
    // A passage-unit list is cut per document at the end, so the first stage cannot stop at k.
    const firstK = this.stages.length === 0 && this.retrievers.length === 1 && !passage ? Math.min(this.depth, this.k) : this.depth;
    let hits = await this.#firstStage(query, firstK, timings, { signal: options.signal, stats }, lists);
    lists?.push({
      stage: this.retrievers.length === 1 ? this.retriever.name : 'fusion',
      hits: hits.map(({ id, score }) => ({ id, score })),
    });
    if (this.#hydrate && this.stages.length > 0) {
      const t = performance.now();
      hits = await this.#hydrate(hits);
      timings.push({ stage: 'hydrate', ms: performance.now() - t });
    }
    let t0: number;

    for (const stage of this.stages) {
      options.signal?.throwIfAborted();
      const keep = stage.keep ?? this.k;
      const byId = new Map(hits.map((h) => [h.id, h]));
      const candidates: Candidate[] = hits.map((h) => ({
        id: h.id,
        text: (passage ? h.passages?.[0]?.text : h.document?.text) ?? '',
        title: h.document?.title,
        score: h.score,
      }));
      t0 = performance.now();
      const name = stage.reranker.name;
      const stageOptions: StageSearchOptions = { signal: options.signal, onStats: (s) => (stats[name] = pickStats(s)) };
      const reranked = await stage.reranker.rerank(query, candidates, keep, stageOptions);
      timings.push({ stage: stage.reranker.name, ms: performance.now() - t0 });
      const cal = stage.calibration;
      hits = reranked.map((h, i) => {
        const prev = byId.get(h.id);
        const entry: TraceEntry = {
          stage: stage.reranker.name,
          rank: i + 1,
          score: h.score,
          ...(cal ? { probability: cal.probability(h.score) } : {}),
        };
        return {
          ...prev,
          ...h,
          trace: [...(prev?.trace ?? []), entry],
        };
      });
      if (cal) hits = hits.filter((h) => h.trace!.at(-1)!.probability! >= cal.minRelevance);
      lists?.push({ stage: stage.reranker.name, hits: hits.map(({ id, score }) => ({ id, score })) });
    }

    hits.sort(compareHits);
    if (this.minScore !== undefined) hits = hits.filter((h) => h.score >= this.minScore!);
    hits = passage ? perDocumentCut(hits, this.k, this.perDocument) : hits.slice(0, this.k);
    return { hits, timings, ...(Object.keys(stats).length > 0 ? { stats } : {}), ...(lists ? { lists } : {}) };
  }

  /** Every retriever concurrently, each timed; one list passes through, several are fused to `k`. */
  async #firstStage(
    query: string,
    k: number,
    timings: StageTiming[],
    options: { signal?: AbortSignal; stats: Record<string, StageStats> },
    record?: StageList[],
  ): Promise<Hit[]> {
    const runs = await Promise.all(
      this.retrievers.map(async (r) => {
        const t = performance.now();
        const searchOptions: StageSearchOptions = { signal: options.signal, onStats: (s) => (options.stats[r.name] = pickStats(s)) };
        const hits = await r.search(query, k, searchOptions);
        return { hits, ms: performance.now() - t };
      }),
    );
    this.retrievers.forEach((r, i) => timings.push({ stage: r.name, ms: runs[i].ms }));
    if (runs.length > 1)
      this.retrievers.forEach((r, i) => record?.push({ stage: r.name, hits: runs[i].hits.map(({ id, score }) => ({ id, score })) }));
    if (runs.length === 1) return withTrace(runs[0].hits, this.retriever.name);
    const t = performance.now();
    const names = this.retrievers.map((r) => r.name);
    const fused = fuse(
      runs.map((l, i) => ({ name: names[i], hits: l.hits })),
      this.fusion,
    );
    const docs = new Map<string, Hit>();
    for (const l of runs) for (const h of l.hits) if (h.document && !docs.has(h.id)) docs.set(h.id, h);
    const hits = fused
      .slice(0, k)
      .map((f, i): Hit => ({ ...docs.get(f.id), id: f.id, score: f.score, trace: fusedTrace(f, i + 1, names) }));
    timings.push({ stage: 'fusion', ms: performance.now() - t });
    return hits;
  }
}

/** The first `k` hits, skipping a hit once `perDocument` hits of its document were kept. */
function perDocumentCut(hits: readonly Hit[], k: number, perDocument: number): Hit[] {
  const seen = new Map<string, number>();
  const out: Hit[] = [];
  for (const h of hits) {
    if (out.length === k) break;
    const doc = h.document?.id ?? parseChunkId(h.id)?.docId ?? h.id;
    const n = seen.get(doc) ?? 0;
    if (n >= perDocument) continue;
    seen.set(doc, n + 1);
    out.push(h);
  }
  return out;
}

/** The {@link StageStats} fields of a stage's (possibly richer) counters. */
function pickStats(s: StageStats): StageStats {
  return {
    calls: s.calls,
    retries: s.retries,
    cacheHits: s.cacheHits,
    promptTokens: s.promptTokens,
    completionTokens: s.completionTokens,
    costUsd: s.costUsd,
    latencyMs: s.latencyMs,
  };
}

function withTrace(hits: Hit[], stage: string): Hit[] {
  return hits.map((h, i) => ({ ...h, trace: [...(h.trace ?? []), { stage, rank: i + 1, score: h.score }] }));
}
