/**
 * GreekAnalyzer's lowercasing (Lucene 8.x, org.apache.lucene.analysis.el.GreekLowerCaseFilter):
 * Java's lowercase per code point, then final sigma → σ and accented or diaeresis vowels → the
 * plain vowel (ά έ ή ί ΐ ϊ ύ ΰ ϋ ό ώ and their capitals), so the stemmer sees one form.
 */
import type { TermFilter } from '../chain.ts';
import { lowerCase } from '../lowercase.ts';

const GREEK_FOLD: Readonly<Record<number, number>> = {
  962: 963, // ς → σ
  902: 945,
  940: 945, // Ά ά → α
  904: 949,
  941: 949, // Έ έ → ε
  905: 951,
  942: 951, // Ή ή → η
  906: 953,
  912: 953,
  938: 953,
  943: 953,
  970: 953, // Ί ΐ Ϊ ί ϊ → ι
  910: 965,
  939: 965,
  944: 965,
  971: 965,
  973: 965, // Ύ Ϋ ΰ ϋ ύ → υ
  908: 959,
  972: 959, // Ό ό → ο
  911: 969,
  974: 969, // Ώ ώ → ω
  930: 962, // U+03A2 (unassigned) → ς, as Lucene
};

/** The code points {@link GREEK_FOLD} changes lie in U+0386..U+03CE; terms without any are only lowercased. */
const FOLDABLE = /[\u0386-\u03ce]/;

/** GreekLowerCaseFilter. */
export const greekLowerCaseFilter: TermFilter = (term) => {
  if (!FOLDABLE.test(term)) return lowerCase(term);
  let out = '';
  for (const ch of term) {
    const cp = ch.codePointAt(0) as number;
    const folded = GREEK_FOLD[cp];
    out += folded !== undefined ? String.fromCharCode(folded) : lowerCase(ch);
  }
  return out;
};
