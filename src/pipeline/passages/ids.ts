/** Chunk ids as the store writes them: `<documentId>#<chunk>` (a document id may itself hold `#`). */

/** The id of chunk `chunk` of document `docId`. */
export function chunkId(docId: string, chunk: number): string {
  return `${docId}#${chunk}`;
}

/** The document id and chunk number of a chunk id; undefined when `id` is not one. */
export function parseChunkId(id: string): { docId: string; chunk: number } | undefined {
  const at = id.lastIndexOf('#');
  if (at <= 0 || !/^\d+$/.test(id.slice(at + 1))) return undefined;
  return { docId: id.slice(0, at), chunk: Number(id.slice(at + 1)) };
}

/**
 * A ranked list of chunk ids as a list of document ids: each document at the rank of its best
 * chunk, with that chunk's score (how document qrels judge a passage-unit run).
 */
export function documentList<T extends { id: string; score: number }>(hits: readonly T[]): { id: string; score: number }[] {
  const seen = new Set<string>();
  const out: { id: string; score: number }[] = [];
  for (const h of hits) {
    const id = parseChunkId(h.id)?.docId ?? h.id;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, score: h.score });
  }
  return out;
}
