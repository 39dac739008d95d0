/**
 * The systems the bench compares, as one frozen table, and how a worker builds each. Heavy
 * libraries are imported only by the system that uses them, so a child's peak memory is its own.
 */
import { join } from 'node:path';
import { ShortlistError } from '../../src/core/errors.ts';
import type { RawOrtOptions } from './raw-ort.ts';

/** What a system does: score (query, document) pairs or embed documents. */
export type Task = 'rerank' | 'embed';

/** One system of the comparison. */
export interface SystemSpec {
  /** Short stable id used in tables and JSON. */
  id: string;
  task: Task;
  /** How it runs. */
  engine: 'shortlist' | 'transformers.js' | 'ort';
  /** ONNX file variant. */
  dtype: 'fp32' | 'int8';
  /** Raw ONNX Runtime settings (engine `ort`). */
  ort?: RawOrtOptions;
  /** One-line description for the report. */
  label: string;
}

/** The standard systems (`--explore` adds raw-ORT session-option variants, see {@link exploreSystems}). */
export const SYSTEMS: readonly SystemSpec[] = Object.freeze([
  { id: 'shortlist', task: 'rerank', engine: 'shortlist', dtype: 'fp32', label: 'shortlist CrossEncoder.score, fp32, default batching' },
  { id: 'shortlist-int8', task: 'rerank', engine: 'shortlist', dtype: 'int8', label: 'shortlist CrossEncoder.score, model_quantized.onnx' },
  {
    id: 'transformers.js',
    task: 'rerank',
    engine: 'transformers.js',
    dtype: 'fp32',
    label: 'AutoTokenizer(text_pair, padding) + AutoModelForSequenceClassification + sigmoid',
  },
  {
    id: 'ort-padded',
    task: 'rerank',
    engine: 'ort',
    dtype: 'fp32',
    ort: { padding: 'longest' },
    label: 'raw onnxruntime-node, one batch padded to the longest pair',
  },
  {
    id: 'ort-sorted',
    task: 'rerank',
    engine: 'ort',
    dtype: 'fp32',
    ort: { padding: 'sorted', batchTokens: 4096 },
    label: 'raw onnxruntime-node, length-sorted batches ≤ 4096 tokens',
  },
  {
    id: 'ort-sorted-int8',
    task: 'rerank',
    engine: 'ort',
    dtype: 'int8',
    ort: { padding: 'sorted', batchTokens: 4096 },
    label: 'raw onnxruntime-node, int8, length-sorted batches ≤ 4096 tokens',
  },
  {
    id: 'shortlist-embed',
    task: 'embed',
    engine: 'shortlist',
    dtype: 'fp32',
    label: "shortlist BiEncoder.embed(docs, 'document'), cls + normalize",
  },
  {
    id: 'transformers.js-embed',
    task: 'embed',
    engine: 'transformers.js',
    dtype: 'fp32',
    label: "pipeline('feature-extraction') {pooling:'cls', normalize:true}",
  },
  {
    id: 'ort-padded-embed',
    task: 'embed',
    engine: 'ort',
    dtype: 'fp32',
    ort: { padding: 'longest' },
    label: 'raw onnxruntime-node, padded to the longest document, cls + normalize',
  },
]);

/** Raw-ORT rerank variants that vary one batching or session setting from `ort-sorted`. */
export function exploreSystems(): SystemSpec[] {
  const variants: Array<[string, RawOrtOptions]> = [
    ['one-by-one', { padding: 'sorted', maxBatch: 1 }],
    ['budget-1024', { padding: 'sorted', batchTokens: 1024 }],
    ['budget-2048', { padding: 'sorted', batchTokens: 2048 }],
    ['budget-8192', { padding: 'sorted', batchTokens: 8192 }],
    ['no-arena', { padding: 'sorted', batchTokens: 4096, memArena: false }],
    ['no-mem-pattern', { padding: 'sorted', batchTokens: 4096, memPattern: false }],
    ['opt-extended', { padding: 'sorted', batchTokens: 4096, optimization: 'extended' }],
    ['opt-basic', { padding: 'sorted', batchTokens: 4096, optimization: 'basic' }],
    ['parallel-2', { padding: 'sorted', batchTokens: 4096, executionMode: 'parallel', interOpThreads: 2 }],
    ['no-spin', { padding: 'sorted', batchTokens: 4096, config: { 'session.intra_op.allow_spinning': '0' } }],
    ['one-by-one-no-spin', { padding: 'sorted', maxBatch: 1, config: { 'session.intra_op.allow_spinning': '0' } }],
  ];
  return variants.map(([name, ort]) => ({
    id: `ort-${name}`,
    task: 'rerank',
    engine: 'ort',
    dtype: 'fp32',
    ort,
    label: `raw ORT sorted, ${name}`,
  }));
}

/** Inputs a worker needs to build a system. */
export interface SystemInputs {
  folder: string;
  threads: number;
  maxLength: number;
}

/** A built system: run it on the first `n` documents, then dispose. */
export interface SystemRunner {
  /** Rerank: one logit per document; embed: one vector per document. In input order. */
  run(query: string, docs: readonly string[]): Promise<{ values: number[] | Float32Array[]; paddedTokens?: number; tokens?: number }>;
  dispose(): Promise<void>;
}

/** Build `spec` over the model in `inputs.folder`. */
export async function buildSystem(spec: SystemSpec, inputs: SystemInputs): Promise<SystemRunner> {
  if (spec.engine === 'shortlist') return spec.task === 'rerank' ? shortlistRerank(spec, inputs) : shortlistEmbed(inputs);
  if (spec.engine === 'transformers.js') return spec.task === 'rerank' ? transformersRerank(inputs) : transformersEmbed(inputs);
  return rawOrt(spec, inputs);
}

async function shortlistRerank(spec: SystemSpec, { folder, threads, maxLength }: SystemInputs): Promise<SystemRunner> {
  const { CrossEncoder } = await import('../../src/models/encoders/cross-encoder.ts');
  const ce = await CrossEncoder.create({ model: folder, dtype: spec.dtype, threads, preset: { activation: 'sigmoid', maxLength } });
  return {
    async run(query, docs) {
      const scores = await ce.score(query, docs);
      return { values: scores.map((s) => s.logit), paddedTokens: ce.lastStats?.paddedTokens, tokens: ce.lastStats?.tokens };
    },
    dispose: () => ce.dispose(),
  };
}

async function shortlistEmbed({ folder, threads, maxLength }: SystemInputs): Promise<SystemRunner> {
  const { BiEncoder } = await import('../../src/models/encoders/bi-encoder.ts');
  const be = await BiEncoder.create({ model: folder, threads, preset: { pooling: 'cls', normalize: true, maxLength } });
  return {
    async run(_query, docs) {
      const values = await be.embed(docs, 'document');
      return { values, paddedTokens: be.lastStats?.paddedTokens, tokens: be.lastStats?.tokens };
    },
    dispose: () => be.dispose(),
  };
}

async function transformers() {
  const tjs = await import('@huggingface/transformers');
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = '/';
  return tjs;
}

async function transformersRerank({ folder, threads }: SystemInputs): Promise<SystemRunner> {
  const { AutoTokenizer, AutoModelForSequenceClassification } = await transformers();
  const tokenizer = await AutoTokenizer.from_pretrained(folder);
  const model = await AutoModelForSequenceClassification.from_pretrained(folder, {
    dtype: 'fp32',
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  return {
    async run(query, docs) {
      const inputs = tokenizer(
        docs.map(() => query),
        { text_pair: [...docs], padding: true, truncation: true },
      );
      const { logits } = await model(inputs);
      const scores = logits.sigmoid().tolist() as number[][];
      const raw = logits.tolist() as number[][];
      if (scores.length !== docs.length)
        throw new ShortlistError('INTERNAL', `transformers.js returned ${scores.length} scores for ${docs.length} documents`);
      const [batch, length] = inputs.input_ids.dims as number[];
      return { values: raw.map((r) => r[0]), paddedTokens: batch * length };
    },
    async dispose() {
      await model.dispose();
    },
  };
}

async function transformersEmbed({ folder, threads }: SystemInputs): Promise<SystemRunner> {
  const { pipeline } = await transformers();
  const extractor = await pipeline('feature-extraction', folder, {
    dtype: 'fp32',
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  return {
    async run(_query, docs) {
      const out = await extractor([...docs], { pooling: 'cls', normalize: true });
      return { values: (out.tolist() as number[][]).map((r) => Float32Array.from(r)) };
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}

async function rawOrt(spec: SystemSpec, { folder, threads, maxLength }: SystemInputs): Promise<SystemRunner> {
  const { RawOrt } = await import('./raw-ort.ts');
  const file = join(folder, 'onnx', spec.dtype === 'int8' ? 'model_quantized.onnx' : 'model.onnx');
  const output = spec.task === 'rerank' ? 'logits' : 'last_hidden_state';
  const ort = await RawOrt.create(folder, file, output, { threads, ...spec.ort! });
  return {
    async run(query, docs) {
      const values = spec.task === 'rerank' ? await ort.scorePairs(query, docs, maxLength) : await ort.embedCls(docs, maxLength);
      return { values, paddedTokens: ort.lastPadded };
    },
    dispose: () => ort.dispose(),
  };
}
