/** The HTML report of sweeps, pipeline evaluations, run comparisons and calibrations (`shortlist report`). */
export { buildReport, type ReportOptions } from './page.ts';
export {
  detectKind,
  parseInput,
  readInput,
  INPUT_KINDS,
  type InputKind,
  type ReportInput,
  type SweepInput,
  type EvalInput,
  type CompareInput,
  type CalibrationInput,
  type FitInput,
} from './inputs.ts';
export { renderChart, type ChartSpec } from './chart.ts';
export { qualityDepthChart, latencyDepthChart } from './charts/depth.ts';
export { deltaChart, queryDeltas, deltaStages, type QueryDelta } from './charts/delta.ts';
export { distributionChart } from './charts/distribution.ts';
export { reliabilityChart, reliabilityPoints } from './charts/reliability.ts';
export { winTieLossChart } from './charts/wins.ts';
export { fitChart, fitCurve } from './charts/fit.ts';
