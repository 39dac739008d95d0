/**
 * GalicianAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.gl.GalicianStemmer): RSLP
 * (the "Removedor de Sufixos da Lingua Portuguesa" of Orengo and Huyck) with Lucene's Galician
 * rules (./galician-rslp-data.ts) — plural, unification, adverb, augmentative (repeated), noun or
 * else verb, vowel — then accents folded. Rules apply as Lucene's RSLPStemmerBase applies them.
 */
import type { TermFilter } from '../chain.ts';
import { GALICIAN_RSLP, type RslpRule } from './galician-rslp-data.ts';
import { endsWith, joinUnits, units } from './stemmer-util.ts';

function ruleMatches(rule: RslpRule, s: readonly string[], len: number): boolean {
  const [suffix, min, , kind, exceptions] = rule;
  if (!(len - suffix.length >= min && endsWith(s, len, suffix))) return false;
  if (kind === 1) return !exceptions.some((e) => endsWith(s, len, e));
  if (kind === 2) return !exceptions.includes(joinUnits(s, len));
  return true;
}

function apply(step: string, s: string[], len: number): number {
  const { min, suffixes, rules } = GALICIAN_RSLP[step];
  if (len < min) return len;
  if (suffixes.length > 0 && !suffixes.some((x) => endsWith(s, len, x))) return len;
  for (const rule of rules) {
    if (ruleMatches(rule, s, len)) {
      const [suffix, , replacement] = rule;
      for (let i = 0; i < replacement.length; i++) s[len - suffix.length + i] = replacement[i];
      return len - suffix.length + replacement.length;
    }
  }
  return len;
}

const FOLD: Readonly<Record<string, string>> = { '\u00e1': 'a', '\u00e9': 'e', '\u00ea': 'e', '\u00ed': 'i', '\u00f3': 'o', '\u00fa': 'u' };

/** GalicianStemFilter. */
export const galicianStemFilter: TermFilter = (term) => {
  const s = units(term);
  let len = s.length;
  len = apply('Plural', s, len);
  len = apply('Unification', s, len);
  len = apply('Adverb', s, len);
  let old: number;
  do {
    old = len;
    len = apply('Augmentative', s, len);
  } while (len !== old);
  old = len;
  len = apply('Noun', s, len);
  if (len === old) len = apply('Verb', s, len);
  len = apply('Vowel', s, len);
  for (let i = 0; i < len; i++) s[i] = FOLD[s[i]] ?? s[i];
  return joinUnits(s, len);
};
