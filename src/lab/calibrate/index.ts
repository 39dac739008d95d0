/** Calibration of stage scores to P(relevant): Platt scaling, isotonic regression, Brier/ECE. */
export * from '../../pipeline/calibration/platt.ts';
export * from '../../pipeline/calibration/isotonic.ts';
export * from './metrics.ts';
export * from '../../pipeline/calibration/fit.ts';
export * from './report.ts';
export { checkSample, checkProbabilities, type SampleCounts } from '../../pipeline/calibration/input.ts';
export * from '../../engine/calibration.ts';
export * from './workflow.ts';
