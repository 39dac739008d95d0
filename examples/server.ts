// The HTTP server from code: serve a folder of collections on a free port, send one search, stop.
// Run: node --conditions=shortlist-source --import tsx examples/server.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from 'shortlist';
import { createServer } from 'shortlist/server';

const root = mkdtempSync(join(tmpdir(), 'shortlist-collections-'));
const docs = await Collection.create(join(root, 'docs'), 'bm25');
await docs.add([
  { id: 'd1', text: 'A cross-encoder reads the query and the document together.' },
  { id: 'd2', text: 'BM25 shortlists candidates from an inverted index.' },
]);
await docs.close();

const server = await createServer({ collections: root, port: 0, quiet: true });
const res = await fetch(`${server.url}/v1/search`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ collection: 'docs', query: 'inverted index', k: 1 }),
});
const body = (await res.json()) as { hits: { id: string; score: number }[] };
console.log(res.status, body.hits.map((h) => h.id).join(','));
await server.close();
