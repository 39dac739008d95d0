/**
 * The adapter file in a collection directory (`query-adapter.json`): the weights as base64
 * little-endian float32, with the dense model's fingerprint entry. A collection loads it when its
 * dense model is loaded and refuses (INDEX_MISMATCH) when the entry names another model, revision
 * or size: an adapter learned for one embedding space is noise in another.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { canonicalJson, type ModelRef } from '../../store/fingerprint.ts';
import type { QueryAdapter } from './adapter.ts';

/** The adapter file's name inside a collection directory. */
export const ADAPTER_FILE = 'query-adapter.json';
const FORMAT = 'shortlist.query-adapter';

/** What is stored besides the weights. */
export interface AdapterMeta {
  /** The dense model the adapter was trained for (the collection fingerprint's `models.dense`). */
  model: ModelRef;
  /** Training settings and results, for `info` and audits. */
  training?: Record<string, unknown>;
}

/** The file as JSON. */
interface AdapterFile extends AdapterMeta {
  format: typeof FORMAT;
  version: 1;
  dims: number;
  W: string;
  b: string;
}

/** Writes `adapter` into the collection directory `dir` (atomically); returns the file path. */
export function saveQueryAdapter(dir: string, adapter: QueryAdapter, meta: AdapterMeta): string {
  const file: AdapterFile = { format: FORMAT, version: 1, dims: adapter.dims, model: meta.model, ...(meta.training ? { training: meta.training } : {}), W: toBase64(adapter.W), b: toBase64(adapter.b) };
  const path = join(dir, ADAPTER_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(file) + '\n');
  renameSync(tmp, path);
  return path;
}

/** Reads the adapter file of `dir` with its metadata; undefined when there is none. */
export function readQueryAdapter(dir: string): (AdapterMeta & { adapter: QueryAdapter }) | undefined {
  const path = join(dir, ADAPTER_FILE);
  if (!existsSync(path)) return undefined;
  let f: AdapterFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as AdapterFile;
  } catch (err) {
    throw new ShortlistError('INDEX_CORRUPT', `${path} is not valid JSON; delete it and run \`shortlist adapt\` again`, { cause: err });
  }
  if (f.format !== FORMAT || f.version !== 1 || !Number.isInteger(f.dims) || typeof f.W !== 'string' || typeof f.b !== 'string') {
    throw new ShortlistError('INDEX_CORRUPT', `${path} is not a shortlist query adapter (format ${JSON.stringify(f.format)} version ${JSON.stringify(f.version)}); delete it and run \`shortlist adapt\` again`);
  }
  const W = fromBase64(f.W);
  const b = fromBase64(f.b);
  if (W.length !== f.dims * f.dims || b.length !== f.dims) throw new ShortlistError('INDEX_CORRUPT', `${path}: weights hold ${W.length} + ${b.length} values, expected ${f.dims}² + ${f.dims}; delete it and run \`shortlist adapt\` again`);
  return { adapter: { dims: f.dims, W, b }, model: f.model, ...(f.training ? { training: f.training } : {}) };
}

/**
 * The adapter of `dir` for the dense model `model`; undefined when there is none. Throws
 * INDEX_MISMATCH when the file was trained for another model (or dims).
 */
export function loadQueryAdapter(dir: string, model: ModelRef): QueryAdapter | undefined {
  const read = readQueryAdapter(dir);
  if (!read) return undefined;
  if (canonicalJson(read.model) !== canonicalJson(model) || read.adapter.dims !== model.dims) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${join(dir, ADAPTER_FILE)} was trained for dense model ${canonicalJson(read.model)}, but the collection's is ${canonicalJson(model)}; retrain it with \`shortlist adapt ${dir} --train …\`, delete it, or search with the adapter off`,
    );
  }
  return read.adapter;
}

function toBase64(v: Float32Array): string {
  const le = new Float32Array(v); // copy: the platform is little-endian on every Node target
  return Buffer.from(le.buffer, le.byteOffset, le.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
  return out;
}
