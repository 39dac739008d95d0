/** Calibration of stage scores to P(relevant): Platt scaling, isotonic regression, Brier/ECE. */
export * from './platt.ts';
export * from './isotonic.ts';
export * from './metrics.ts';
export * from './fit.ts';
export * from './report.ts';
export { checkSample, checkProbabilities, type SampleCounts } from './input.ts';
export * from './stage.ts';
