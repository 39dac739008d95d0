/**
 * `shortlist calibrate <beir-dir> --pipeline p.json --split dev`: fits one stage's scores to
 * P(relevant) (Platt or isotonic) on the judged queries of one split (the workflow is
 * `calibrateStage` in `src/lab/calibrate/workflow.ts`), holding out a part of the
 * queries (whole queries, seeded) to report Brier score and ECE before and after; `--out` stores the
 * fit with the stage's fingerprint; `--save-to <collection>` stores it in the collection (its
 * `calibration.json`, or config `calibration` of a `postgres://` collection) under the stage's
 * name, where a rerank stage's `minRelevance` reads it. Every
 * candidate of the stage is scored (the pipeline is run at its depth with every rerank stage keeping
 * all candidates, and without any `minRelevance` cut); unjudged documents count as not relevant.
 */
import { type Command, Option } from 'commander';
import { writeJsonAtomic } from '../../core/fsync.ts';
import {
  CALIBRATION_METHODS,
  calibrateStage,
  type CalibrationMethod,
  type CalibrationReport,
  type CalibrationFit,
  type StageSample,
} from '../../lab/calibrate/index.ts';
import type { CandidateSet } from '../../lab/candidates.ts';
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

export function register(program: Command): void {
  program
    .command('calibrate')
    .description(
      "fit a stage's scores to P(relevant) (Platt or isotonic) on one split, reporting Brier score and ECE before/after on held-out queries",
    )
    .argument('<beir-dir>', 'BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv')
    .requiredOption('--pipeline <file|preset>', 'the pipeline (preset or JSON file)')
    .option('--split <name>', 'qrels split to fit on', 'test')
    .addOption(new Option('--method <name>', 'calibration method').choices([...CALIBRATION_METHODS]).default('platt'))
    .option('--stage <name>', 'the stage whose scores are calibrated (default: the last)')
    .option('--held-out <fraction>', 'fraction of the queries held out for the before/after report', parseNumber('--held-out'), 0.3)
    .option('--seed <n>', 'seed of the held-out split', parseNumber('--seed'), 1)
    .option('--out <file>', 'write the fit (JSON, with the stage fingerprint) here')
    .option(
      '--save-to <collection>',
      "store the fit in this collection (directory or postgres:// URL; by stage name) for a stage's minRelevance",
    )
    .option('--collection <dir>', 'keep (and reuse) the collection in this directory instead of a temporary one')
    .option('--json', 'print one JSON object (no progress bar)')
    .action(async (dir: string, opts: CalibrateFlags) => {
      const progress = createProgress('scoring', { unit: 'queries', quiet: opts.json });
      const {
        set,
        sample,
        fit,
        report,
        probabilities,
        savedTo: saved,
      } = await calibrateStage(dir, {
        pipeline: opts.pipeline,
        split: opts.split,
        method: opts.method,
        stage: opts.stage,
        heldOut: opts.heldOut,
        seed: opts.seed,
        saveTo: opts.saveTo,
        collection: opts.collection,
        onProgress: (done, total) => progress.update(done, total),
      }).finally(() => progress.stop());
      if (opts.out) writeJsonAtomic(opts.out, fit, { indent: 2 });
      if (opts.json)
        return printJson({
          dataset: set.dataset,
          split: set.split,
          stage: sample.stage,
          fit,
          heldOut: summary(report),
          uncalibrated: probabilities ? 'identity' : 'sigmoid',
          ...(saved ? { savedTo: saved } : {}),
        });
      process.stdout.write(calibrateReport(set, sample, fit, report, probabilities, opts.out, saved) + '\n');
    });
}

/** The held-out numbers for `--json`: Brier, ECE and the reliability bins (the report's diagram) before and after. */
function summary(r: CalibrationReport) {
  return { n: r.n, positives: r.positives, bins: r.bins, before: r.before, after: r.after };
}

function calibrateReport(
  set: CandidateSet,
  sample: StageSample,
  fit: CalibrationFit,
  r: CalibrationReport,
  probabilities: boolean,
  out?: string,
  saved?: string,
): string {
  const params =
    fit.method === 'platt' ? `a=${fit.params.a.toFixed(4)} b=${fit.params.b.toFixed(4)}` : `${fit.params.thresholds.length} steps`;
  return [
    `${set.dataset} (${set.split}): ${set.queries.length} queries; stage ${sample.stage}: ${sample.scores.length.toLocaleString('en-US')} scored pairs`,
    `${fit.method} fit on ${fit.trainedOn.n.toLocaleString('en-US')} pairs (${fit.trainedOn.positives} relevant): ${params}; fingerprint ${fit.fingerprint}`,
    `held out: ${r.n.toLocaleString('en-US')} pairs (${r.positives} relevant); "before" reads the raw scores ${probabilities ? 'as probabilities' : 'through a sigmoid'}`,
    '',
    formatTable(
      ['', 'brier', `ece (${r.bins} bins)`],
      [
        ['before', r.before.brier.toFixed(4), r.before.ece.toFixed(4)],
        ['after', r.after.brier.toFixed(4), r.after.ece.toFixed(4)],
      ],
    ),
    ...(out ? ['', `fit written to ${out}`] : []),
    ...(saved
      ? [
          `${out ? '' : '\n'}fit stored in ${saved} (stage ${sample.stage}); a pipeline's "minRelevance" on that stage now cuts by this probability`,
        ]
      : []),
  ].join('\n');
}
