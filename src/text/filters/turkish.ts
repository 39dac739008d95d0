/**
 * TurkishAnalyzer's own steps (Lucene 8.x, org.apache.lucene.analysis.tr): ApostropheFilter
 * (drops everything from the first `'` or `’`: `Türkiye'den` → `Türkiye`) and
 * TurkishLowerCaseFilter (dotted and dotless i: `I` → `ı`, `I` + combining dot → `i`, `İ` → `i`).
 */
import type { TermFilter } from '../chain.ts';
import { lowerCase } from '../lowercase.ts';

/** ApostropheFilter. */
export const apostropheFilter: TermFilter = (term) => {
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c === 39 || c === 0x2019) return term.slice(0, i);
  }
  return term;
};

const NON_SPACING_MARK = /^\p{Mn}$/u;
const COMBINING_DOT = 0x307;

/** TurkishLowerCaseFilter. */
export const turkishLowerCaseFilter: TermFilter = (term) => {
  if (!term.includes('I')) return lowerCase(term);
  const cps = Array.from(term);
  let out = '';
  let iOrAfter = false;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i];
    const cp = ch.codePointAt(0) as number;
    iOrAfter = cp === 73 || (iOrAfter && NON_SPACING_MARK.test(ch));
    if (iOrAfter) {
      if (cp === COMBINING_DOT) continue; // deleted
      if (cp === 73) {
        if (isBeforeDot(cps, i + 1)) out += 'i';
        else {
          out += '\u0131';
          iOrAfter = false;
        }
        continue;
      }
    }
    out += lowerCase(ch);
  }
  return out;
};

function isBeforeDot(cps: readonly string[], from: number): boolean {
  for (let i = from; i < cps.length; i++) {
    if (!NON_SPACING_MARK.test(cps[i])) return false;
    if (cps[i].codePointAt(0) === COMBINING_DOT) return true;
  }
  return false;
}
