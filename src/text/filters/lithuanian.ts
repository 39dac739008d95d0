/**
 * The Snowball Lithuanian stemmer (Dainius Jocas's algorithm, https://snowballstem.org/algorithms/lithuanian/stemmer.html),
 * written here from the algorithm's description; Lucene 8's LithuanianAnalyzer applies it
 * (`org.tartarus.snowball.ext.LithuanianStemmer`) and test/text/lucene-diff.test.ts checks this
 * one against it. No npm package ships it.
 *
 * 1. p1: after the first non-vowel that follows a vowel (skipping a leading `a` in words of more
 *    than six letters, a prefix as in `a-liejus`); suffixes are removed only at or after p1.
 * 2. Fix conflicts: a few endings that look like verb endings but are nouns are rewritten to their
 *    nominative (`-aite` → `-aitė`, `-esiu` → `-esys`, …), anywhere in the word.
 * 3. Step 1: the longest inflectional ending (nouns of the five declensions, adjectives, verbs,
 *    participles) inside the region is deleted.
 * 4. `č` → `t`, `dž` → `d` at the end.
 * 5. Step 2: derivational suffixes inside the region are deleted, the longest each time, until
 *    none is left.
 * 6. `č` → `t`, `dž` → `d` again, then `gd` → `g` at the end.
 */
import type { TermFilter } from '../chain.ts';
import { memoize } from './memo.ts';

const VOWELS = new Set('aeiyouąęįųėū');

/** A set of suffixes, searched longest first. */
interface Suffixes {
  readonly set: ReadonlySet<string>;
  readonly longest: number;
}

function suffixes(list: string): Suffixes {
  const words = list.trim().split(/\s+/);
  return { set: new Set(words), longest: Math.max(...words.map((w) => w.length)) };
}

/** Step 1's inflectional endings. */
const STEP1 = suffixes(`
  as ias is ys o io ui iui ą ią į u iu e yje y au i an ai iai ų ių ams am iams iam us ius ais iais
  uose iuose uos iuos uosna iuosna ysna asis aisi osi ųsi uisi ąsi usi esi uo
  a ia os ios oj oje ioje osna iosna om oms ioms omis iomis ose iose on ion
  ė ės ei ę ėj ėje ėms es ėmis ėse ėsna ėn
  aus iaus umi iumi uje iuje iau ūs ums umis un iun
  ies ens enio eniui enį imi eniu enyje ie enie enys ims enims enis imis enimis yse enyse
  ers eriai erį erimi eria eryje erie erys erų erims eryse
  iem iems ame iame
  uosi iuosi iesi asi iasi amės iamės at ate iat iate atės iatės isi im imės it ite ome ot ote
  ėjo ėjosi otės eisi ėsi ėm ėme ėmės ėt ėte ėtės ausi omės
  siu siuosi si siesi s ysis sim sime sit site
  čiau čiausi tum tumei tumeis tumeisi tųsi tumėm tumėme tumėmės tute tumėt tumėte tumėtės
  k ki kimės uoti iuoti auti iauti oti ioti ėti yti inti inėti enti telėti terėti ti
  ąs iąs įs tųs simės sitės kite
`);

/** Step 2's derivational suffixes. */
const STEP2 = suffixes(`
  ing išk ėt ot uot iuot yt iuk iul ėl yl učiuk uliuk utėait ok iok sv šv zgan op iop ain ykšt ykšč
  esn aus iaus ias oj ioj aj iaj ąj iąj uoj iuoj iej ųj iųj ies uos iuos ais iais os ios ąs iąs
  dav ant iant int ėj ę ėję ęs siant dam auj jam iau am
`);

/** Endings rewritten before step 1 (nouns that would otherwise lose a verb-like ending). */
const CONFLICTS: ReadonlyMap<string, string> = new Map([
  ['aite', 'aitė'],
  ['aitės', 'aitė'],
  ['uotės', 'uotė'],
  ['uote', 'uotė'],
  ['ėjime', 'ėjimas'],
  ['esiu', 'esys'],
  ['asius', 'asys'],
  ['avime', 'avimas'],
  ['ojime', 'ojimas'],
  ['okatės', 'okatė'],
  ['okate', 'okatė'],
]);
const CONFLICT_LONGEST = Math.max(...[...CONFLICTS.keys()].map((k) => k.length));

/** Length of the longest suffix of `word` in `table` that starts at or after `from`, or 0. */
function longestSuffix(word: string, from: number, table: Suffixes): number {
  for (let n = Math.min(table.longest, word.length - from); n > 0; n--) {
    if (table.set.has(word.slice(word.length - n))) return n;
  }
  return 0;
}

/** The region start p1 (the word's length when there is none). */
function regionStart(word: string): number {
  let i = word.length > 6 && word[0] === 'a' ? 1 : 0;
  while (i < word.length && !VOWELS.has(word[i])) i++;
  if (i >= word.length) return word.length;
  i++;
  while (i < word.length && VOWELS.has(word[i])) i++;
  if (i >= word.length) return word.length;
  return i + 1;
}

function fixConflicts(word: string): string {
  for (let n = Math.min(CONFLICT_LONGEST, word.length); n > 0; n--) {
    const to = CONFLICTS.get(word.slice(word.length - n));
    if (to !== undefined) return word.slice(0, word.length - n) + to;
  }
  return word;
}

function fixChDz(word: string): string {
  if (word.endsWith('č')) return `${word.slice(0, -1)}t`;
  if (word.endsWith('dž')) return `${word.slice(0, -2)}d`;
  return word;
}

/** The Lithuanian stem of a lowercased word. */
export function lithuanianStem(input: string): string {
  const p1 = regionStart(input);
  let word = fixConflicts(input);
  const cut = longestSuffix(word, p1, STEP1);
  if (cut > 0) word = word.slice(0, word.length - cut);
  word = fixChDz(word);
  for (let n = longestSuffix(word, p1, STEP2); n > 0; n = longestSuffix(word, p1, STEP2)) word = word.slice(0, word.length - n);
  word = fixChDz(word);
  if (word.endsWith('gd')) word = word.slice(0, -1);
  return word;
}

/** SnowballFilter with the Lithuanian stemmer, memoised. */
export const lithuanianStemFilter: TermFilter = memoize(lithuanianStem);
