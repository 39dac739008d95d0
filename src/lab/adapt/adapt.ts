/**
 * `adaptCollection`: trains a query adapter for a collection's dense model from mined files.
 * 1. read the training (and dev) file; without a dev file hold out a seeded share of the queries
 * 2. embed queries (as queries, no adapter) and every passage (as documents) with the dense model
 * 3. train (InfoNCE, in-batch + mined negatives, Adam, early stopping on dev loss)
 * 4. report Recall@10 / nDCG@10 on the dev queries before and after: each dev query ranks every
 *    passage of the files by cosine; its positives are the relevant ones
 * 5. store the adapter with the dense model's fingerprint entry (unless `dryRun`): `query-adapter.json`
 *    in a collection directory, config `query-adapter` in a Postgres collection
 */
import { ShortlistError } from '../../core/errors.ts';
import { Collection } from '../../engine/collection.ts';
import { DenseModel } from '../../engine/models.ts';
import { denseRetrievers } from '../../pipeline/config.ts';
import { unit } from '../../models/encoders/query-adapter.ts';
import { readTrainingFile, splitGroups, type TextGroup } from './data.ts';
import { evaluateVectors } from './evaluate.ts';
import { storeCollectionAdapter } from '../../engine/query-adapter.ts';
import type { TrainingExample } from './loss.ts';
import { TRAIN_DEFAULTS, trainAdapter, type TrainAdapterOptions, type TrainAdapterResult } from './train.ts';

/** Options of {@link adaptCollection}. */
export interface AdaptOptions extends TrainAdapterOptions {
  /** Mined training file (any exported layout). */
  train: string;
  /** Dev file; without one `devFraction` of the training queries is held out. */
  dev?: string;
  /** Share of training queries held out for dev when no dev file is given. @default 0.2 */
  devFraction?: number;
  /** Train and report, but do not write the adapter. @default false */
  dryRun?: boolean;
  /** Texts embedded per call. @default 64 */
  embedBatch?: number;
  /** Progress of embedding. */
  onProgress?: (phase: 'embed', done: number, total: number) => void;
}

/** What {@link adaptCollection} did. */
export interface AdaptReport {
  trainQueries: number;
  devQueries: number;
  passages: number;
  dims: number;
  before: Record<string, number>;
  after: Record<string, number>;
  training: Omit<TrainAdapterResult, 'adapter'>;
  /** Where the adapter was stored (the file, or the URL with the config name), unless a dry run. */
  file?: string;
}

/** Trains and stores the query adapter of the collection at `dir`, a directory or a `postgres://` URL (see the module comment). */
export async function adaptCollection(dir: string, options: AdaptOptions): Promise<AdaptReport> {
  const c = await Collection.open(dir, { adapter: false });
  let model: DenseModel | undefined;
  try {
    const cfg = denseRetrievers(c.pipeline)[0];
    const fp = (await c.info()).fingerprint;
    if (!cfg || !fp.models.dense)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `${dir} has no dense retriever; a query adapter maps dense query embeddings, so create the collection with a dense model`,
      );
    const data = await readTrainingFile(options.train);
    let split: { train: TextGroup[]; dev: TextGroup[] };
    if (options.dev) {
      const before = data.groups.length;
      await readTrainingFile(options.dev, data);
      split = { train: data.groups.slice(0, before), dev: data.groups.slice(before) };
    } else split = splitGroups(data.groups, options.devFraction ?? 0.2, options.seed ?? TRAIN_DEFAULTS.seed);
    model = await DenseModel.load(cfg);
    const batch = options.embedBatch ?? 64;
    const total = data.passages.length + data.groups.length;
    let done = 0;
    const embedAll = async (texts: string[], kind: 'query' | 'document') => {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batch) {
        out.push(...(await model!.embed(texts.slice(i, i + batch), kind)));
        done += Math.min(batch, texts.length - i);
        options.onProgress?.('embed', done, total);
      }
      return out;
    };
    const docs = (await embedAll(data.passages, 'document')).map(unit);
    const queryVec = new Map<string, Float32Array>();
    const qs = [...new Set(data.groups.map((g) => g.query))];
    (await embedAll(qs, 'query')).forEach((v, i) => queryVec.set(qs[i], v));
    const examples = (groups: TextGroup[]): TrainingExample[] =>
      groups.flatMap((g) =>
        g.positives.map((p) => ({ query: queryVec.get(g.query)!, positive: p, negatives: g.negatives, positives: g.positives })),
      );
    const result = trainAdapter(examples(split.train), examples(split.dev), docs, options);
    const devQueries = split.dev.map((g) => ({ vector: queryVec.get(g.query)!, relevant: g.positives }));
    const before = evaluateVectors(devQueries, docs);
    const after = evaluateVectors(devQueries, docs, result.adapter);
    const { adapter, ...training } = result;
    const report: AdaptReport = {
      trainQueries: split.train.length,
      devQueries: split.dev.length,
      passages: docs.length,
      dims: adapter.dims,
      before,
      after,
      training,
    };
    if (!options.dryRun) {
      const settings = {
        ...TRAIN_DEFAULTS,
        ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k in TRAIN_DEFAULTS)),
      };
      report.file = await storeCollectionAdapter(c.config, adapter, {
        model: fp.models.dense,
        training: {
          settings,
          trainQueries: report.trainQueries,
          devQueries: report.devQueries,
          bestEpoch: result.bestEpoch,
          devLoss: result.devLoss,
          before,
          after,
        },
      });
    }
    return report;
  } finally {
    await model?.dispose();
    await c.close();
  }
}
