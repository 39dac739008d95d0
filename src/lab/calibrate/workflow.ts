/**
 * Calibration as a workflow: run a pipeline over the judged queries of one BEIR split, take one
 * stage's scores as a sample (grade >= 1 is relevant, unjudged documents count as not relevant),
 * fit them to P(relevant) (Platt or isotonic) on part of the queries, report Brier score and ECE
 * before and after on the held-out queries (whole queries, seeded), and optionally store the fit
 * in a collection under the stage's name, where a rerank stage's `minRelevance` reads it.
 *
 * Every candidate of the stage is scored: the pipeline runs at its depth with every rerank stage
 * keeping all candidates, and without any `minRelevance` cut (which needs this very fit).
 */
import { ShortlistError } from '../../core/errors.ts';
import { Collection } from '../../engine/collection.ts';
import { stageFingerprint, storeStageCalibration } from '../../engine/calibration.ts';
import type { PipelineInput } from '../../pipeline/config.ts';
import { loadPipeline } from '../../pipeline/presets.ts';
import { fitCalibration, type CalibrationFit, type CalibrationMethod } from '../../pipeline/calibration/fit.ts';
import { redact } from '../../store/postgres/url.ts';
import { collectCandidates, type CandidateSet } from '../candidates.ts';
import { calibrationReport, heldOutSplit, pick, type CalibrationReport } from './report.ts';

/** Scores of one stage over every (query, candidate) with 0/1 labels and the query of each item. */
export interface StageSample {
  stage: string;
  scores: Float64Array;
  labels: Float64Array;
  queries: string[];
}

/** The items of `stage` (default: the last stage) in collected candidates, labelled by the qrels (grade >= 1 is relevant). */
export function stageSample(set: CandidateSet, stage?: string): StageSample {
  const names = set.queries[0]?.lists.map((l) => l.stage) ?? [];
  const name = stage ?? names[names.length - 1];
  if (!names.includes(name))
    throw new ShortlistError('INVALID_ARGUMENT', `--stage "${stage}" is not a stage of the pipeline; stages: ${names.join(', ')}`);
  const scores: number[] = [];
  const labels: number[] = [];
  const queries: string[] = [];
  for (const q of set.queries) {
    const judged = set.qrels.get(q.id);
    for (const h of q.lists.find((l) => l.stage === name)!.hits) {
      scores.push(h.score);
      labels.push((judged?.get(h.id) ?? 0) >= 1 ? 1 : 0);
      queries.push(q.id);
    }
  }
  return { stage: name, scores: Float64Array.from(scores), labels: Float64Array.from(labels), queries };
}

/** Options of {@link calibrateStage}. */
export interface CalibrateStageOptions {
  /** The pipeline (preset name, JSON file or object). */
  pipeline: string | PipelineInput;
  /** Qrels split to fit on. @default 'test' */
  split?: string;
  /** Calibration method. @default 'platt' */
  method?: CalibrationMethod;
  /** The stage whose scores are calibrated. @default the last stage */
  stage?: string;
  /** Fraction of the queries held out for the before/after report. @default 0.3 */
  heldOut?: number;
  /** Seed of the held-out split. @default 1 */
  seed?: number;
  /** Store the fit in this collection (directory or postgres:// URL), under the stage's name. */
  saveTo?: string;
  /** Keep (and reuse) the evaluation collection in this directory instead of a temporary one. */
  collection?: string;
  /** Called as queries are scored. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link calibrateStage} found: the candidates, the sample, the fit and its held-out report. */
export interface CalibrateStageResult {
  set: CandidateSet;
  sample: StageSample;
  /** The fit as stored (JSON-serialisable, with the stage fingerprint). */
  fit: CalibrationFit;
  report: CalibrationReport;
  /** Whether the raw held-out scores already lay in [0, 1] ("before" reads them as probabilities, else through a sigmoid). */
  probabilities: boolean;
  /** Where the fit was stored, with `saveTo`. */
  savedTo?: string;
}

/** Fit one stage's scores to P(relevant) on a BEIR split (see the module comment). */
export async function calibrateStage(dataset: string, options: CalibrateStageOptions): Promise<CalibrateStageResult> {
  if (options.saveTo && !(await Collection.exists(options.saveTo))) {
    throw new ShortlistError(
      'NOT_FOUND',
      `--save-to ${redact(options.saveTo)} is not a collection; create it with \`shortlist init ${redact(options.saveTo)}\` first`,
    );
  }
  const given = loadPipeline(options.pipeline);
  const set = await collectCandidates(dataset, { ...given, rerank: given.rerank.map((s) => withoutCut(s)) } as PipelineInput, {
    depth: given.depth,
    split: options.split ?? 'test',
    collection: options.collection,
    onProgress: (phase, done, total) => phase === 'search' && options.onProgress?.(done, total),
  });
  const sample = stageSample(set, options.stage);
  const split = heldOutSplit(sample.scores.length, { heldOut: options.heldOut ?? 0.3, seed: options.seed ?? 1, groups: sample.queries });
  const fingerprint = stageFingerprint(set.pipeline, sample.stage);
  const calibrator = fitCalibration(pick(sample.scores, split.fit), pick(sample.labels, split.fit), {
    method: options.method ?? 'platt',
    fingerprint,
  });
  const heldScores = pick(sample.scores, split.heldOut);
  const probabilities = heldScores.every((s) => s >= 0 && s <= 1);
  const report = calibrationReport(calibrator, heldScores, pick(sample.labels, split.heldOut), {
    uncalibrated: probabilities ? 'identity' : 'sigmoid',
  });
  const { apply: _a, applyAll: _b, ...rest } = calibrator;
  const fit = rest as CalibrationFit;
  const savedTo = options.saveTo ? await saveFit(options.saveTo, sample.stage, fit) : undefined;
  return { set, sample, fit, report, probabilities, ...(savedTo ? { savedTo } : {}) };
}

/** Stores `fit` as the calibration of `stage` in the collection at `location`; returns where it is kept. */
async function saveFit(location: string, stage: string, fit: CalibrationFit): Promise<string> {
  const c = await Collection.open(location);
  try {
    return await storeStageCalibration(c.config, stage, fit);
  } finally {
    await c.close();
  }
}

/** A rerank stage without its `minRelevance`. */
function withoutCut<T extends object>(stage: T): Omit<T, 'minRelevance'> {
  const { minRelevance: _cut, ...rest } = stage as T & { minRelevance?: number };
  return rest;
}
