/**
 * scifact's corpus and queries embedded with a generated bge-small-shaped encoder (random weights,
 * real shape, CLS pooling, L2-normalised), cached as raw float32 files under the bench cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BiEncoder } from '../../src/models/encoders/bi-encoder.ts';
import { benchCacheDir } from '../common/cache.ts';
import { BENCH_MODELS, benchModel } from '../models/models.ts';
import { scifactDir } from '../models/data.ts';
import { cached } from './data.ts';

/** Embedded scifact: documents and queries, flattened rows × dims. */
export interface EmbeddedSet {
  base: Float32Array;
  queries: Float32Array;
  dims: number;
  /** Cache files of `base` and `queries`. */
  basePath: string;
  queryPath: string;
}

function readJsonl(path: string): Record<string, string>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

function flatten(rows: Float32Array[], dims: number): Float32Array {
  const out = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => out.set(r, i * dims));
  return out;
}

/** The first `docs` scifact documents (title + text, cut to `maxLength` tokens) and every query, embedded once and cached. */
export async function scifactVectors(docs: number, maxLength: number, log: (line: string) => void): Promise<EmbeddedSet> {
  const dir = scifactDir();
  if (!dir || !existsSync(dir)) throw new Error('scifact not found under ../shared/datasets/scifact; run without --scifact');
  const folder = await benchModel(BENCH_MODELS.embed, log);
  let encoder: BiEncoder | undefined;
  const enc = async () => (encoder ??= await BiEncoder.create({ model: folder, preset: { pooling: 'cls', normalize: true, maxLength } }));
  const dims = 384;
  const root = join(benchCacheDir(), 'ann', 'scifact');
  const corpus = readJsonl(join(dir, 'corpus.jsonl')).slice(0, docs);
  const queries = readJsonl(join(dir, 'queries.jsonl'));
  const basePath = join(root, `docs-${corpus.length}-t${maxLength}.f32`);
  const queryPath = join(root, `queries-${queries.length}.f32`);
  const base = await cachedAsync(basePath, async () => {
    const t0 = performance.now();
    const out: Float32Array[] = [];
    const e = await enc();
    for (let i = 0; i < corpus.length; i += 128) {
      out.push(
        ...(await e.embed(
          corpus.slice(i, i + 128).map((d) => `${d.title ?? ''}\n\n${d.text ?? ''}`),
          'document',
        )),
      );
      log(`embedded ${out.length}/${corpus.length} documents (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    return flatten(out, dims);
  });
  const q = await cachedAsync(queryPath, async () =>
    flatten(
      await (await enc()).embed(
        queries.map((x) => x.text),
        'query',
      ),
      dims,
    ),
  );
  await encoder?.dispose();
  return { base, queries: q, dims, basePath, queryPath };
}

async function cachedAsync(path: string, make: () => Promise<Float32Array>): Promise<Float32Array> {
  if (existsSync(path)) return cached(path, () => new Float32Array(0), Float32Array);
  const v = await make();
  return cached(path, () => v, Float32Array);
}
