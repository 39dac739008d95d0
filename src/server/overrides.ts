/**
 * What a request may set when it searches: the per-request knobs, as ONE strict zod schema that
 * every surface of the server security model shares (`/v1/search`, and the MCP tools and context
 * route that search a collection). A request tunes the collection's stored pipeline — how many
 * results, how deep the first stage goes, how many candidates each stored rerank stage keeps,
 * its relevance cut, the fusion constant and weights, the score floor, a metadata filter — and
 * never configures it: models, model folders, base URLs, providers, API-key references, file
 * paths and new stages come only from the operator (the stored pipeline, the serve flags).
 * Any other field is a 422 naming it.
 */
import type { z } from 'zod';
import { lazySchema } from '../core/zod.ts';
import { ShortlistError } from '../core/errors.ts';
import { resolvePipeline, type PipelineInput, type ResolvedPipeline } from '../pipeline/config.ts';
import type { ServerLimits } from './options.ts';

const positiveInt = lazySchema((z) => z.number().int().min(1));

/** Tuning of one of the collection's stored rerank stages (by its position in the cascade). */
export const stageOverrideSchema = lazySchema((z) =>
  z.strictObject({
    /** Candidates this stage passes on. @default the stored stage's */
    keep: positiveInt.optional(),
    /** Drop hits whose calibrated P(relevant) is below this (needs a stored calibration of the stage). @default the stored stage's */
    minRelevance: z.number().min(0).max(1).optional(),
  }),
);

/** The per-request knobs of a search. Strict: an unknown field is an error naming it. */
export const searchOverridesSchema = lazySchema((z) =>
  z.strictObject({
    /** Hits returned; at most the server's `--max-k`. @default the pipeline's k */
    k: positiveInt.optional(),
    /** Candidates each retriever returns and fusion keeps; at most the server's `--max-depth`. @default the pipeline's depth */
    depth: positiveInt.optional(),
    /** Metadata where clause, e.g. `year >= 2020 AND lang = 'en'`. @default none */
    filter: z.string().optional(),
    /** Drop final hits scoring below this. @default the pipeline's */
    minScore: z.number().optional(),
    /** Tuning of the stored rerank stages, in cascade order (`[{ "keep": 20 }, { "keep": 5 }]`); shorter lists leave later stages as stored. @default none */
    rerank: z.array(stageOverrideSchema).max(16).optional(),
    /** Fusion tuning: RRF's `k` constant and per-retriever weights (by retriever name). @default the pipeline's */
    fusion: z
      .strictObject({
        k: z.number().min(0).max(1e6).optional(),
        weights: z.record(z.string().max(128), z.number().min(0).max(1e6)).optional(),
      })
      .optional(),
  }),
);

/** Validated per-request knobs. */
export type SearchOverrides = z.infer<typeof searchOverridesSchema>;

/** Refuse `k` or `depth` past the server's caps (422 naming the field and the flag that raises it). */
export function checkSearchOverrides(o: SearchOverrides, limits: Pick<ServerLimits, 'k' | 'depth' | 'fieldCharacters'>): void {
  const over = (field: string, value: number, max: number, flag: string) => {
    if (value > max)
      throw new ShortlistError('INVALID_INPUT', `${field} is ${value}, more than the server's limit of ${max} (${flag})`, {
        location: { field },
      });
  };
  if (o.k !== undefined) over('k', o.k, limits.k, '--max-k');
  if (o.depth !== undefined) over('depth', o.depth, limits.depth, '--max-depth');
  o.rerank?.forEach((s, i) => s.keep !== undefined && over(`rerank[${i}].keep`, s.keep, limits.depth, '--max-depth'));
  if (o.filter !== undefined && o.filter.length > limits.fieldCharacters) {
    throw new ShortlistError(
      'TOO_LARGE',
      `filter has ${o.filter.length} characters, more than the server's limit of ${limits.fieldCharacters} (--max-field-characters)`,
      { location: { field: 'filter' } },
    );
  }
}

/**
 * A stable key of the knobs that change the pipeline (not `k` or `filter`, which a search takes as
 * arguments), or undefined when there are none: searches with equal keys share one handle.
 */
export function overrideKey(o: SearchOverrides): string | undefined {
  const parts = {
    depth: o.depth,
    minScore: o.minScore,
    rerank: o.rerank,
    fusion: o.fusion && { k: o.fusion.k, weights: o.fusion.weights && sorted(o.fusion.weights) },
  };
  const json = JSON.stringify(parts);
  return json === '{}' ? undefined : json;
}

/** The stored pipeline with the knobs applied (the models, providers and stages stay the stored ones), validated. */
export function overridePipeline(stored: ResolvedPipeline, o: SearchOverrides): ResolvedPipeline {
  if (o.rerank && o.rerank.length > stored.rerank.length) {
    throw new ShortlistError(
      'INVALID_INPUT',
      `rerank has ${o.rerank.length} entries but the collection's pipeline has ${stored.rerank.length} rerank stage${stored.rerank.length === 1 ? '' : 's'}; a request tunes the stored stages and cannot add one`,
      { location: { field: `rerank[${stored.rerank.length}]` } },
    );
  }
  const fusion = o.fusion
    ? {
        ...stored.fusion,
        ...(o.fusion.k !== undefined ? { k: o.fusion.k } : {}),
        ...(o.fusion.weights ? { weights: o.fusion.weights } : {}),
      }
    : stored.fusion;
  const input = {
    ...stored,
    retrievers: stored.retrievers.map((r) => ({ ...r })),
    rerank: stored.rerank.map((s, i) => ({ ...s, ...defined(o.rerank?.[i] ?? {}) })),
    fusion,
    depth: o.depth ?? stored.depth,
    ...(o.minScore !== undefined ? { minScore: o.minScore } : {}),
  } as PipelineInput;
  return resolvePipeline(input, 'search');
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
