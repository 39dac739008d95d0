/**
 * The BEIR collections that can be fetched by name, with their public URLs and the md5 of each zip.
 *
 * Thakur et al., "BEIR: A Heterogeneous Benchmark for Zero-shot Evaluation of Information Retrieval
 * Models", NeurIPS 2021 Datasets and Benchmarks. Checksums are the ones the BEIR repository's
 * README lists (github.com/beir-cellar/beir, "Available Datasets"; `md5sum <name>.zip`). Sizes are
 * given only where a record of the exact byte count was found; elsewhere the server's
 * Content-Length is used. BioASQ, Signal-1M, TREC-NEWS and Robust04 are not redistributed by BEIR
 * and are not listed.
 */

/** Where the BEIR zips are published; `<base>/<name>.zip`. */
export const BEIR_BASE_URL = 'https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets';

/** One downloadable BEIR collection. */
export interface BeirDataset {
  /** BEIR name: the zip is `<name>.zip` and unzips to a `<name>/` folder. */
  readonly name: string;
  /** md5 of the zip as the BEIR README lists it; `undefined` when none is published (not verified, only reported). */
  readonly md5?: string;
  /** Exact size of the zip in bytes, where known. */
  readonly bytes?: number;
  /** Test (or dev) queries, as the BEIR README counts them. */
  readonly queries: number;
  /** Documents, as the BEIR README counts them (rounded). */
  readonly corpus: string;
  /** qrels splits the folder holds. */
  readonly splits: readonly string[];
  /** Anything a user should know before fetching it. */
  readonly note?: string;
}

const d = (
  name: string,
  md5: string | undefined,
  queries: number,
  corpus: string,
  splits: string[],
  extra: { bytes?: number; note?: string } = {},
): BeirDataset => Object.freeze({ name, ...(md5 ? { md5 } : {}), queries, corpus, splits: Object.freeze(splits), ...extra });

/** Every fetchable BEIR collection, by name (smallest first). */
export const BEIR_DATASETS = Object.freeze({
  scifact: d('scifact', '5f7d1de60b170fc8027bb7898e2efca1', 300, '5K', ['train', 'test'], { bytes: 2_816_079 }),
  nfcorpus: d('nfcorpus', 'a89dba18a62ef92f7d323ec890a0d38d', 323, '3.6K', ['train', 'dev', 'test']),
  arguana: d('arguana', '8ad3e3c2a5867cdced806d6503f29b99', 1406, '8.67K', ['test']),
  scidocs: d('scidocs', '38121350fc3a4d2f48850f6aff52e4a9', 1000, '25K', ['test']),
  fiqa: d('fiqa', '17918ed23cd04fb15047f73e6c3bd9d9', 648, '57K', ['train', 'dev', 'test']),
  'trec-covid': d('trec-covid', 'ce62140cb23feb9becf6270d0d1fe6d1', 50, '171K', ['test']),
  'webis-touche2020': d('webis-touche2020', '46f650ba5a527fc69e0a6521c5a23563', 49, '382K', ['test']),
  cqadupstack: d('cqadupstack', '4e41456d7df8ee7760a7f866133bda78', 13145, '457K', ['test'], {
    note: 'unzips to 12 sub-forums (cqadupstack/<forum>/), each a BEIR folder of its own: pass one of them to eval',
  }),
  quora: d('quora', '18fb154900ba42a600f84b839c173167', 10000, '523K', ['dev', 'test']),
  nq: d('nq', 'd4d3d2e48787a744b6f6e691ff534307', 3452, '2.68M', ['test']),
  'dbpedia-entity': d('dbpedia-entity', 'c2a39eb420a3164af735795df012ac2c', 400, '4.63M', ['dev', 'test']),
  hotpotqa: d('hotpotqa', 'f412724f78b0d91183a0e86805e16114', 7405, '5.23M', ['train', 'dev', 'test']),
  fever: d('fever', '5a818580227bfb4b35bb6fa46d9b6c03', 6666, '5.42M', ['train', 'dev', 'test']),
  'climate-fever': d('climate-fever', '8b66f0a9126c521bae2bde127b4dc99d', 1535, '5.42M', ['test']),
  msmarco: d('msmarco', '444067daf65d982533ea17ebd59501e4', 6980, '8.84M', ['train', 'dev', 'test'], { note: 'about 1 GB zipped' }),
} as const satisfies Record<string, BeirDataset>);

/** A BEIR collection name. */
export type BeirName = keyof typeof BEIR_DATASETS;

/** The catalog entry of `ref` (`beir/<name>` or `<name>`), or undefined for a name BEIR does not publish. */
export function findBeirDataset(ref: string): BeirDataset | undefined {
  const name = ref.replace(/^beir\//, '');
  return Object.hasOwn(BEIR_DATASETS, name) ? BEIR_DATASETS[name as BeirName] : undefined;
}

/** `<base>/<name>.zip`, without a doubled slash. */
export function beirUrl(name: string, baseUrl: string = BEIR_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(name)}.zip`;
}
