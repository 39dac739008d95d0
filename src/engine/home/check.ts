/**
 * `shortlist check` for any location: given what a location read of its latest committed version
 * (the parts its manifest or version row names, the segment store with the blobs' sizes, the
 * store's ids and counts), verifies that every named blob exists with its recorded size, that the
 * BM25 segments open, that the store's ids equal BM25's ids and its count the version's, and that
 * BM25's analyzer is the collection fingerprint's; blobs no version names are listed as garbage.
 */
import { SegmentCache, type SegmentStore } from '../../retrieve/bm25/index.ts';
import type { ManifestParts } from '../../store/parts.ts';
import { bm25Meta, openBm25, segmentFiles } from './bm25-part.ts';
import type { CheckReport } from './types.ts';

/** What a location read of the version it checks. */
export interface CheckInput {
  /** The location for the report (secrets hidden). */
  location: string;
  version: number;
  parts: Readonly<ManifestParts>;
  segments: SegmentStore;
  /** The stored size of blob `name`, undefined when it is absent. */
  sizeOf(name: string): number | undefined;
  /** Ids of the documents in the store at that version. */
  storeIds: readonly string[];
  /** The document count the version records. */
  documents: number;
  /** The analyzer id of the collection's fingerprint. */
  analyzer: string;
  /** Why a version may name no BM25 segments (a collection written before them), for the message. */
  noSegmentsHint?: string;
  /** Blobs that are not garbage although this version does not name them (named by an older version still kept). */
  kept?: ReadonlySet<string>;
}

/** Checks one version (see the module comment). */
export async function checkVersion(input: CheckInput): Promise<CheckReport> {
  const problems: string[] = [];
  const meta = bm25Meta(input.parts);
  if (!meta) problems.push(`the version names no BM25 segments${input.noSegmentsHint ? ` (${input.noSegmentsHint})` : ''}`);
  const files = await segmentFiles(input.parts, input.segments, input.sizeOf);
  for (const f of files.missing) problems.push(`part file ${f} is missing or damaged`);
  let bm25Ids: string[] = [];
  let analyzer = '';
  if (meta && files.missing.length === 0) {
    try {
      const index = await openBm25(input.parts, input.segments, new SegmentCache());
      bm25Ids = [...index.ids()];
      analyzer = index.analyzer.id;
      index.close();
    } catch (err) {
      problems.push(`the BM25 segments do not open: ${(err as Error).message}`);
    }
  }
  if (input.storeIds.length !== input.documents)
    problems.push(`the store holds ${input.storeIds.length} documents, its version records ${input.documents}`);
  if (meta && files.missing.length === 0) compareIds(input.storeIds, bm25Ids, problems);
  if (analyzer && analyzer !== input.analyzer)
    problems.push(`BM25 was built with analyzer "${analyzer}", the collection's fingerprint says "${input.analyzer}"`);
  const garbage = files.garbage.filter((n) => !input.kept?.has(n));
  return {
    ok: problems.length === 0,
    location: input.location,
    version: input.version,
    documents: input.storeIds.length,
    bm25Documents: bm25Ids.length,
    segments: meta?.segments.length ?? 0,
    problems,
    garbage,
  };
}

/** Adds to `problems` how the store's ids and BM25's ids differ (a few of each). */
export function compareIds(storeIds: readonly string[], bm25Ids: readonly string[], problems: string[]): void {
  const inStore = new Set(storeIds);
  const inBm25 = new Set(bm25Ids);
  if (inBm25.size !== bm25Ids.length) problems.push(`BM25 holds ${bm25Ids.length - inBm25.size} duplicate ids`);
  const onlyStore = storeIds.filter((id) => !inBm25.has(id));
  const onlyBm25 = bm25Ids.filter((id) => !inStore.has(id));
  if (onlyStore.length > 0)
    problems.push(
      `${onlyStore.length} documents are in the store but not in BM25 (e.g. ${onlyStore
        .slice(0, 3)
        .map((id) => JSON.stringify(id))
        .join(', ')})`,
    );
  if (onlyBm25.length > 0)
    problems.push(
      `${onlyBm25.length} documents are in BM25 but not in the store (e.g. ${onlyBm25
        .slice(0, 3)
        .map((id) => JSON.stringify(id))
        .join(', ')})`,
    );
}
