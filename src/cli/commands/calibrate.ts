/**
 * `shortlist calibrate <beir-dir> --pipeline p.json --split dev`: fits one stage's scores to
 * P(relevant) (Platt or isotonic) on the judged queries of one split, holding out a part of the
 * queries (whole queries, seeded) to report Brier score and ECE before and after; `--out` stores the
 * fit with the stage's fingerprint; `--save-to <collection>` stores it in the collection (its
 * `calibration.json`, or config `calibration` of a `postgres://` collection) under the stage's
 * name, where a rerank stage's `minRelevance` reads it. Every
 * candidate of the stage is scored (the pipeline is run at its depth with every rerank stage keeping
 * all candidates, and without any `minRelevance` cut); unjudged documents count as not relevant.
 */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ShortlistError } from '../../core/errors.ts';
import { collectCandidates, type CandidateSet } from '../../lab/candidates.ts';
import { loadPipeline } from '../../pipeline/presets.ts';
import type { PipelineInput } from '../../pipeline/config.ts';
import { Collection } from '../../engine/collection.ts';
import { redact } from '../../store/postgres/pool.ts';
import { storeStageCalibration, stageFingerprint as fingerprintOf } from '../../engine/calibration.ts';
import { CALIBRATION_METHODS, calibrationReport, fitCalibration, heldOutSplit, pick, type CalibrationMethod, type CalibrationReport, type CalibrationFit } from '../../lab/calibrate/index.ts';
import { createProgress } from '../progress.ts';
import { formatTable, printJson } from '../output.ts';
import { parseNumber } from '../parse.ts';

interface CalibrateFlags {
  pipeline: string;
  split: string;
  method: CalibrationMethod;
  stage?: string;
  heldOut: number;
  seed: number;
  out?: string;
  saveTo?: string;
  collection?: string;
  json?: boolean;
}

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
  if (!names.includes(name)) throw new ShortlistError('INVALID_ARGUMENT', `--stage "${stage}" is not a stage of the pipeline; stages: ${names.join(', ')}`);
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

export { stageFingerprint } from '../../engine/calibration.ts';

export function register(program: Command): void {
  program
    .command('calibrate')
    .description('fit a stage\'s scores to P(relevant) (Platt or isotonic) on one split, reporting Brier score and ECE before/after on held-out queries')
    .argument('<beir-dir>', 'BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv')
    .requiredOption('--pipeline <file|preset>', 'the pipeline (preset or JSON file)')
    .option('--split <name>', 'qrels split to fit on', 'test')
    .addOption(new Option('--method <name>', 'calibration method').choices([...CALIBRATION_METHODS]).default('platt'))
    .option('--stage <name>', 'the stage whose scores are calibrated (default: the last)')
    .option('--held-out <fraction>', 'fraction of the queries held out for the before/after report', parseNumber('--held-out'), 0.3)
    .option('--seed <n>', 'seed of the held-out split', parseNumber('--seed'), 1)
    .option('--out <file>', 'write the fit (JSON, with the stage fingerprint) here')
    .option('--save-to <collection>', 'store the fit in this collection (directory or postgres:// URL; by stage name) for a stage\'s minRelevance')
    .option('--collection <dir>', 'keep (and reuse) the collection in this directory instead of a temporary one')
    .option('--json', 'print one JSON object (no progress bar)')
    .action(async (dir: string, opts: CalibrateFlags) => {
      if (opts.saveTo && !(await Collection.exists(opts.saveTo))) {
        throw new ShortlistError('NOT_FOUND', `--save-to ${redact(opts.saveTo)} is not a collection; create it with \`shortlist init ${redact(opts.saveTo)}\` first`);
      }
      const progress = createProgress('scoring', { unit: 'queries', quiet: opts.json });
      // Every candidate is scored to fit: a stage's minRelevance (which needs this very fit) is left out.
      const given = loadPipeline(opts.pipeline);
      const set = await collectCandidates(dir, { ...given, rerank: given.rerank.map((s) => withoutCut(s)) } as PipelineInput, {
        depth: given.depth,
        split: opts.split,
        collection: opts.collection,
        onProgress: (phase, done, total) => phase === 'search' && progress.update(done, total),
      });
      progress.stop();
      const sample = stageSample(set, opts.stage);
      const split = heldOutSplit(sample.scores.length, { heldOut: opts.heldOut, seed: opts.seed, groups: sample.queries });
      const fingerprint = fingerprintOf(set.pipeline, sample.stage);
      const calibrator = fitCalibration(pick(sample.scores, split.fit), pick(sample.labels, split.fit), { method: opts.method, fingerprint });
      const heldScores = pick(sample.scores, split.heldOut);
      const probabilities = heldScores.every((s) => s >= 0 && s <= 1);
      const report = calibrationReport(calibrator, heldScores, pick(sample.labels, split.heldOut), { uncalibrated: probabilities ? 'identity' : 'sigmoid' });
      const { apply: _a, applyAll: _b, ...fit } = calibrator;
      if (opts.out) writeFileSync(opts.out, JSON.stringify(fit, null, 2) + '\n');
      const saved = opts.saveTo ? await saveFit(opts.saveTo, sample.stage, fit as CalibrationFit) : undefined;
      if (opts.json) return printJson({ dataset: set.dataset, split: set.split, stage: sample.stage, fit, heldOut: summary(report), uncalibrated: probabilities ? 'identity' : 'sigmoid', ...(saved ? { savedTo: saved } : {}) });
      process.stdout.write(calibrateReport(set, sample, fit, report, probabilities, opts.out, saved) + '\n');
    });
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

/** The held-out numbers for `--json`: Brier, ECE and the reliability bins (the report's diagram) before and after. */
function summary(r: CalibrationReport) {
  return { n: r.n, positives: r.positives, bins: r.bins, before: r.before, after: r.after };
}

function calibrateReport(set: CandidateSet, sample: StageSample, fit: CalibrationFit, r: CalibrationReport, probabilities: boolean, out?: string, saved?: string): string {
  const params = fit.method === 'platt' ? `a=${fit.params.a.toFixed(4)} b=${fit.params.b.toFixed(4)}` : `${fit.params.thresholds.length} steps`;
  return [
    `${set.dataset} (${set.split}): ${set.queries.length} queries; stage ${sample.stage}: ${sample.scores.length.toLocaleString('en-US')} scored pairs`,
    `${fit.method} fit on ${fit.trainedOn.n.toLocaleString('en-US')} pairs (${fit.trainedOn.positives} relevant): ${params}; fingerprint ${fit.fingerprint}`,
    `held out: ${r.n.toLocaleString('en-US')} pairs (${r.positives} relevant); "before" reads the raw scores ${probabilities ? 'as probabilities' : 'through a sigmoid'}`,
    '',
    formatTable(['', 'brier', `ece (${r.bins} bins)`], [['before', r.before.brier.toFixed(4), r.before.ece.toFixed(4)], ['after', r.after.brier.toFixed(4), r.after.ece.toFixed(4)]]),
    ...(out ? ['', `fit written to ${out}`] : []),
    ...(saved ? [`${out ? '' : '\n'}fit stored in ${saved} (stage ${sample.stage}); a pipeline's "minRelevance" on that stage now cuts by this probability`] : []),
  ].join('\n');
}
