/**
 * The WordPiece vocabulary for generated models: the real bert-base-uncased `vocab.txt` from
 * `../shared/vocab/` when it exists, otherwise a small vocabulary built deterministically from
 * the text below (special tokens, characters, frequent words, common `##` suffixes), so a clean
 * clone without `../shared` still generates working models.
 */
import { ShortlistError } from '../../src/core/errors.ts';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the real bert-base-uncased vocabulary lives when `../shared` is present. */
export const SHARED_VOCAB_PATH = resolve(here, '../../../shared/vocab/bert-base-uncased-vocab.txt');

/** The BERT special tokens, in the order they appear in the built vocabulary. */
export const SPECIAL_TOKENS = Object.freeze({ pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' });

/** The shared vocabulary path when it exists, else `undefined` (use {@link builtinVocab}). */
export function defaultVocabPath(): string | undefined {
  return existsSync(SHARED_VOCAB_PATH) ? SHARED_VOCAB_PATH : undefined;
}

/** Reads a `vocab.txt` (one token per line, id = line number). */
export function readVocab(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  for (const t of Object.values(SPECIAL_TOKENS)) {
    if (!lines.includes(t)) throw new ShortlistError('INVALID_INPUT', `${path}: vocabulary lacks the special token ${t}`);
  }
  return lines;
}

const SEED_TEXT = `
The results of the study show that the proposed method improves retrieval quality on every
collection we tested. We report the mean and the standard deviation over five runs with
different random seeds. Patients who received the treatment had lower blood pressure and
fewer side effects than those in the control group. A search engine ranks documents by their
relevance to a query; the first stage retrieves candidates and the second stage reranks them
with a larger model. This paper describes a new approach to information retrieval, evaluation
and learning from user feedback. Cells were grown in a medium containing glucose, and protein
levels were measured after two hours. The model is trained on questions and answers, and it
is tested on data from other domains. In this work we also study how the length of a document
affects its score, and whether shorter passages are preferred by the ranking function.
Researchers have found genes associated with cancer, diabetes and heart disease in large
population studies. The system was designed for speed: it processes one thousand documents per
second on a single core. Water, energy, climate, health, science, computer, network, language,
human, time, year, people, world, number, system, data, information, analysis, model, method,
cell, gene, document, search, rank, score, word, text, token, sentence, paper, result, test.
`;

const SUFFIXES = [
  's',
  'es',
  'ed',
  'ing',
  'ly',
  'er',
  'ers',
  'est',
  'tion',
  'tions',
  'ment',
  'ness',
  'al',
  'ic',
  'ive',
  'ity',
  'ous',
  'able',
  'ful',
  'less',
  'ize',
  'ized',
];

/**
 * A small deterministic WordPiece vocabulary (~600 tokens): special tokens, printable ASCII and
 * common accented letters (each also as a `##` piece), frequent words from a built-in text and
 * common suffixes as `##` pieces.
 */
export function builtinVocab(): string[] {
  const tokens: string[] = [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.unk, SPECIAL_TOKENS.cls, SPECIAL_TOKENS.sep, SPECIAL_TOKENS.mask];
  const seen = new Set(tokens);
  const add = (t: string): void => {
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  };
  const chars: string[] = [];
  for (let c = 33; c < 127; c++) {
    const ch = String.fromCharCode(c);
    if (ch === ch.toLowerCase()) chars.push(ch);
  }
  // Lowercased letters after accent stripping stay ASCII; keep a few non-Latin letters and CJK.
  chars.push('α', 'β', 'γ', 'δ', 'μ', 'σ', 'ß', 'æ', 'ø', 'ı', '中', '文', '日', '本', '語', '°', '±', '×');
  for (const ch of chars) add(ch);
  for (const ch of chars) add(`##${ch}`);
  const counts = new Map<string, number>();
  for (const w of SEED_TEXT.toLowerCase().match(/[a-z]+/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  for (const w of words) add(w);
  for (const s of SUFFIXES) add(`##${s}`);
  return tokens;
}
