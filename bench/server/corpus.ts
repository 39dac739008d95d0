/**
 * Rerank requests for the server benchmark: a query and 50 documents whose lengths vary like
 * web passages (log-normal word counts, median 45 words, 8 to 300), words drawn from a Zipf
 * distribution over an English vocabulary. Deterministic for a seed.
 */
import { mulberry32 } from '../../src/core/random.ts';

const VOCAB = (
  'the of and a to in is was for on with as by that from at are this be which or an were has have it not but ' +
  'protein cell gene expression patients treatment study results cancer increased risk clinical trial dose ' +
  'retrieval ranking search engine document query model neural transformer attention index vector passage ' +
  'aircraft wing flow pressure boundary layer heat transfer shock wave velocity surface temperature measured ' +
  'library catalog information system user computer program language compiler memory storage network data ' +
  'analysis method approach significant effect observed compared between during after using based high low'
).split(' ');

/** Log-normal word-count parameters and clamps. */
export const DOC_LENGTH = Object.freeze({ medianWords: 45, sigma: 0.7, minWords: 8, maxWords: 300 });

/** One rerank request body in the Cohere/Jina dialect (`query`, `documents`). */
export interface RerankBody {
  query: string;
  documents: string[];
}

/** `count` requests of `docs` documents each, the same for the same seed. */
export function rerankBodies(count: number, docs = 50, seed = 7): RerankBody[] {
  const rand = mulberry32(seed);
  const word = () => VOCAB[Math.min(VOCAB.length - 1, Math.floor(rand() ** 2 * VOCAB.length))];
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const text = (words: number) => Array.from({ length: words }, word).join(' ') + '.';
  const docLength = () =>
    Math.max(
      DOC_LENGTH.minWords,
      Math.min(DOC_LENGTH.maxWords, Math.round(DOC_LENGTH.medianWords * Math.exp(DOC_LENGTH.sigma * normal()))),
    );
  return Array.from({ length: count }, () => ({
    query: text(3 + Math.floor(rand() * 8)),
    documents: Array.from({ length: docs }, () => text(docLength())),
  }));
}
