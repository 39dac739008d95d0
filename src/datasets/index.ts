/** Public datasets fetched by name into the cache: the BEIR catalog, download and unzip. */
export * from './catalog.ts';
export * from './get.ts';
export { fetchToFile, type FetchFileOptions, type FetchedFile } from './fetch.ts';
export { extractZip, type ExtractResult } from './unzip.ts';
