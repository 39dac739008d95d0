import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGolden } from './golden.test-helper.ts';
import { porterStem } from './porter.ts';

test("matches Lucene's PorterStemFilter on 3,000 words built to hit every rule", () => {
  const failures = readGolden('porter.tsv')
    .filter(({ input, expected }) => porterStem(input) !== expected)
    .map(({ input, expected }) => `${input}: ours ${porterStem(input)}, lucene ${expected}`);
  assert.equal(failures.length, 0, failures.slice(0, 10).join('\n'));
});

test('the examples of Porter (1980)', () => {
  const cases: Record<string, string> = {
    caresses: 'caress',
    ponies: 'poni',
    ties: 'ti',
    caress: 'caress',
    cats: 'cat',
    feed: 'feed',
    agreed: 'agre',
    plastered: 'plaster',
    bled: 'bled',
    motoring: 'motor',
    sing: 'sing',
    conflated: 'conflat',
    troubled: 'troubl',
    sized: 'size',
    hopping: 'hop',
    tanned: 'tan',
    falling: 'fall',
    hissing: 'hiss',
    fizzed: 'fizz',
    failing: 'fail',
    filing: 'file',
    happy: 'happi',
    sky: 'sky',
    relational: 'relat',
    conditional: 'condit',
    rational: 'ration',
    valenci: 'valenc',
    digitizer: 'digit',
    vietnamization: 'vietnam',
    predication: 'predic',
    operator: 'oper',
    feudalism: 'feudal',
    decisiveness: 'decis',
    hopefulness: 'hope',
    callousness: 'callous',
    formaliti: 'formal',
    sensitiviti: 'sensit',
    sensibiliti: 'sensibl',
    triplicate: 'triplic',
    formative: 'form',
    formalize: 'formal',
    electriciti: 'electr',
    electrical: 'electr',
    goodness: 'good',
    revival: 'reviv',
    allowance: 'allow',
    inference: 'infer',
    airliner: 'airlin',
    adjustable: 'adjust',
    defensible: 'defens',
    irritant: 'irrit',
    replacement: 'replac',
    adjustment: 'adjust',
    dependent: 'depend',
    adoption: 'adopt',
    communism: 'commun',
    activate: 'activ',
    angulariti: 'angular',
    homologous: 'homolog',
    effective: 'effect',
    bowdlerize: 'bowdler',
    probate: 'probat',
    rate: 'rate',
    cease: 'ceas',
    controll: 'control',
    roll: 'roll',
    generalizations: 'gener',
  };
  for (const [word, stem] of Object.entries(cases)) assert.equal(porterStem(word), stem, word);
});

test('short words, non-letters and the Bug 1 / Bug 2 fixes', () => {
  assert.equal(porterStem('is'), 'is');
  assert.equal(porterStem('as'), 'as');
  assert.equal(porterStem('ion'), 'ion');
  assert.equal(porterStem('aed'), 'a');
  assert.equal(porterStem('2020s'), '2020');
  assert.equal(porterStem('café'), 'café');
  assert.equal(porterStem('yyy'), 'yyi');
});
