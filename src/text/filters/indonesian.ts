/**
 * IndonesianAnalyzer's stemmer (Lucene 8.x, org.apache.lucene.analysis.id.IndonesianStemmer with
 * derivational stemming on): the algorithm of Tala — particles and possessive pronouns, then
 * first- and second-order prefixes and derivational suffixes, while more than two syllables
 * remain. Ported step for step.
 */
import type { TermFilter } from '../chain.ts';
import { deleteN, endsWith, joinUnits, startsWith, units } from './stemmer-util.ts';

const KE = 1;
const PENG = 2;
const DI = 4;
const MENG = 8;
const TER = 16;
const BER = 32;
const PE = 64;

function isVowel(ch: string | undefined): boolean {
  return ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u';
}

class IndonesianStemmer {
  private syllables = 0;
  private flags = 0;

  stem(text: string[], length: number): number {
    this.flags = 0;
    this.syllables = 0;
    for (let i = 0; i < length; i++) if (isVowel(text[i])) this.syllables++;
    if (this.syllables > 2) length = this.removeParticle(text, length);
    if (this.syllables > 2) length = this.removePossessivePronoun(text, length);
    return this.stemDerivational(text, length);
  }

  private stemDerivational(text: string[], length: number): number {
    let oldLength = length;
    if (this.syllables > 2) length = this.removeFirstOrderPrefix(text, length);
    if (oldLength !== length) {
      oldLength = length;
      if (this.syllables > 2) length = this.removeSuffix(text, length);
      if (oldLength !== length && this.syllables > 2) length = this.removeSecondOrderPrefix(text, length);
    } else {
      if (this.syllables > 2) length = this.removeSecondOrderPrefix(text, length);
      if (this.syllables > 2) length = this.removeSuffix(text, length);
    }
    return length;
  }

  private removeParticle(text: string[], length: number): number {
    if (endsWith(text, length, 'kah') || endsWith(text, length, 'lah') || endsWith(text, length, 'pun')) {
      this.syllables--;
      return length - 3;
    }
    return length;
  }

  private removePossessivePronoun(text: string[], length: number): number {
    if (endsWith(text, length, 'ku') || endsWith(text, length, 'mu')) {
      this.syllables--;
      return length - 2;
    }
    if (endsWith(text, length, 'nya')) {
      this.syllables--;
      return length - 3;
    }
    return length;
  }

  private strip(text: string[], length: number, n: number, flag: number): number {
    this.flags |= flag;
    this.syllables--;
    return deleteN(text, 0, length, n);
  }

  private removeFirstOrderPrefix(text: string[], length: number): number {
    if (startsWith(text, length, 'meng')) return this.strip(text, length, 4, MENG);
    if (startsWith(text, length, 'meny') && length > 4 && isVowel(text[4])) {
      text[3] = 's';
      return this.strip(text, length, 3, MENG);
    }
    if (startsWith(text, length, 'men')) return this.strip(text, length, 3, MENG);
    if (startsWith(text, length, 'mem')) return this.strip(text, length, 3, MENG);
    if (startsWith(text, length, 'me')) return this.strip(text, length, 2, MENG);
    if (startsWith(text, length, 'peng')) return this.strip(text, length, 4, PENG);
    if (startsWith(text, length, 'peny') && length > 4 && isVowel(text[4])) {
      text[3] = 's';
      return this.strip(text, length, 3, PENG);
    }
    if (startsWith(text, length, 'peny')) return this.strip(text, length, 4, PENG);
    if (startsWith(text, length, 'pen') && length > 3 && isVowel(text[3])) {
      text[2] = 't';
      return this.strip(text, length, 2, PENG);
    }
    if (startsWith(text, length, 'pen')) return this.strip(text, length, 3, PENG);
    if (startsWith(text, length, 'pem')) return this.strip(text, length, 3, PENG);
    if (startsWith(text, length, 'di')) return this.strip(text, length, 2, DI);
    if (startsWith(text, length, 'ter')) return this.strip(text, length, 3, TER);
    if (startsWith(text, length, 'ke')) return this.strip(text, length, 2, KE);
    return length;
  }

  private removeSecondOrderPrefix(text: string[], length: number): number {
    if (startsWith(text, length, 'ber')) return this.strip(text, length, 3, BER);
    if (length === 7 && startsWith(text, length, 'belajar')) return this.strip(text, length, 3, BER);
    if (startsWith(text, length, 'be') && length > 4 && !isVowel(text[2]) && text[3] === 'e' && text[4] === 'r') {
      return this.strip(text, length, 2, BER);
    }
    if (startsWith(text, length, 'per')) return this.strip(text, length, 3, 0);
    if (length === 7 && startsWith(text, length, 'pelajar')) return this.strip(text, length, 3, 0);
    if (startsWith(text, length, 'pe')) return this.strip(text, length, 2, PE);
    return length;
  }

  private removeSuffix(text: string[], length: number): number {
    const f = this.flags;
    if (endsWith(text, length, 'kan') && (f & KE) === 0 && (f & PENG) === 0 && (f & PE) === 0) {
      this.syllables--;
      return length - 3;
    }
    if (endsWith(text, length, 'an') && (f & DI) === 0 && (f & MENG) === 0 && (f & TER) === 0) {
      this.syllables--;
      return length - 2;
    }
    if (endsWith(text, length, 'i') && !endsWith(text, length, 'si') && (f & BER) === 0 && (f & KE) === 0 && (f & PENG) === 0) {
      this.syllables--;
      return length - 1;
    }
    return length;
  }
}

const stemmer = new IndonesianStemmer();

/** IndonesianStemFilter (derivational stemming on, as IndonesianAnalyzer uses it). */
export const indonesianStemFilter: TermFilter = (term) => {
  const s = units(term);
  return joinUnits(s, stemmer.stem(s, s.length));
};
