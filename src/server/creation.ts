/**
 * What a request may create a collection with: a built-in preset the operator allows (by name —
 * never a file path, so no request reads a file), or an inline pipeline whose every model is on the
 * operator's `--allow-models` list. Hosted stages (a reranker whose registry entry is `remote`, as
 * `remote` and `llm-listwise` are, or a dense `remote` encoder) carry base URLs and API-key references, which only the operator may set, so a
 * request never creates one; the operator creates such collections with `shortlist init`.
 */
import { ShortlistError } from '../core/errors.ts';
import { resolvePipeline, type ResolvedPipeline } from '../pipeline/config.ts';
import { getPipelinePreset } from '../pipeline/presets.ts';
import { isRemoteStage } from '../pipeline/rerank-stages.ts';
import type { CreationPolicy } from './options.ts';

/** The pipeline a creation request may use, resolved; FORBIDDEN (403) for what only the operator may set. */
export function creationPipeline(spec: string | Record<string, unknown>, policy: CreationPolicy): ResolvedPipeline {
  if (typeof spec === 'string') {
    if (!policy.presets.includes(spec)) {
      throw new ShortlistError(
        'INVALID_INPUT',
        `pipeline ${JSON.stringify(spec.slice(0, 64))} is not a preset this server allows; give one of: ${policy.presets.join(', ') || '(none: this server creates no collections)'}`,
        { location: { field: 'pipeline' } },
      );
    }
    return getPipelinePreset(spec);
  }
  if (policy.models.length === 0) {
    throw new ShortlistError(
      'FORBIDDEN',
      `this server creates collections from presets only (${policy.presets.join(', ') || 'none'}); inline pipelines need models the operator allows with --allow-models`,
      { location: { field: 'pipeline' } },
    );
  }
  const p = resolvePipeline(spec, 'pipeline');
  const refuse = (field: string, why: string): never => {
    throw new ShortlistError('FORBIDDEN', `pipeline.${field} ${why}`, { location: { field: `pipeline.${field}` } });
  };
  const allowed = (field: string, model: string | undefined) => {
    if (model !== undefined && !policy.models.includes(model))
      refuse(field, `names a model this server does not allow; allowed models: ${policy.models.join(', ')}`);
  };
  p.retrievers.forEach((r, i) => {
    if (r.type !== 'dense') return;
    if (r.remote !== undefined)
      refuse(`retrievers[${i}].remote`, 'is a hosted encoder (a URL and a key reference), which only the operator may configure');
    allowed(`retrievers[${i}].model`, r.model);
  });
  p.rerank.forEach((s, i) => {
    if (isRemoteStage(s))
      refuse(`rerank[${i}].type`, `is "${s.type}", a hosted stage (a URL and a key reference), which only the operator may configure`);
    else allowed(`rerank[${i}].model`, s.model);
  });
  return p;
}
