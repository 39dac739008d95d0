/**
 * Generated models for tests: each (head, seed) is generated once per process into a temp folder
 * (removed when the process exits). The tiny shape takes well under a second, so nothing large is
 * committed and every test run exercises the real inference path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateModel, type GenerateOptions } from './generate.ts';
import {
  writeCrossEncoderConfig,
  writeSentenceTransformersFiles,
  type CrossEncoderActivationKey,
  type SentenceTransformersFiles,
} from './st-folder.ts';
import type { Head } from './shapes.ts';

let root: string | undefined;
const cache = new Map<string, Promise<string>>();

function tempRoot(): string {
  if (!root) {
    const dir = mkdtempSync(join(tmpdir(), 'shortlist-models-'));
    root = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return root;
}

/**
 * The folder of a tiny generated model (2 layers, hidden 32) with `onnx/model.onnx` and
 * `onnx/model_quantized.onnx`, generated on first use and reused by later calls in this process.
 */
export function tinyModel(head: Head, seed = 42): Promise<string> {
  return generatedModel({ shape: 'tiny', head, seed, dtypes: ['fp32', 'int8'] });
}

/** Like {@link tinyModel} for any generator options except `out` (cached by their JSON). */
export function generatedModel(opts: Omit<GenerateOptions, 'out'>): Promise<string> {
  const key = JSON.stringify(opts);
  let dir = cache.get(key);
  if (!dir) {
    const out = join(tempRoot(), `m${cache.size}`);
    dir = generateModel({ ...opts, out }).then(() => out);
    cache.set(key, dir);
  }
  return dir;
}

let stCount = 0;

/** A tiny generated encoder written as a full sentence-transformers folder with `st`'s settings (hidden 32). */
export async function sentenceTransformersModel(st: SentenceTransformersFiles, seed = 42): Promise<string> {
  const out = join(tempRoot(), `st${stCount++}`);
  await generateModel({ shape: 'tiny', head: 'encoder', seed, dtypes: ['fp32'], out });
  await writeSentenceTransformersFiles(out, 32, st);
  return out;
}

/** A tiny generated classifier written as a sentence-transformers cross-encoder folder recording `activation`. */
export async function crossEncoderModel(activation: CrossEncoderActivationKey, seed = 42): Promise<string> {
  const out = join(tempRoot(), `ce${stCount++}`);
  await generateModel({ shape: 'tiny', head: 'classifier', seed, dtypes: ['fp32'], out });
  await writeCrossEncoderConfig(out, activation);
  return out;
}
