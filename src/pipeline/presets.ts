/**
 * Built-in pipelines, by name: `bm25` (no model), `dense` (bge-small-en-v1.5), `hybrid` (BM25 +
 * dense fused by RRF) and `two-stage` (hybrid → ms-marco-MiniLM-L-6-v2 cross-encoder, retrieve 100,
 * keep 10; the default). `loadPipeline` takes a preset name or a JSON file.
 *
 * Every preset ranks documents (`"unit": "document"`): BM25 over whole documents is the
 * Lucene-equal baseline, document qrels judge documents, and each hit still carries its best
 * passages; add `"unit": "passage"` for long documents whose answer sits in one part (docs/passages.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ShortlistError } from '../core/errors.ts';
import { resolvePipeline, type PipelineInput, type ResolvedPipeline } from './config.ts';

const DENSE = { type: 'dense', model: 'BAAI/bge-small-en-v1.5' } as const;
const CROSS = { type: 'cross-encoder', model: 'cross-encoder/ms-marco-MiniLM-L-6-v2', keep: 10 } as const;

/** Every built-in pipeline. */
export const PIPELINE_PRESETS = Object.freeze({
  bm25: { retrievers: [{ type: 'bm25' }] },
  dense: { retrievers: [DENSE] },
  hybrid: { retrievers: [{ type: 'bm25' }, DENSE], fusion: { method: 'rrf' } },
  'two-stage': { retrievers: [{ type: 'bm25' }, DENSE], fusion: { method: 'rrf' }, depth: 100, rerank: [CROSS], k: 10 },
} as const satisfies Record<string, PipelineInput>);

/** A built-in pipeline name. */
export type PipelinePresetName = keyof typeof PIPELINE_PRESETS;

/** The pipeline `init` uses when none is given. */
export const DEFAULT_PIPELINE: PipelinePresetName = 'two-stage';

/** A built-in pipeline by name, resolved; unknown names list the valid ones. */
export function getPipelinePreset(name: string): ResolvedPipeline {
  if (!Object.hasOwn(PIPELINE_PRESETS, name)) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `unknown pipeline preset "${name}"; presets: ${Object.keys(PIPELINE_PRESETS).join(', ')}, or give a .json file`,
    );
  }
  return resolvePipeline(structuredClone(PIPELINE_PRESETS[name as PipelinePresetName]), `pipeline preset ${name}`);
}

/** A pipeline from a preset name, a JSON file path, or an object. */
export function loadPipeline(spec: string | PipelineInput | ResolvedPipeline | undefined): ResolvedPipeline {
  if (spec === undefined) return getPipelinePreset(DEFAULT_PIPELINE);
  if (typeof spec !== 'string') return resolvePipeline(spec);
  if (Object.hasOwn(PIPELINE_PRESETS, spec)) return getPipelinePreset(spec);
  if (!existsSync(spec)) {
    throw new ShortlistError(
      'NOT_FOUND',
      `pipeline "${spec}" is neither a preset (${Object.keys(PIPELINE_PRESETS).join(', ')}) nor a file`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, 'utf8'));
  } catch (err) {
    throw new ShortlistError('INVALID_INPUT', `is not valid JSON: ${(err as Error).message}`, { cause: err, location: { file: spec } });
  }
  return resolvePipeline(json, spec);
}
