/**
 * The stored query adapter: the weights as base64 little-endian float32, with the dense model's
 * fingerprint entry — `query-adapter.json` in a collection directory, config `query-adapter` in a
 * Postgres collection (the same JSON). A collection loads it when its dense model is loaded and
 * refuses (INDEX_MISMATCH) when the entry names another model, revision or size: an adapter
 * learned for one embedding space is noise in another.
 */
import { ShortlistError } from '../core/errors.ts';
import type { CollectionConfig } from './home/types.ts';
import { canonicalJson, type ModelRef } from '../store/fingerprint.ts';
import type { QueryAdapter } from '../models/encoders/query-adapter.ts';

/** The adapter file's name inside a collection directory. */
export const ADAPTER_FILE = 'query-adapter.json';
/** The config value that holds the adapter (the file's name without `.json`). */
export const ADAPTER_CONFIG = 'query-adapter';
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

/** Stores `adapter` with a collection in a directory or a database (see `Collection.config`); returns where it is kept. */
export function storeCollectionAdapter(config: CollectionConfig, adapter: QueryAdapter, meta: AdapterMeta): Promise<string> {
  return config.writeConfig(ADAPTER_CONFIG, encodeAdapter(adapter, meta));
}

/** The adapter stored with a collection in a directory or a database, with its metadata; undefined when there is none. */
export async function readCollectionAdapter(config: CollectionConfig): Promise<(AdapterMeta & { adapter: QueryAdapter }) | undefined> {
  const f = await config.readConfig(ADAPTER_CONFIG);
  return f === undefined ? undefined : decodeAdapter(f, config.configPlace(ADAPTER_CONFIG));
}

/** The adapter stored with a collection (directory or database) when it was trained for `model`; undefined when there is none; INDEX_MISMATCH when it was trained for another model, revision or size. */
export async function loadCollectionAdapter(config: CollectionConfig, model: ModelRef): Promise<QueryAdapter | undefined> {
  return matching(await readCollectionAdapter(config), model, config.configPlace(ADAPTER_CONFIG), config.display);
}

function encodeAdapter(adapter: QueryAdapter, meta: AdapterMeta): AdapterFile {
  return {
    format: FORMAT,
    version: 1,
    dims: adapter.dims,
    model: meta.model,
    ...(meta.training ? { training: meta.training } : {}),
    W: toBase64(adapter.W),
    b: toBase64(adapter.b),
  };
}

/** The adapter in stored JSON `value` read from `where`; throws INDEX_CORRUPT when it is not one. */
function decodeAdapter(value: unknown, where: string): AdapterMeta & { adapter: QueryAdapter } {
  const f = (typeof value === 'object' && value !== null ? value : {}) as Partial<AdapterFile>;
  if (f.format !== FORMAT || f.version !== 1 || !Number.isInteger(f.dims) || typeof f.W !== 'string' || typeof f.b !== 'string') {
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `${where} is not a shortlist query adapter (format ${JSON.stringify(f.format)} version ${JSON.stringify(f.version)}); delete it and run \`shortlist adapt\` again`,
    );
  }
  const dims = f.dims!;
  const W = fromBase64(f.W);
  const b = fromBase64(f.b);
  if (W.length !== dims * dims || b.length !== dims)
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `${where}: weights hold ${W.length} + ${b.length} values, expected ${dims}² + ${dims}; delete it and run \`shortlist adapt\` again`,
    );
  return { adapter: { dims, W, b }, model: f.model!, ...(f.training ? { training: f.training } : {}) };
}

/** The adapter of `read` when it was trained for `model`; INDEX_MISMATCH otherwise. */
function matching(
  read: (AdapterMeta & { adapter: QueryAdapter }) | undefined,
  model: ModelRef,
  where: string,
  location: string,
): QueryAdapter | undefined {
  if (!read) return undefined;
  if (canonicalJson(read.model) !== canonicalJson(model) || read.adapter.dims !== model.dims) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${where} was trained for dense model ${canonicalJson(read.model)}, but the collection's is ${canonicalJson(model)}; retrain it with \`shortlist adapt ${location} --train …\`, delete it, or search with the adapter off`,
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
