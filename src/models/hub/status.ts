/** What of a model is already on disk: answered from the cache alone, never from the network. */
import type { Dtype, ModelPreset } from '../presets/types.ts';
import { isShortlistError } from '../../core/errors.ts';
import { DTYPES } from './files.ts';
import { resolveModel, type ResolveOptions } from './resolve.ts';

/** The dtypes of `source` whose files are all in the cache (offline check; no request is made). */
export async function cachedDtypes(
  source: string,
  opts: Pick<ResolveOptions, 'cacheDir' | 'env' | 'preset' | 'revision'> = {},
): Promise<Dtype[]> {
  const preset = opts.preset || undefined;
  const dtypes = preset && Object.keys(preset.onnxFiles).length > 0 ? (Object.keys(preset.onnxFiles) as Dtype[]) : [...DTYPES];
  const found: Dtype[] = [];
  for (const dtype of dtypes) {
    try {
      await resolveModel(source, { ...opts, dtype, offline: true });
      found.push(dtype);
    } catch (err) {
      if (!isShortlistError(err)) throw err;
    }
  }
  return found;
}

/** One row of the preset listing: the preset's headline facts and what is cached. */
export interface PresetStatus {
  id: string;
  role: ModelPreset['role'];
  onnxRepo: string;
  /** The pinned commit of `onnxRepo`. */
  revision?: string;
  /** Facts still open (empty: every fact was checked against the model's own pages). */
  unverified: string[];
  /** Where the facts come from. */
  sources: string[];
  dims?: number;
  maxLength: number;
  pooling?: string;
  activation?: string;
  dtypes: Dtype[];
  cached: Dtype[];
}

/** Headline facts and cache status of each preset (offline; reads only the cache). */
export async function presetStatuses(
  presets: readonly ModelPreset[],
  opts: Pick<ResolveOptions, 'cacheDir' | 'env'> = {},
): Promise<PresetStatus[]> {
  return Promise.all(
    presets.map(async (p) => ({
      id: p.id,
      role: p.role,
      onnxRepo: p.onnxRepo,
      revision: p.revision,
      unverified: [...(p.unverified ?? [])],
      sources: [...p.sources],
      dims: p.dims,
      maxLength: p.maxLength,
      pooling: p.pooling,
      activation: p.activation,
      dtypes: Object.keys(p.onnxFiles) as Dtype[],
      cached: await cachedDtypes(p.id, { ...opts, preset: p }),
    })),
  );
}
