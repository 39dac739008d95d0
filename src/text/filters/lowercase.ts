/** LowerCaseFilter as a token filter (see ../lowercase.ts). */
import type { TermFilter } from '../chain.ts';
import { lowerCase } from '../lowercase.ts';

/** Lucene's LowerCaseFilter: `Character.toLowerCase` per code point. */
export const lowerCaseFilter: TermFilter = lowerCase;
