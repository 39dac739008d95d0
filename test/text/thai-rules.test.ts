/**
 * The thai analyzer outside the dictionary: the JDK word-break rules Lucene's ThaiTokenizer
 * follows for numbers, symbols, joiners and text of other scripts (src/text/thai.ts). Expected
 * terms are Lucene 8.x ThaiAnalyzer's (scripts/lucene/AnalyzeDump.java) on lines written for the
 * project; each line's Thai words are ones both dictionaries cut alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAnalyzer } from '../../src/text/index.ts';
import { jdkRuleSegments } from '../../src/text/thai.ts';

const CASES: readonly [string, string][] = [
  [
    "3% $5 5$ 3.14 U.S.A. don't e-mail foo@bar.com 1,000 10:30 abc123 A-1 x_y",
    "3% 5 3.14 u.s.a don't e-mail foo bar.com 1,000 10 30 abc123 a 1 x y",
  ],
  [
    "50%ของ ๕๐% 3°C €5 5€ 10‰ #1 +5 -5 ~5 (5) [a] \"quoted\" 'single' can't rock'n'roll",
    "50% 50% 3 c 5 10‰ 5 5 5 5 a quoted single can't rock'n'roll",
  ],
  [
    'สวัสดีครับ Hello World ภาษาไทย123 ๑๒๓ไทย ๆ กรุงเทพฯ ฯลฯ ไทยEnglishไทย',
    'สวัสดี ครับ hello world ภาษา ไทย 123 123 ไทย ๆ กรุงเทพฯ ฯลฯ ไทย english ไทย',
  ],
  ['Straße ΣΊΣΥΦΟΣ İstanbul 東京 한국어 😀 a😀b http://x.com/a?b=c', 'straße σίσυφοσ istanbul 東京 한국어 a b http x.com a b c'],
  ['Mr. Smith went to Washington. Then he left! What? ok.', 'mr smith went to washington then he left what ok'],
  ['1.5% 1,5% .5 5. 1/2 2021-01-01 3.14.15 1e10 v2.0', '1.5% 1,5% 5 1 2 2021 01 01 3.14.15 1e10 v2.0'],
  ['+5', '5'],
  ['-5', '5'],
  ['~5', '5'],
  ['#1', ''],
  ['€5', ''],
  ['5€', '5'],
  ['$5', ''],
  ['¢5', '5'],
  ['5¢', '5¢'],
  ['5&', '5&'],
  ['a&b', 'a b'],
  ['5&6', '5& 6'],
  ['.5', ''],
  ['5.', '5'],
  ['a.b', 'a.b'],
  ['a..b', 'a b'],
  ['1..2', '1'],
  ['a-b', 'a-b'],
  ['a–b', 'a–b'],
  ['a—b', 'a—b'],
  ['a_b', 'a b'],
  ['1_2', '1 2'],
  ['a-1', 'a 1'],
  ['1-a', '1 a'],
  ["a'b", "a'b"],
  ["1'2", "1'2"],
  ['a"b', 'a"b'],
  ['a’b', 'a b'],
  ['a·b', 'a b'],
  ['a:b', 'a b'],
  ['a/b', 'a b'],
  ['ไทย-ไทย', 'ไทย ไทย'],
  ['ab12cd', 'ab12cd'],
  ['12ab', '12ab'],
  ['ab1.2cd', 'ab1.2cd'],
  ['1.2ab', '1.2ab'],
  ['a1-b', 'a1 b'],
  ['e-mail-x', 'e-mail-x'],
  ['ภาษา-ไทย', 'ภาษา ไทย'],
  ['x๑๒', 'x12'],
  ['AB๑๒', 'ab12'],
  ['๑๒AB', '12ab'],
  ['ไทย.ไทย', 'ไทย ไทย'],
  ['Q&A', 'q a'],
  ['5%5', '5% 5'],
  ['5%%', '5%'],
  ['%5', '5'],
  ['50%ไทย', '50% ไทย'],
  ['ไทย50%', 'ไทย 50%'],
  ['a­b', 'a­b'],
  ['a​b', 'a​b'],
  ['ab́c', 'ab́c'],
  ["l'ไทย ไทย's http://ไทย.example/ ไทย50%", 'l ไทย ไทย s http ไทย example ไทย 50%'],
];

test("thai: numbers, symbols, joiners and other scripts as Lucene's ThaiAnalyzer", () => {
  const thai = getAnalyzer('th');
  for (const [input, expected] of CASES) assert.equal(thai.analyze(input).join(' '), expected, JSON.stringify(input));
});

test('thai: the rule segments cover the text, in order', () => {
  for (const [input] of CASES) assert.equal(jdkRuleSegments(input).join(''), input);
});
