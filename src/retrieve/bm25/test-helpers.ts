/**
 * Shared by this folder's tests: a whitespace analyzer (so tests never depend on stemming), a
 * seeded random corpus generator with many ties, and a brute-force BM25 scorer written straight
 * from Lucene's formula, independent of the index code.
 */
import type { Document } from '../../core/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { byte4ToInt, intToByte4 } from './smallfloat.ts';
import { mulberry32 } from '../../core/random.ts';

/** Splits on whitespace and lowercases. */
export const wsAnalyzer: Analyzer = Object.freeze({
  id: 'test-ws@1',
  analyze: (text: string) =>
    text
      .toLowerCase()
      .split(/\s+/)
      .filter((t) => t.length > 0),
});

/** A seeded PRNG for generated corpora. */
export const rng = mulberry32;

/** Random documents over a Zipf-like vocabulary of `vocab` words; ids are random so id order ≠ insertion order. */
export function randomDocs(n: number, options: { vocab: number; maxLen: number; seed: number; longEvery?: number }): Document[] {
  const rand = rng(options.seed);
  const word = () => `w${Math.floor(rand() ** 2 * options.vocab)}`;
  const docs: Document[] = [];
  const seen = new Set<string>();
  while (docs.length < n) {
    const id = `d${Math.floor(rand() * n * 20).toString(36)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const long = options.longEvery && docs.length % options.longEvery === 0;
    const len = long ? 25 + Math.floor(rand() * 300) : Math.floor(rand() * (options.maxLen + 1));
    const words = Array.from({ length: len }, word);
    const split = Math.floor(rand() * (len + 1));
    const title = rand() < 0.5 ? words.slice(0, split).join(' ') : undefined;
    docs.push({
      id,
      ...(title !== undefined ? { title } : {}),
      text: (title !== undefined ? words.slice(split) : words).join(' '),
      metadata: { n: docs.length },
    });
  }
  return docs;
}

/** A random query of 1–`maxTerms` words (repeats allowed) from the same vocabulary. */
export function randomQuery(rand: () => number, vocab: number, maxTerms: number): string {
  const n = 1 + Math.floor(rand() * maxTerms);
  return Array.from({ length: n }, () => `w${Math.floor(rand() ** 1.5 * vocab)}`).join(' ');
}

/** Exhaustive Lucene BM25 over raw documents, straight from the formula (float32 steps as Lucene). */
export function bruteForce(docs: Document[], query: string, k: number, k1 = 0.9, b = 0.4): { id: string; score: number }[] {
  const f = Math.fround;
  const tokens = docs.map((d) => wsAnalyzer.analyze(d.title ? `${d.title} ${d.text}` : d.text));
  const N = tokens.filter((t) => t.length > 0).length;
  const avgdl = f(tokens.reduce((s, t) => s + t.length, 0) / N);
  const counts = new Map<string, number>();
  for (const t of wsAnalyzer.analyze(query)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const terms = [...counts.keys()].sort();
  const df = new Map(terms.map((t) => [t, tokens.filter((toks) => toks.includes(t)).length]));
  const hits: { id: string; score: number }[] = [];
  docs.forEach((doc, i) => {
    let sum = 0;
    let matched = false;
    for (const term of terms) {
      const tf = tokens[i].filter((t) => t === term).length;
      if (tf === 0) continue;
      matched = true;
      const idf = f(Math.log(1 + (N - df.get(term)! + 0.5) / (df.get(term)! + 0.5)));
      const weight = f(counts.get(term)! * idf);
      const dl = byte4ToInt(intToByte4(tokens[i].length));
      const normInverse = f(1 / f(f(k1) * f(f(1 - f(b)) + f(f(f(b) * dl) / avgdl))));
      sum += f(weight - f(weight / f(1 + f(tf * normInverse))));
    }
    if (matched) hits.push({ id: doc.id, score: f(sum) });
  });
  hits.sort((x, y) => (x.score !== y.score ? y.score - x.score : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return hits.slice(0, k);
}
