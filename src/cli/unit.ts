/** `--unit document|passage` of `eval --pipeline` and `sweep`: the pipeline as given, ranking that unit. */
import { ShortlistError } from '../core/errors.ts';
import { loadPipeline } from '../pipeline/presets.ts';
import type { PipelineInput } from '../pipeline/config.ts';

/** Parses `--unit`. */
export function parseUnit(value: string): 'document' | 'passage' {
  if (value !== 'document' && value !== 'passage')
    throw new ShortlistError('INVALID_ARGUMENT', `--unit must be document or passage, got "${value}"`);
  return value;
}

/** The pipeline (preset or file) with its unit replaced when `unit` is given; the spec unchanged otherwise. */
export function withUnit(spec: string, unit: 'document' | 'passage' | undefined): string | PipelineInput {
  return unit === undefined ? spec : (JSON.parse(JSON.stringify({ ...loadPipeline(spec), unit })) as PipelineInput);
}
