/**
 * The two Snowball stemmers shortlist adapts or writes, against Lucene 8.x's stems (made with
 * `AnalyzeDump snowball:<Language>` on these words): Lithuanian (src/text/filters/lithuanian.ts,
 * written from the algorithm, with the revision Lucene ships) and Hungarian (snowball-stemmers
 * with Lucene's spelling of ő/ű). Runs without Java; the differential tests cover every word of
 * the test and held-back text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lithuanianStem } from '../../src/text/filters/lithuanian.ts';
import { snowballStemmer } from '../../src/text/filters/snowball.ts';

const LITHUANIAN: readonly [string, string][] = [
  ['vyras', 'vyr'],
  ['kelias', 'kel'],
  ['brolis', 'brol'],
  ['gaidys', 'gaid'],
  ['vyrui', 'vyr'],
  ['kelyje', 'kel'],
  ['galvoje', 'galv'],
  ['gervėse', 'gerv'],
  ['sūnumi', 'sūn'],
  ['vandenyje', 'vand'],
  // Lucene's revision: fifth-declension endings in -er-
  ['seserys', 'ses'],
  ['moterų', 'mot'],
  ['dukters', 'dukt'],
  ['dispečeriai', 'dispet'],
  // conflicts fixed before step 1
  ['lietuvaitės', 'lietuvait'],
  ['žvilgesiu', 'žvilges'],
  ['dirbčiau', 'dirb'],
  ['mokytumėmės', 'moky'],
  ['visutėlaičiai', 'visutėlait'],
  ['galinčių', 'gal'],
  ['pagdirbti', 'pagdirb'],
  ['aliejus', 'aliej'],
  ['abcdefgh', 'abcdefgh'],
  ['ąžuolas', 'ąžuol'],
];

const HUNGARIAN: readonly [string, string][] = [
  ['műszaki', 'műszak'],
  ['sőt', 'sőt'],
  ['közelről', 'közelről'],
  ['női', 'női'],
  ['erről', 'erről'],
  ['lehetőségről', 'lehetőségről'],
  ['tőle', 'tőle'],
  ['őket', 'őket'],
  ['nőtt', 'nőtt'],
  ['tűnt', 'tűnt'],
  ['csőd', 'csőd'],
  ['győzelemtől', 'győzelemtől'],
  ['tõle', 'tõl'],
  ['sõt', 'sõ'],
];

test('lithuanian stems equal Lucene 8.x LithuanianStemmer', () => {
  for (const [word, stem] of LITHUANIAN) assert.equal(lithuanianStem(word), stem, word);
});

test('hungarian stems equal Lucene 8.x HungarianStemmer (ő/ű spelled as Lucene does)', () => {
  const stem = snowballStemmer('hungarian');
  for (const [word, expected] of HUNGARIAN) assert.equal(stem(word), expected, word);
});
