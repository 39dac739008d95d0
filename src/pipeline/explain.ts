/**
 * `--explain`: every result's trace as table rows, one column per stage, with the rank movement
 * into each sequential stage: `↑3` (moved up three places), `↓5`, `=` (kept its rank), `new` (the
 * stage before did not return it). Fusion is compared with the first retriever (so `new` marks
 * what the other retrievers brought in); each rerank stage with the stage before it.
 */
import type { Hit, TraceEntry } from '../core/types.ts';
import type { StageStats, StageTiming } from './pipeline.ts';

/** Rank movement from `before` (undefined: absent) to `after`: `↑n`, `↓n`, `=` or `new`. */
export function movement(before: number | undefined, after: number): string {
  if (before === undefined) return 'new';
  if (before === after) return '=';
  return before > after ? `↑${before - after}` : `↓${after - before}`;
}

/** The stages of a result in pipeline order: the timed stages, without bookkeeping ones. */
export function traceStages(timings: readonly StageTiming[]): string[] {
  return timings.map((t) => t.stage).filter((s) => s !== 'hydrate');
}

/** One explain table: a header and one row per hit (rank, id, a cell per stage, title). */
export interface ExplainTable {
  header: string[];
  rows: string[][];
}

/**
 * The trace table: cells read `rank (score)` (`rank (score, p=0.73)` for a calibrated stage) with the movement into sequential stages, `—` where a
 * retriever did not return the hit. `retrievers` is how many of `stages` are parallel first stages.
 */
export function explainTable(hits: readonly Hit[], stages: readonly string[], retrievers: number): ExplainTable {
  const header = ['rank', 'id', ...stages, 'title'];
  const rows = hits.map((h, i) => {
    const at = new Map<string, TraceEntry>((h.trace ?? []).map((t) => [t.stage, t]));
    const cells = stages.map((stage, s) => {
      const t = at.get(stage);
      if (!t) return '—';
      const cell = `${t.rank} (${formatScore(t.score)}${t.probability === undefined ? '' : `, p=${t.probability.toFixed(2)}`})`;
      if (s < retrievers) return cell;
      const prev = at.get(stages[s === retrievers ? 0 : s - 1]);
      return `${cell} ${movement(prev?.rank, t.rank)}`;
    });
    return [String(i + 1), h.id, ...cells, truncate(h.document?.title ?? '', 40)];
  });
  return { header, rows };
}

/**
 * One line per stage that reports remote work (LLM, hosted reranker), e.g.
 * `llm-listwise: 9 calls (0 cached, 1 retry), 4,210 prompt + 96 completion tokens, $0.0007, 1.2 s in requests`.
 */
export function statsLines(stats: Readonly<Record<string, StageStats>> | undefined): string[] {
  return Object.entries(stats ?? {}).map(([stage, s]) => {
    const retries = s.retries === 1 ? '1 retry' : `${s.retries} retries`;
    const tokens =
      s.completionTokens > 0
        ? `${count(s.promptTokens)} prompt + ${count(s.completionTokens)} completion tokens`
        : `${count(s.promptTokens)} tokens`;
    const cost = s.costUsd > 0 ? `, $${s.costUsd.toFixed(4)}` : '';
    const latency = s.latencyMs >= 1000 ? `${(s.latencyMs / 1000).toFixed(1)} s` : `${s.latencyMs.toFixed(1)} ms`;
    return `${stage}: ${s.calls} call${s.calls === 1 ? '' : 's'} (${s.cacheHits} cached, ${retries}), ${tokens}${cost}, ${latency} in requests`;
  });
}

/** Sums `add` into `into`, field by field (in place); returns `into`. */
export function addStageStats(into: StageStats, add: Readonly<StageStats>): StageStats {
  for (const key of Object.keys(into) as (keyof StageStats)[]) into[key] += add[key];
  return into;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatScore(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
