/**
 * `"analyzer": "auto"`: the language analyzer chosen from the text itself, once per collection,
 * at index time. The chosen analyzer's id (e.g. `german@1`) is what the index records, exactly as
 * if it had been named, so searches and reopenings use it without detecting again.
 *
 * Detection uses the npm package `franc-all` (Titus Wormer, MIT; trigram profiles of 414
 * languages from the UDHR), loaded on first use only, restricted to the languages shortlist has
 * an analyzer for (plus English). Each sampled document votes for its language with its length;
 * the language with most of the sampled text wins. Text too short to tell (or a sample with no
 * text) gives `english`, the default analyzer. Accuracy per language on real sentences is printed
 * by test/text/detect.test.ts (docs/analyzers.md).
 */
import type { Analyzer } from './analyzer.ts';
import { ANALYZER_NAMES, getAnalyzer, type AnalyzerName } from './index.ts';

/** The analyzer name that asks for detection. */
export const AUTO_ANALYZER = 'auto';

/** Every name an index-building command accepts: the analyzers, their codes and `auto`. */
export const INDEX_ANALYZER_NAMES: readonly string[] = Object.freeze([...ANALYZER_NAMES, AUTO_ANALYZER]);

/** ISO 639-3 code (as franc names languages) → analyzer. */
export const DETECTABLE: Readonly<Record<string, AnalyzerName>> = Object.freeze({
  arb: 'arabic',
  bul: 'bulgarian',
  cat: 'catalan',
  ces: 'czech',
  dan: 'danish',
  deu: 'german',
  ell: 'greek',
  eng: 'english',
  spa: 'spanish',
  eus: 'basque',
  pes: 'persian',
  fin: 'finnish',
  fra: 'french',
  gle: 'irish',
  glg: 'galician',
  hin: 'hindi',
  hun: 'hungarian',
  hye: 'armenian',
  ind: 'indonesian',
  ita: 'italian',
  lit: 'lithuanian',
  lvs: 'latvian',
  nld: 'dutch',
  nob: 'norwegian',
  por: 'portuguese',
  ron: 'romanian',
  rus: 'russian',
  swe: 'swedish',
  tha: 'thai',
  tur: 'turkish',
  cmn: 'cjk',
  jpn: 'cjk',
  kor: 'cjk',
});

/** How much text detection reads at most. */
export interface DetectOptions {
  /**
   * Documents sampled (the first ones the source gives).
   * @default 1000
   */
  maxDocuments?: number;
  /**
   * Characters sampled in all; each document contributes at most its first 2,000.
   * @default 500000
   */
  maxChars?: number;
}

/** What detection found. */
export interface Detection {
  /** The analyzer chosen. */
  analyzer: AnalyzerName;
  /** The language detected (ISO 639-3), or `und` when the sample could not tell. */
  language: string;
  /** Share of the sampled text (by characters) in that language, 0..1. */
  share: number;
  /** Documents sampled. */
  documents: number;
}

type Franc = (text: string, options: { only: string[]; minLength: number }) => string;
let franc: Promise<Franc> | undefined;
function loadFranc(): Promise<Franc> {
  franc ??= import('franc-all').then((m) => m.franc as Franc);
  return franc;
}

const ONLY = Object.keys(DETECTABLE);
const PER_DOCUMENT = 2000;

/** The language of a single text (ISO 639-3), or `und`. */
export async function detectLanguage(text: string): Promise<string> {
  return (await loadFranc())(text.slice(0, PER_DOCUMENT), { only: ONLY, minLength: 10 });
}

/** The analyzer for a collection, from a sample of its texts. */
export async function detectAnalyzer(texts: Iterable<string> | AsyncIterable<string>, options: DetectOptions = {}): Promise<Detection> {
  const maxDocuments = options.maxDocuments ?? 1000;
  const maxChars = options.maxChars ?? 500_000;
  const detect = await loadFranc();
  const votes = new Map<string, number>();
  let documents = 0;
  let chars = 0;
  for await (const text of texts) {
    const t = text.slice(0, PER_DOCUMENT);
    documents++;
    chars += t.length;
    const language = detect(t, { only: ONLY, minLength: 10 });
    if (language !== 'und') votes.set(language, (votes.get(language) ?? 0) + t.length);
    if (documents >= maxDocuments || chars >= maxChars) break;
  }
  let best = 'und';
  let bestVotes = 0;
  let total = 0;
  for (const [language, n] of votes) {
    total += n;
    if (n > bestVotes || (n === bestVotes && language < best)) [best, bestVotes] = [language, n];
  }
  return { analyzer: DETECTABLE[best] ?? 'english', language: best, share: total === 0 ? 0 : bestVotes / total, documents };
}

/**
 * The analyzer named `name`, or for `auto` the one detected from `sample()` (called only then).
 * Unknown names fail as in {@link getAnalyzer}.
 */
export async function resolveAnalyzer(
  name: string,
  sample: () => Iterable<string> | AsyncIterable<string>,
  options?: DetectOptions,
): Promise<{ analyzer: Analyzer; detection?: Detection }> {
  if (name !== AUTO_ANALYZER) return { analyzer: getAnalyzer(name) };
  const detection = await detectAnalyzer(sample(), options);
  return { analyzer: getAnalyzer(detection.analyzer), detection };
}

/** The texts of documents (title and text), for {@link detectAnalyzer}. */
export async function* documentTexts(
  docs: Iterable<{ title?: string; text: string }> | AsyncIterable<{ title?: string; text: string }>,
): AsyncGenerator<string> {
  for await (const d of docs) yield d.title ? `${d.title} ${d.text}` : d.text;
}
