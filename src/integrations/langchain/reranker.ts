/** `ShortlistReranker`: any shortlist reranker as a LangChain.js document compressor. */
import type { Callbacks } from '@langchain/core/callbacks/manager';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors';
import type { Candidate, Reranker, TraceEntry } from '../../core/types.ts';

/** Options of {@link ShortlistReranker}. */
export interface ShortlistRerankerInput {
  /** A shortlist reranker: `CrossEncoderReranker`, `ColbertReranker`, `ListwiseReranker`, a hosted `RemoteReranker`… The caller owns and disposes it. */
  reranker: Reranker;
  /** How many documents to keep. @default all of them, reordered */
  k?: number;
}

/**
 * A LangChain `BaseDocumentCompressor` that reorders documents with a shortlist reranker and keeps
 * the top `k`. Each document keeps its metadata and gains `relevanceScore`, its new `rank` and a
 * trace entry for the reranker (appended to the trace a `ShortlistRetriever` put there).
 */
export class ShortlistReranker extends BaseDocumentCompressor {
  readonly reranker: Reranker;
  readonly k?: number;

  constructor(fields: ShortlistRerankerInput) {
    super();
    this.reranker = fields.reranker;
    this.k = fields.k;
  }

  async compressDocuments(documents: DocumentInterface[], query: string, _callbacks?: Callbacks): Promise<DocumentInterface[]> {
    const candidates: Candidate[] = documents.map((d, i) => ({
      id: String(i),
      text: d.pageContent,
      ...(typeof d.metadata?.title === 'string' ? { title: d.metadata.title } : {}),
      ...(typeof d.metadata?.score === 'number' ? { score: d.metadata.score } : {}),
    }));
    const hits = await this.reranker.rerank(query, candidates, this.k ?? documents.length);
    return hits.map((h, i) => {
      const d = documents[Number(h.id)];
      const trace: TraceEntry[] = [
        ...((d.metadata?.trace as TraceEntry[] | undefined) ?? []),
        { stage: this.reranker.name, rank: i + 1, score: h.score },
      ];
      return new Document({
        id: d.id,
        pageContent: d.pageContent,
        metadata: { ...d.metadata, relevanceScore: h.score, rank: i + 1, trace },
      });
    });
  }
}
