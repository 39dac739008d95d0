/**
 * BM25 for a Postgres collection, scored in process with the embedded index (`src/retrieve/bm25`,
 * Lucene 8.7's BM25Similarity) so scores equal a directory collection's bit for bit — on one
 * server and on Citus alike, since the statistics (N, df, avgdl) are those of every document.
 *
 * Each handle keeps a {@link Bm25Cache}: the first search builds an index from the documents of the
 * version the handle reads (O(collection), once per process); a search at a later version applies
 * only the rows added and removed since (O(change), through the `added` / `removed` indexes). A
 * handle that finds the versions in between vacuumed away builds afresh. Measured in
 * `bench/store/run.ts` (cold build and warm search).
 */
import type { Document } from '../../core/types.ts';
import { Bm25Index } from '../../retrieve/bm25/index.ts';
import { fieldText } from '../../retrieve/bm25/builder.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import type { PoolRef } from './pool.ts';
import { rowToDocument } from './rows.ts';
import { visibleAt } from './schema.ts';

/** Terms in a document's analysed title + text, as the embedded index counts them (BM25's dl). */
export function documentLength(doc: Document, analyzer: Analyzer): number {
  return analyzer.analyze(fieldText(doc)).length;
}

/** Collection-wide BM25 statistics of one version. */
export interface Bm25VersionStats {
  /** Documents with at least one term (BM25's N). */
  indexedDocCount: number;
  /** Σ dl over those documents. */
  sumTotalTermFreq: number;
}

type DocRow = { id: string; title: string | null; body: string; metadata_json: string };

/** An in-process BM25 index of one collection schema, advanced version by version (see the module comment). */
export class Bm25Cache {
  #index: Bm25Index | null = null;
  #version = 0;
  /** The load or advance in progress: loads run one at a time. */
  #busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: PoolRef,
    private readonly s: string,
    private readonly analyzer: Analyzer,
  ) {}

  /** The version the cached index holds (0 before the first load). */
  get version(): number {
    return this.#version;
  }

  /**
   * The index at `version` (or at a later one, when another search of this handle already moved
   * the cache past it: a newer whole version, never a mix).
   */
  at(version: number): Promise<Bm25Index> {
    const next = this.#busy.then(() => this.#advance(version));
    this.#busy = next.catch(() => {});
    return next;
  }

  /** Releases the index. */
  close(): void {
    this.#index?.close();
    this.#index = null;
  }

  async #advance(version: number): Promise<Bm25Index> {
    if (this.#index && this.#version >= version) return this.#index;
    const oldest = this.#index
      ? ((await this.pool.query<{ v: number | null }>(`SELECT min(version) AS v FROM ${this.s}.versions`)).rows[0].v ?? 0)
      : 0;
    if (!this.#index || oldest > this.#version) {
      const rows = await this.pool.query<DocRow>(
        `SELECT id, title, body, metadata_json FROM ${this.s}.documents d WHERE ${visibleAt('d', '$1')}`,
        [version],
      );
      const index = await Bm25Index.build(rows.rows.map(rowToDocument), { analyzer: this.analyzer });
      this.#index?.close();
      this.#index = index;
    } else {
      const from = this.#version;
      const removed = await this.pool.query<{ id: string }>(`SELECT id FROM ${this.s}.documents WHERE removed > $1 AND removed <= $2`, [
        from,
        version,
      ]);
      const added = await this.pool.query<DocRow>(
        `SELECT id, title, body, metadata_json FROM ${this.s}.documents d WHERE added > $1 AND added <= $2 AND (removed IS NULL OR removed > $2)`,
        [from, version],
      );
      this.#index.delete(removed.rows.map((r) => r.id));
      await this.#index.add(added.rows.map(rowToDocument));
    }
    this.#version = version;
    return this.#index;
  }
}
