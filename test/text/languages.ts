/**
 * Each registered language analyzer's ISO code and the Lucene 8.x analyzer class it must equal;
 * `minShare` for an experimental analyzer: the smallest share of lines that must be equal (Thai:
 * see docs/analyzers.md); `heldBackMinShare` the same per kind of held-back text (./held-back.ts).
 */
import type { HeldBackKind } from './held-back.ts';

export const LUCENE_ANALYZERS: Readonly<
  Record<string, { name: string; lucene: string; minShare?: number; heldBackMinShare?: Readonly<Record<HeldBackKind, number>> }>
> = {
  // measured: 298/1,500 lines of ../shared/text/th.txt; held back 94/1,050, 1,280/2,000, 999/2,000
  th: {
    name: 'thai',
    lucene: 'org.apache.lucene.analysis.th.ThaiAnalyzer',
    minShare: 0.19,
    heldBackMinShare: { hunspell: 0.085, variants: 0.6, gettext: 0.48 },
  },
  ca: { name: 'catalan', lucene: 'org.apache.lucene.analysis.ca.CatalanAnalyzer' },
  de: { name: 'german', lucene: 'org.apache.lucene.analysis.de.GermanAnalyzer' },
  es: { name: 'spanish', lucene: 'org.apache.lucene.analysis.es.SpanishAnalyzer' },
  fr: { name: 'french', lucene: 'org.apache.lucene.analysis.fr.FrenchAnalyzer' },
  it: { name: 'italian', lucene: 'org.apache.lucene.analysis.it.ItalianAnalyzer' },
  pt: { name: 'portuguese', lucene: 'org.apache.lucene.analysis.pt.PortugueseAnalyzer' },
  zh: { name: 'cjk', lucene: 'org.apache.lucene.analysis.cjk.CJKAnalyzer' },
  ja: { name: 'cjk', lucene: 'org.apache.lucene.analysis.cjk.CJKAnalyzer' },
  ko: { name: 'cjk', lucene: 'org.apache.lucene.analysis.cjk.CJKAnalyzer' },
  ar: { name: 'arabic', lucene: 'org.apache.lucene.analysis.ar.ArabicAnalyzer' },
  bg: { name: 'bulgarian', lucene: 'org.apache.lucene.analysis.bg.BulgarianAnalyzer' },
  fa: { name: 'persian', lucene: 'org.apache.lucene.analysis.fa.PersianAnalyzer' },
  cs: { name: 'czech', lucene: 'org.apache.lucene.analysis.cz.CzechAnalyzer' },
  id: { name: 'indonesian', lucene: 'org.apache.lucene.analysis.id.IndonesianAnalyzer' },
  lt: { name: 'lithuanian', lucene: 'org.apache.lucene.analysis.lt.LithuanianAnalyzer' },
  lv: { name: 'latvian', lucene: 'org.apache.lucene.analysis.lv.LatvianAnalyzer' },
  hi: { name: 'hindi', lucene: 'org.apache.lucene.analysis.hi.HindiAnalyzer' },
  gl: { name: 'galician', lucene: 'org.apache.lucene.analysis.gl.GalicianAnalyzer' },
  el: { name: 'greek', lucene: 'org.apache.lucene.analysis.el.GreekAnalyzer' },
  da: { name: 'danish', lucene: 'org.apache.lucene.analysis.da.DanishAnalyzer' },
  eu: { name: 'basque', lucene: 'org.apache.lucene.analysis.eu.BasqueAnalyzer' },
  fi: { name: 'finnish', lucene: 'org.apache.lucene.analysis.fi.FinnishAnalyzer' },
  ga: { name: 'irish', lucene: 'org.apache.lucene.analysis.ga.IrishAnalyzer' },
  hu: { name: 'hungarian', lucene: 'org.apache.lucene.analysis.hu.HungarianAnalyzer' },
  hy: { name: 'armenian', lucene: 'org.apache.lucene.analysis.hy.ArmenianAnalyzer' },
  nl: { name: 'dutch', lucene: 'org.apache.lucene.analysis.nl.DutchAnalyzer' },
  no: { name: 'norwegian', lucene: 'org.apache.lucene.analysis.no.NorwegianAnalyzer' },
  ro: { name: 'romanian', lucene: 'org.apache.lucene.analysis.ro.RomanianAnalyzer' },
  ru: { name: 'russian', lucene: 'org.apache.lucene.analysis.ru.RussianAnalyzer' },
  sv: { name: 'swedish', lucene: 'org.apache.lucene.analysis.sv.SwedishAnalyzer' },
  tr: { name: 'turkish', lucene: 'org.apache.lucene.analysis.tr.TurkishAnalyzer' },
};
