/**
 * The pure half of an upsert: validate the incoming documents, hash their content and sort them
 * into added, updated (content or metadata only) and unchanged against what is stored. Shared by
 * every backend so they reject the same input with the same messages.
 */
import { createHash } from 'node:crypto';
import { ShortlistError } from '../core/errors.ts';
import type { Document } from '../core/types.ts';
import { canonicalJson } from './fingerprint.ts';

/** A validated document with its hashes. */
export interface PreparedDoc {
  doc: Document;
  /** Hash of title and text: a change means the chunks must be embedded again. */
  contentHash: string;
  /** Canonical JSON of the metadata (`{}` when none). */
  metadataJson: string;
}

/** What is stored for a document, as far as planning needs. */
export interface StoredState {
  contentHash: string;
  metadataJson: string;
}

/** Documents sorted by what an upsert must do with them. */
export interface UpsertPlan {
  /** New documents and documents whose content changed: chunk, embed, write. */
  embed: PreparedDoc[];
  /** Documents whose metadata alone changed: rewrite the document row, keep the chunks. */
  metadataOnly: PreparedDoc[];
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * Checks every document before anything is written: an object with a non-empty string `id`, a
 * string `text` (an empty one is a document, as in Lucene: length 0, no chunks), an optional string `title` and an optional plain
 * object `metadata` that JSON can hold; ids unique within the batch.
 */
export function prepareDocs(docs: readonly unknown[]): PreparedDoc[] {
  if (!Array.isArray(docs)) throw new ShortlistError('INVALID_ARGUMENT', 'upsert expects an array of documents');
  const seen = new Map<string, number>();
  return docs.map((raw, i) => {
    const where = `documents[${i}]`;
    const bad = (field: string, what: string): never => {
      throw new ShortlistError('INVALID_INPUT', `${where}${field ? `.${field}` : ''} ${what}; nothing was written`, {
        location: { field: field || undefined },
      });
    };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('', 'is not an object with id and text');
    const d = raw as Record<string, unknown>;
    if (typeof d.id !== 'string' || d.id.length === 0)
      return bad('id', d.id === undefined ? 'is missing: every document needs a string id' : 'must be a non-empty string');
    if (typeof d.text !== 'string') return bad('text', `is missing (document "${d.id}"): every document needs its text as a string`);
    if (d.title !== undefined && d.title !== null && typeof d.title !== 'string') bad('title', `must be a string (document "${d.id}")`);
    const md = d.metadata;
    if (md !== undefined && md !== null && (typeof md !== 'object' || Array.isArray(md)))
      bad('metadata', `must be an object of fields (document "${d.id}")`);
    let metadataJson: string;
    try {
      metadataJson = canonicalJson(md ?? {});
    } catch (err) {
      return bad('metadata', `cannot be stored as JSON (document "${d.id}"): ${(err as Error).message}`);
    }
    const first = seen.get(d.id);
    if (first !== undefined) {
      throw new ShortlistError(
        'DUPLICATE_ID',
        `${where}.id "${d.id}" repeats documents[${first}].id; give each document its own id; nothing was written`,
        { location: { field: 'id' } },
      );
    }
    seen.set(d.id, i);
    const doc: Document = { id: d.id, text: d.text };
    if (typeof d.title === 'string') doc.title = d.title;
    if (md) doc.metadata = JSON.parse(metadataJson) as Record<string, unknown>;
    return { doc, contentHash: contentHash(doc), metadataJson };
  });
}

/** SHA-256 of the title and text: what the chunk vectors depend on. */
export function contentHash(doc: Pick<Document, 'title' | 'text'>): string {
  return createHash('sha256')
    .update(JSON.stringify([doc.title ?? null, doc.text]))
    .digest('hex');
}

/** Sorts prepared documents against the stored state of their ids. */
export function planUpsert(prepared: readonly PreparedDoc[], stored: ReadonlyMap<string, StoredState>): UpsertPlan {
  const plan: UpsertPlan = { embed: [], metadataOnly: [], added: 0, updated: 0, unchanged: 0 };
  for (const p of prepared) {
    const old = stored.get(p.doc.id);
    if (!old) {
      plan.added++;
      plan.embed.push(p);
    } else if (old.contentHash !== p.contentHash) {
      plan.updated++;
      plan.embed.push(p);
    } else if (old.metadataJson !== p.metadataJson) {
      plan.updated++;
      plan.metadataOnly.push(p);
    } else plan.unchanged++;
  }
  return plan;
}

/** Checks what an embed callback returned: one vector per text, each of `dims` finite numbers. */
export function checkVectors(vectors: unknown, texts: number, dims: number, what: string): Float32Array[] {
  if (!Array.isArray(vectors) || vectors.length !== texts) {
    throw new ShortlistError(
      'MODEL_ERROR',
      `${what} returned ${Array.isArray(vectors) ? vectors.length : typeof vectors} vectors for ${texts} texts; it must return one Float32Array per text`,
    );
  }
  for (const v of vectors) {
    if (!(v instanceof Float32Array))
      throw new ShortlistError(
        'MODEL_ERROR',
        `${what} returned a ${v?.constructor?.name ?? typeof v}; it must return Float32Array vectors`,
      );
    if (dims > 0 ? v.length !== dims : v.length % -dims !== 0) {
      throw new ShortlistError(
        'MODEL_ERROR',
        `${what} returned a vector of ${v.length} components; the collection holds ${dims > 0 ? dims : `multiples of ${-dims}`}`,
      );
    }
    for (let i = 0; i < v.length; i++)
      if (!Number.isFinite(v[i])) throw new ShortlistError('MODEL_ERROR', `${what} returned a vector with ${v[i]} at component ${i}`);
  }
  return vectors as Float32Array[];
}
