/**
 * `shortlist/eval`: the evaluation lab — metric kernels with trec_eval's definitions, TREC/BEIR
 * I/O and significance tests, and the workflows over a dataset + collection + pipeline: evaluate
 * every stage, sweep the first-stage depth, compare runs, calibrate scores, mine hard negatives,
 * build the HTML report. Everything here also ships from the package root.
 *
 * @module shortlist/eval
 */
export * from '../eval/index.ts';
export { runBm25Experiment, type Bm25Experiment, type Bm25ExperimentOptions } from './bm25-experiment.ts';
export {
  evaluatePipeline,
  scoreHistogram,
  percentiles,
  SCORE_BINS,
  type PipelineEvalOptions,
  type PipelineEvalReport,
  type StageReport,
  type LatencyReport,
  type ScoreHistogram,
} from './evaluate.ts';
export {
  sweep,
  sweepCandidates,
  recommendDepth,
  SWEEP_DEFAULTS,
  type SweepOptions,
  type SweepReport,
  type SweepRow,
  type SweepLatency,
  type DepthRecommendation,
} from './sweep.ts';
export {
  fitCalibration,
  loadCalibration,
  calibrationReport,
  heldOutSplit,
  brierScore,
  expectedCalibrationError,
  reliabilityBins,
  CALIBRATION_METHODS,
  CALIBRATION_DEFAULTS,
  type Calibrator,
  type CalibrationFit,
  type CalibrationMethod,
  type CalibrationOptions,
  type CalibrationReport,
  calibrateStage,
  stageSample,
  type CalibrateStageOptions,
  type CalibrateStageResult,
  type StageSample,
} from './calibrate/index.ts';
export {
  mineHardNegatives,
  resolveMineOptions,
  MINE_DEFAULTS,
  type MineItem,
  type MineOptions,
  type MinedQuery,
  type MineSummary,
} from './mine/index.ts';
export { buildReport, readInput, parseInput, type ReportOptions, type ReportInput } from '../report/index.ts';
