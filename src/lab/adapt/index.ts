/** The linear query adapter: parameters, loss, training, evaluation, storage and the collection-level `adaptCollection`. */
export * from '../../models/encoders/query-adapter.ts';
export * from './loss.ts';
export * from './train.ts';
export * from './evaluate.ts';
export * from '../../engine/query-adapter.ts';
export * from './data.ts';
export * from './adapt.ts';
