/**
 * Where `add` reads documents from: a folder of .md/.txt files, a JSONL file (`id` or `_id`,
 * `text`, optional `title` and `metadata` per line) or a BEIR folder (its `corpus.jsonl`).
 * Everything is read and checked before anything is written.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../core/errors.ts';
import { readJsonl } from '../core/jsonl.ts';
import type { Document } from '../core/types.ts';
import { readCorpus } from '../eval/beir.ts';
import { documentsFromFolder } from '../store/files.ts';

/** What kind of source a path is. */
export type SourceKind = 'folder' | 'jsonl' | 'beir';

/** The kind of `path`: a folder with `corpus.jsonl(.gz)` is BEIR, another folder is text files, a file is JSONL. */
export function sourceKind(path: string): SourceKind {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info)
    throw new ShortlistError('NOT_FOUND', `${path} does not exist; give a folder of .md/.txt files, a .jsonl file or a BEIR folder`);
  if (info.isFile()) return 'jsonl';
  return existsSync(join(path, 'corpus.jsonl')) || existsSync(join(path, 'corpus.jsonl.gz')) ? 'beir' : 'folder';
}

/** Every document of `path` (see the module comment). */
export async function readSource(path: string): Promise<{ kind: SourceKind; docs: Document[] }> {
  const kind = sourceKind(path);
  if (kind === 'folder') return { kind, docs: documentsFromFolder(path) };
  const docs: Document[] = [];
  if (kind === 'beir') {
    const corpus = existsSync(join(path, 'corpus.jsonl')) ? join(path, 'corpus.jsonl') : join(path, 'corpus.jsonl.gz');
    // A document with neither title nor text (Cranfield has 2) is still a document, of length 0, as in Lucene.
    for await (const d of readCorpus(corpus)) docs.push(d);
    return { kind, docs };
  }
  for await (const { value, line } of readJsonl(path)) {
    const where = { file: path, line };
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ShortlistError('INVALID_INPUT', 'each line must be a JSON object with "id" and "text"', { location: where });
    const r = value as Record<string, unknown>;
    const rawId = r.id ?? r._id;
    const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : rawId;
    if (typeof id !== 'string' || id === '')
      throw new ShortlistError('INVALID_INPUT', 'field "id" (or "_id") must be a non-empty string or a number', {
        location: { ...where, field: 'id' },
      });
    if (typeof r.text !== 'string' || r.text.trim() === '')
      throw new ShortlistError('INVALID_INPUT', `field "text" of document "${id}" must be a non-empty string`, {
        location: { ...where, field: 'text' },
      });
    const doc: Document = { id, text: r.text };
    if (typeof r.title === 'string') doc.title = r.title;
    if (r.metadata !== undefined && r.metadata !== null) {
      if (typeof r.metadata !== 'object' || Array.isArray(r.metadata))
        throw new ShortlistError('INVALID_INPUT', `field "metadata" of document "${id}" must be an object`, {
          location: { ...where, field: 'metadata' },
        });
      doc.metadata = r.metadata as Record<string, unknown>;
    }
    docs.push(doc);
  }
  if (docs.length === 0) throw new ShortlistError('EMPTY_INPUT', `${path} holds no documents`);
  return { kind, docs };
}
