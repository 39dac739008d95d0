/**
 * The generated models the bench runs, cached under `<bench cache>/models/<shape>-<head>-s<seed>-<hash>`
 * where `hash` fingerprints the generator's sources and the vocabulary, so a changed generator
 * regenerates. A folder is written to a temporary name and renamed, so an interrupted generation
 * is never reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateModel, type GeneratedDtype } from '../../scripts/models/generate.ts';
import { SHAPES, type Head, type ShapeName } from '../../scripts/models/shapes.ts';
import { defaultVocabPath } from '../../scripts/models/vocab.ts';
import { benchCacheDir } from '../common/cache.ts';

const SCRIPTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'models');

/** One generated model the bench needs. */
export interface ModelSpec {
  shape: ShapeName;
  head: Head;
  dtypes: GeneratedDtype[];
  seed: number;
}

/** The reranker (MiniLM-L6 shape, one-logit classifier, fp32 + int8) and the embedder (bge-small shape, encoder). */
export const BENCH_MODELS = Object.freeze({
  rerank: { shape: 'minilm-l6', head: 'classifier', dtypes: ['fp32', 'int8'], seed: 42 },
  embed: { shape: 'bge-small', head: 'encoder', dtypes: ['fp32'], seed: 42 },
} as const satisfies Record<string, ModelSpec>);

/** The folder of `spec`, generated on first use. */
export async function benchModel(spec: ModelSpec, log: (line: string) => void = () => {}): Promise<string> {
  const dir = join(benchCacheDir(), 'models', `${spec.shape}-${spec.head}-s${spec.seed}-${spec.dtypes.join('+')}-${generatorHash()}`);
  if (existsSync(join(dir, 'onnx', 'model.onnx'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  const started = performance.now();
  await rm(tmp, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await generateModel({ out: tmp, shape: spec.shape, head: spec.head, seed: spec.seed, dtypes: [...spec.dtypes] });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  log(`generated ${spec.shape}/${spec.head} in ${((performance.now() - started) / 1000).toFixed(1)} s → ${dir}`);
  return dir;
}

/** The shape numbers of `spec`. */
export function shapeOf(spec: ModelSpec): (typeof SHAPES)[ShapeName] {
  return SHAPES[spec.shape];
}

let hash: string | undefined;
/** Twelve hex digits over the generator's sources and the vocabulary path. */
function generatorHash(): string {
  if (hash) return hash;
  const h = createHash('sha256');
  for (const name of readdirSync(SCRIPTS)
    .filter((f) => f.endsWith('.ts'))
    .sort())
    h.update(name).update(readFileSync(join(SCRIPTS, name)));
  h.update(String(defaultVocabPath()));
  return (hash = h.digest('hex').slice(0, 12));
}
