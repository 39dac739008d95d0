/** shortlist hits as LangChain documents: the text, and metadata with the id, score, rank and stage trace. */
import { Document } from '@langchain/core/documents';
import type { Hit, TraceEntry } from '../../core/types.ts';

/** A passage of a hit (`hit.passages`, attached by collections): a chunk's text, range and score. */
export interface HitPassage {
  text: string;
  start: number;
  end: number;
  chunk: number;
  score: number;
}

/** The metadata shortlist puts on every document it returns (besides the stored document's own fields). */
export interface ShortlistMetadata {
  /** The document id in the collection. */
  id: string;
  /** The title, when the document has one. */
  title?: string;
  /** The final score. */
  score: number;
  /** 1-based rank in the result. */
  rank: number;
  /** Rank and score at every stage the hit went through (first stage, fusion, rerankers). */
  trace?: TraceEntry[];
  /** With `passages: true`: which passage of the document this is. */
  passage?: Omit<HitPassage, 'text'>;
}

/**
 * Documents for `hits`, best first. With `passages`, each hit yields one document per passage
 * (`hit.passages`), and a hit without passages its whole text.
 */
export function hitsToDocuments(hits: readonly Hit[], passages = false): Document<ShortlistMetadata & Record<string, unknown>>[] {
  return hits.flatMap((hit, i) => {
    const base = {
      ...hit.document?.metadata,
      id: hit.id,
      ...(hit.document?.title ? { title: hit.document.title } : {}),
      score: hit.score,
      rank: i + 1,
      ...(hit.trace ? { trace: hit.trace } : {}),
    };
    const parts = passages ? ((hit as Hit & { passages?: HitPassage[] }).passages ?? []) : [];
    if (parts.length === 0) return [new Document({ id: hit.id, pageContent: hit.document?.text ?? '', metadata: base })];
    return parts.map(
      ({ text, ...where }) => new Document({ id: `${hit.id}#${where.chunk}`, pageContent: text, metadata: { ...base, passage: where } }),
    );
  });
}
