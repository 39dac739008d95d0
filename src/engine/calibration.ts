/**
 * Calibration fits stored in a collection, per rerank stage, and applied at search time.
 *
 * `shortlist calibrate <beir-dir> --pipeline p.json --save-to <collection>` writes the fit of one
 * stage into the collection as `{ "version": 1, "stages": { "<stage name>": fit } }` (other stages'
 * fits are kept): `<collection>/calibration.json` in a directory, config `calibration` in Postgres.
 * A rerank stage with `minRelevance` then maps its scores through the fit stored under its name
 * and drops hits whose P(relevant) is below it. The fit carries the
 * stage fingerprint (type, model, activation, …; not `keep`, `minRelevance` or `threads`): a stage
 * whose configuration differs from the calibrated one is refused, since its scores mean something else.
 */
import { createHash } from 'node:crypto';
import { lazySchema } from '../core/zod.ts';
import { ShortlistError } from '../core/errors.ts';
import { parseModelSource } from '../models/hub/source.ts';
import type { CollectionConfig } from './home/types.ts';
import type { ResolvedPipeline } from '../pipeline/config.ts';
import { canonicalJson } from '../store/fingerprint.ts';
import { checkFingerprint, loadCalibration, type CalibrationFit, type Calibrator } from '../pipeline/calibration/fit.ts';

/** The file in a collection directory that holds the stored fits. */
export const CALIBRATION_FILE = 'calibration.json';

/** Fields of a stage that do not change what its scores mean, so they are left out of its fingerprint. */
const NOT_FINGERPRINTED = new Set(['keep', 'minRelevance', 'threads']);

/**
 * A stable id of one stage's configuration, `<stage>:<16 hex>`: what a fit belongs to. Local model
 * folders are made absolute first, so a pipeline naming `./model` and the collection's saved copy
 * naming `/abs/model` agree. For a stage that is not a retriever or rerank stage (`fusion`), the
 * retrievers are fingerprinted.
 */
export function stageFingerprint(pipeline: ResolvedPipeline, stage: string): string {
  const cfg = [...pipeline.retrievers, ...pipeline.rerank].find((s) => s.name === stage) ?? { stage, retrievers: pipeline.retrievers };
  const rest = Object.fromEntries(Object.entries(cfg as Record<string, unknown>).filter(([k]) => !NOT_FINGERPRINTED.has(k)));
  if (typeof rest.model === 'string') rest.model = absoluteModel(rest.model);
  return `${stage}:${createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 16)}`;
}

const StoredSchema = lazySchema((z) => z.object({ version: z.literal(1), stages: z.record(z.string(), z.unknown()) }));

/** The config value (`calibration.json` in a directory, config `calibration` in Postgres) that holds the fits. */
export const CALIBRATION_CONFIG = 'calibration';

/** The fits in a stored calibration value read from `where`, by stage name. */
function parseStored(data: unknown, where: string): Record<string, Calibrator> {
  const parsed = StoredSchema.safeParse(data);
  if (!parsed.success)
    throw new ShortlistError(
      'INVALID_INPUT',
      `${where} is not a stored calibration ({"version": 1, "stages": {…}}); delete it and calibrate again`,
      { location: { file: where } },
    );
  return Object.fromEntries(
    Object.entries(parsed.data.stages).map(([name, fit]) => [name, loadCalibration(fit, `${where} (stage ${name})`)]),
  );
}

/** The fits stored with a collection in a directory or a database (see `Collection.config`), by stage name (empty when it has none). */
export async function loadStageCalibrations(config: CollectionConfig): Promise<Record<string, Calibrator>> {
  const data = await config.readConfig(CALIBRATION_CONFIG);
  return data === undefined ? {} : parseStored(data, config.configPlace(CALIBRATION_CONFIG));
}

/** Stores `fit` as the calibration of `stage` with a collection in a directory or a database (other stages' fits are kept). Returns where it is kept. */
export async function storeStageCalibration(config: CollectionConfig, stage: string, fit: CalibrationFit): Promise<string> {
  const stages: Record<string, CalibrationFit> = { ...(await loadStageCalibrations(config)), [stage]: fit };
  return config.writeConfig(CALIBRATION_CONFIG, { version: 1, stages });
}

/** How one rerank stage cuts by probability: its fit and the threshold. */
export interface StageCalibration {
  /** P(relevant) of one of the stage's scores. */
  probability(score: number): number;
  /** Hits whose probability is below this are dropped. */
  minRelevance: number;
}

/**
 * For every rerank stage of `pipeline` that sets `minRelevance`, its fit stored with the collection
 * (a directory or a database; see `Collection.config`), by rerank index; reads nothing when no stage
 * sets `minRelevance`. Throws MODEL_ERROR when the collection holds no fit for the stage, or one made
 * for another configuration, naming the calibrate command that makes it.
 */
export async function collectionStageCalibrations(
  config: CollectionConfig,
  pipeline: ResolvedPipeline,
): Promise<Map<number, StageCalibration>> {
  if (cuttingStages(pipeline).length === 0) return new Map();
  return pickFits(await loadStageCalibrations(config), pipeline, config.configPlace(CALIBRATION_CONFIG), config.display);
}

/** The rerank stages of `pipeline` that set `minRelevance`, with their index. */
function cuttingStages(pipeline: ResolvedPipeline): { s: ResolvedPipeline['rerank'][number]; i: number; min: number }[] {
  return pipeline.rerank.flatMap((s, i) => {
    const min = (s as { minRelevance?: number }).minRelevance;
    return min === undefined ? [] : [{ s, i, min }];
  });
}

/** The fit of every cutting stage among `fits` (kept at `where`, of the collection at `location`), checked against the stage's fingerprint. */
function pickFits(
  fits: Record<string, Calibrator>,
  pipeline: ResolvedPipeline,
  where: string,
  location: string,
): Map<number, StageCalibration> {
  const out = new Map<number, StageCalibration>();
  for (const { s, i, min } of cuttingStages(pipeline)) {
    const how = `fit one with \`shortlist calibrate <beir-dir> --pipeline <this pipeline> --stage ${s.name} --save-to ${location}\` on labelled queries`;
    const fit = fits[s.name];
    if (!fit)
      throw new ShortlistError(
        'MODEL_ERROR',
        `rerank stage "${s.name}" sets minRelevance ${min} but ${where} holds no calibration for it; ${how}`,
      );
    try {
      checkFingerprint(fit, stageFingerprint(pipeline, s.name));
    } catch (cause) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `rerank stage "${s.name}" sets minRelevance ${min} but the stored calibration was fitted for another configuration of it (${fit.fingerprint}, now ${stageFingerprint(pipeline, s.name)}); ${how}`,
        { cause },
      );
    }
    out.set(i, { probability: fit.apply, minRelevance: min });
  }
  return out;
}

function absoluteModel(model: string): string {
  try {
    const src = parseModelSource(model);
    return src.kind === 'local' ? src.dir : model;
  } catch {
    return model; // a preset id or a hosted model name
  }
}
