/**
 * One analyzer per language, each equal term for term to Lucene 8.x's analyzer for it
 * (`org.apache.lucene.analysis.<lang>.<Language>Analyzer` with its default stop words and
 * stemmer; checked line by line against the real Lucene by test/text/lucene-diff.test.ts).
 * Every chain starts with Lucene's StandardTokenizer ({@link tokenize}) unless it says otherwise.
 */
import type { Analyzer } from './analyzer.ts';
import { chainAnalyzer, type TermFilter } from './chain.ts';
import {
  arabicNormalizationFilter,
  arabicStemFilter,
  decimalDigitFilter,
  persianCharFilter,
  persianNormalizationFilter,
} from './filters/arabic.ts';
import { bulgarianStemFilter } from './filters/bulgarian.ts';
import { czechStemFilter } from './filters/czech.ts';
import { galicianStemFilter } from './filters/galician.ts';
import { greekLowerCaseFilter } from './filters/greek.ts';
import { greekStemFilter } from './filters/greek-stemmer.ts';
import { hindiNormalizationFilter, hindiStemFilter, indicNormalizationFilter } from './filters/hindi.ts';
import { indonesianStemFilter } from './filters/indonesian.ts';
import { latvianStemFilter } from './filters/latvian.ts';
import { lithuanianStemFilter } from './filters/lithuanian.ts';
import { thaiAnalyzer } from './thai.ts';
import { tokenize } from './tokenize.ts';
import { cjkAnalyzer } from './cjk.ts';
import { CATALAN_ARTICLES, elisionFilter, FRENCH_ARTICLES, IRISH_ARTICLES, ITALIAN_ARTICLES } from './filters/elision.ts';
import { frenchLightStemFilter } from './filters/french.ts';
import { germanLightStemFilter, germanNormalizationFilter } from './filters/german.ts';
import { portugueseLightStemFilter } from './filters/portuguese.ts';
import { italianLightStemFilter, spanishLightStemFilter } from './filters/romance-light.ts';
import { irishHyphenationFilter, irishLowerCaseFilter } from './filters/irish.ts';
import { lowerCaseFilter } from './filters/lowercase.ts';
import { memoize } from './filters/memo.ts';
import { snowballFilter, type SnowballLanguage } from './filters/snowball.ts';
import { stopFilter, type StopLanguage } from './filters/stop.ts';
import { apostropheFilter, turkishLowerCaseFilter } from './filters/turkish.ts';

/** StandardTokenizer → LowerCaseFilter → StopFilter(default set) → SnowballFilter: most Snowball languages. */
function snowballAnalyzer(language: StopLanguage & SnowballLanguage): Analyzer {
  return chainAnalyzer(`${language}@1`, [lowerCaseFilter, stopFilter(language), snowballFilter(language)]);
}

/**
 * DutchAnalyzer's default StemmerOverrideFilter: these terms get a fixed stem and are then marked
 * as keywords, so the Snowball stemmer leaves them alone.
 */
const DUTCH_STEM_OVERRIDES: ReadonlyMap<string, string> = new Map([
  ['fiets', 'fiets'],
  ['bromfiets', 'bromfiets'],
  ['ei', 'eier'],
  ['kind', 'kinder'],
]);

function dutchAnalyzer(): Analyzer {
  const stem = snowballFilter('dutch');
  const overrideThenStem: TermFilter = (term) => DUTCH_STEM_OVERRIDES.get(term) ?? stem(term);
  return chainAnalyzer('dutch@1', [lowerCaseFilter, stopFilter('dutch'), overrideThenStem]);
}

/** The language analyzers by English name; ISO 639-1 codes are aliases (see ./index.ts). */
export const LANGUAGE_ANALYZERS = Object.freeze({
  /** ArabicAnalyzer: lowercase, decimal digits, stop words, Arabic normalisation, Arabic light stemmer. */
  arabic: chainAnalyzer('arabic@1', [
    lowerCaseFilter,
    decimalDigitFilter,
    stopFilter('arabic'),
    arabicNormalizationFilter,
    memoize(arabicStemFilter),
  ]),
  /** ArmenianAnalyzer: lowercase, stop words, Snowball Armenian. */
  armenian: snowballAnalyzer('armenian'),
  /** BasqueAnalyzer: lowercase, stop words, Snowball Basque. */
  basque: snowballAnalyzer('basque'),
  /** BulgarianAnalyzer: lowercase, stop words, BulgarianStemFilter. */
  bulgarian: chainAnalyzer('bulgarian@1', [lowerCaseFilter, stopFilter('bulgarian'), memoize(bulgarianStemFilter)]),
  /** CatalanAnalyzer: elision (d' l' m' n' s' t'), lowercase, stop words, Snowball Catalan. */
  catalan: chainAnalyzer('catalan@1', [elisionFilter(CATALAN_ARTICLES), lowerCaseFilter, stopFilter('catalan'), snowballFilter('catalan')]),
  /** CJKAnalyzer (Chinese, Japanese, Korean): width folding, lowercase, bigrams of CJK runs, stop words. */
  cjk: cjkAnalyzer,
  /** CzechAnalyzer: lowercase, stop words, CzechStemFilter. */
  czech: chainAnalyzer('czech@1', [lowerCaseFilter, stopFilter('czech'), memoize(czechStemFilter)]),
  /** DanishAnalyzer: lowercase, Snowball stop words, Snowball Danish. */
  danish: snowballAnalyzer('danish'),
  /** DutchAnalyzer: lowercase, Snowball stop words, the default stem overrides, Snowball Dutch. */
  dutch: dutchAnalyzer(),
  /** FrenchAnalyzer: elision (l' d' qu' …), lowercase, Snowball stop words, FrenchLightStemFilter. */
  french: chainAnalyzer('french@1', [
    elisionFilter(FRENCH_ARTICLES),
    lowerCaseFilter,
    stopFilter('french'),
    memoize(frenchLightStemFilter),
  ]),
  /** GermanAnalyzer: lowercase, Snowball stop words, GermanNormalizationFilter, GermanLightStemFilter. */
  german: chainAnalyzer('german@1', [lowerCaseFilter, stopFilter('german'), germanNormalizationFilter, memoize(germanLightStemFilter)]),
  /** IndonesianAnalyzer: lowercase, stop words, IndonesianStemFilter (derivational). */
  indonesian: chainAnalyzer('indonesian@1', [lowerCaseFilter, stopFilter('indonesian'), memoize(indonesianStemFilter)]),
  /** ItalianAnalyzer: elision (l' dell' un' …), lowercase, Snowball stop words, ItalianLightStemFilter. */
  italian: chainAnalyzer('italian@1', [
    elisionFilter(ITALIAN_ARTICLES),
    lowerCaseFilter,
    stopFilter('italian'),
    memoize(italianLightStemFilter),
  ]),
  /** PortugueseAnalyzer: lowercase, Snowball stop words, PortugueseLightStemFilter. */
  portuguese: chainAnalyzer('portuguese@1', [lowerCaseFilter, stopFilter('portuguese'), memoize(portugueseLightStemFilter)]),
  /** SpanishAnalyzer: lowercase, Snowball stop words, SpanishLightStemFilter. */
  spanish: chainAnalyzer('spanish@1', [lowerCaseFilter, stopFilter('spanish'), memoize(spanishLightStemFilter)]),
  /** FinnishAnalyzer: lowercase, Snowball stop words, Snowball Finnish. */
  finnish: snowballAnalyzer('finnish'),
  /** GalicianAnalyzer: lowercase, stop words, GalicianStemFilter (RSLP). */
  galician: chainAnalyzer('galician@1', [lowerCaseFilter, stopFilter('galician'), memoize(galicianStemFilter)]),
  /** GreekAnalyzer: Greek lowercase (accents and final sigma folded), stop words, GreekStemFilter. */
  greek: chainAnalyzer('greek@1', [greekLowerCaseFilter, stopFilter('greek'), memoize(greekStemFilter)]),
  /** HindiAnalyzer: lowercase, decimal digits, Indic and Hindi normalisation, stop words, HindiStemFilter. */
  hindi: chainAnalyzer('hindi@1', [
    lowerCaseFilter,
    decimalDigitFilter,
    memoize(indicNormalizationFilter),
    memoize(hindiNormalizationFilter),
    stopFilter('hindi'),
    memoize(hindiStemFilter),
  ]),
  /**
   * HungarianAnalyzer: lowercase, stop words, Snowball Hungarian with Lucene 8's spelling of ő and ű
   * (./filters/snowball.ts). Version 2: version 1 (experimental) stemmed ő/ű words differently.
   */
  hungarian: chainAnalyzer('hungarian@2', [lowerCaseFilter, stopFilter('hungarian'), snowballFilter('hungarian')]),
  /** IrishAnalyzer: hyphenation stops, elision (d' m' b'), Irish lowercase, stop words, Snowball Irish. */
  irish: chainAnalyzer('irish@1', [
    irishHyphenationFilter,
    elisionFilter(IRISH_ARTICLES),
    irishLowerCaseFilter,
    stopFilter('irish'),
    snowballFilter('irish'),
  ]),
  /** LatvianAnalyzer: lowercase, stop words, LatvianStemFilter. */
  latvian: chainAnalyzer('latvian@1', [lowerCaseFilter, stopFilter('latvian'), memoize(latvianStemFilter)]),
  /** LithuanianAnalyzer: lowercase, stop words, Snowball Lithuanian (written here: ./filters/lithuanian.ts). */
  lithuanian: chainAnalyzer('lithuanian@1', [lowerCaseFilter, stopFilter('lithuanian'), lithuanianStemFilter]),
  /** NorwegianAnalyzer: lowercase, Snowball stop words, Snowball Norwegian (Bokmål). */
  norwegian: snowballAnalyzer('norwegian'),
  /** PersianAnalyzer: ZWNJ as space, lowercase, decimal digits, Arabic and Persian normalisation, stop words (no stemmer). */
  persian: chainAnalyzer(
    'persian@1',
    [lowerCaseFilter, decimalDigitFilter, arabicNormalizationFilter, persianNormalizationFilter, stopFilter('persian')],
    (text) => tokenize(persianCharFilter(text)),
  ),
  /** RomanianAnalyzer: lowercase, stop words, Snowball Romanian. */
  romanian: snowballAnalyzer('romanian'),
  /** RussianAnalyzer: lowercase, Snowball stop words, Snowball Russian. */
  russian: snowballAnalyzer('russian'),
  /** SwedishAnalyzer: lowercase, Snowball stop words, Snowball Swedish. */
  swedish: snowballAnalyzer('swedish'),
  /** ThaiAnalyzer with ICU's word segmentation — experimental: differs from Lucene's JDK dictionary segmentation. */
  thai: thaiAnalyzer,
  /** TurkishAnalyzer: apostrophe, Turkish lowercase, stop words, Snowball Turkish. */
  turkish: chainAnalyzer('turkish@1', [apostropheFilter, turkishLowerCaseFilter, stopFilter('turkish'), snowballFilter('turkish')]),
} as const satisfies Record<string, Analyzer>);

/** ISO 639-1 code → language name, for every language analyzer. */
export const LANGUAGE_CODES = Object.freeze({
  hy: 'armenian',
  el: 'greek',
  gl: 'galician',
  hi: 'hindi',
  th: 'thai',
  cs: 'czech',
  id: 'indonesian',
  lv: 'latvian',
  lt: 'lithuanian',
  ar: 'arabic',
  bg: 'bulgarian',
  fa: 'persian',
  zh: 'cjk',
  ja: 'cjk',
  ko: 'cjk',
  fr: 'french',
  de: 'german',
  it: 'italian',
  pt: 'portuguese',
  es: 'spanish',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  fi: 'finnish',
  hu: 'hungarian',
  ga: 'irish',
  no: 'norwegian',
  ro: 'romanian',
  ru: 'russian',
  sv: 'swedish',
  tr: 'turkish',
} as const satisfies Record<string, keyof typeof LANGUAGE_ANALYZERS>);
