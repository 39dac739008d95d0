/**
 * A seeded Zipfian test collection for the scale test, written as a BEIR folder (corpus.jsonl,
 * queries.jsonl; no qrels) so every system, Lucene included, reads it the same way.
 * - Vocabulary: `vocab` pseudo-words, word of rank r spelled as consonant+vowel syllables (vowels
 *   a/o only, at least 4 letters: no English stop word, and the Porter stemmers leave them alone).
 * - Documents: 10–30 tokens each, word ranks drawn from Zipf(s = 1) over the whole vocabulary.
 * - Queries: 2–5 terms drawn from the same Zipf law restricted to ranks ≥ 100 — the top ranks play
 *   the role of stop words, which real queries lose to the analyzer.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/random.ts';

/** Shape of the generated collection. */
export interface SyntheticOptions {
  /** Number of documents. */
  docs: number;
  /** Number of queries. @default 1000 */
  queries?: number;
  /** Vocabulary size. @default 100000 */
  vocab?: number;
  /** Zipf exponent. @default 1 */
  exponent?: number;
  /** PRNG seed. @default 42 */
  seed?: number;
}

export { mulberry32 };

const CONSONANTS = 'bdfghjklmnprstvwxz';
const VOWELS = 'ao';
const SYLLABLES = [...CONSONANTS].flatMap((c) => [...VOWELS].map((v) => c + v));

/** The pseudo-word of rank `r` (0-based): base-36 syllables of r + 36, so at least two syllables. */
export function pseudoWord(r: number): string {
  let n = r + SYLLABLES.length;
  let w = '';
  while (n > 0) {
    w = SYLLABLES[n % SYLLABLES.length] + w;
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
}

/** A sampler of ranks in [from, vocab) with P(r) ∝ 1 / (r + 1)^s. */
export function zipfSampler(vocab: number, s: number, rand: () => number, from = 0): () => number {
  const cdf = new Float64Array(vocab - from);
  let sum = 0;
  for (let r = from; r < vocab; r++) cdf[r - from] = sum += 1 / (r + 1) ** s;
  for (let i = 0; i < cdf.length; i++) cdf[i] /= sum;
  return () => {
    const u = rand();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + from;
  };
}

/** Generate (once; cached under `root`) and return the BEIR folder of the collection. */
export async function syntheticDataset(root: string, o: SyntheticOptions): Promise<string> {
  const { docs, queries = 1000, vocab = 100_000, exponent = 1, seed = 42 } = o;
  const dir = join(root, `synthetic-${docs}-v${vocab}-s${exponent}-q${queries}-seed${seed}`);
  if (existsSync(join(dir, 'corpus.jsonl'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const rand = mulberry32(seed);
  const words = Array.from({ length: vocab }, (_, r) => pseudoWord(r));
  const docRank = zipfSampler(vocab, exponent, rand);
  const out = createWriteStream(join(tmp, 'corpus.jsonl'), 'utf8');
  for (let d = 0; d < docs; d++) {
    const len = 10 + Math.floor(rand() * 21);
    const toks = new Array<string>(len);
    for (let i = 0; i < len; i++) toks[i] = words[docRank()];
    const line = `{"_id":"d${d}","title":"","text":"${toks.join(' ')}"}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  const queryRank = zipfSampler(vocab, exponent, rand, 100);
  const qLines: string[] = [];
  for (let q = 0; q < queries; q++) {
    const len = 2 + Math.floor(rand() * 4);
    qLines.push(JSON.stringify({ _id: `q${q}`, text: Array.from({ length: len }, () => words[queryRank()]).join(' ') }));
  }
  await writeFile(join(tmp, 'queries.jsonl'), qLines.join('\n') + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}
