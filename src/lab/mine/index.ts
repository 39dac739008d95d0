/** Hard-negative mining: options, the miner, its inputs and first stage. */
export * from './options.ts';
export * from './mine.ts';
export * from './input.ts';
export * from './source.ts';
