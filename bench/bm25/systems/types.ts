/** The one shape every in-process (JavaScript) bench system has. */
import type { BenchDoc } from '../dataset.ts';

/** A search library under test: build once from all documents, then answer queries. */
export interface BenchSystem {
  /** Short name used in tables and `--systems`. */
  readonly name: string;
  /** Index every document (title and text as one field); resolves when the index can be searched. */
  build(docs: readonly BenchDoc[]): Promise<void>;
  /** The top `k` hits for `text`, best first. */
  search(text: string, k: number): Promise<{ id: string; score: number }[]> | { id: string; score: number }[];
}

/** Title and text as one field, the way BEIR "flat" indexes are built. */
export function flatText(doc: BenchDoc): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text;
}
