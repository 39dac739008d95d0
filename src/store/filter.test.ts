import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFilter, matchFilter, mergeFields, parseFilter, filterFields } from './filter.ts';
import { checkFingerprint, diffJson } from './fingerprint.ts';
import { isShortlistError } from '../core/errors.ts';
import type { FieldType } from './types.ts';

test('parses comparisons, IN, NOT, AND/OR with SQL precedence', () => {
  assert.deepEqual(parseFilter("lang = 'en'"), { op: '=', field: 'lang', value: 'en' });
  assert.deepEqual(parseFilter('a = 1 OR b = 2 AND c = 3'), {
    op: 'or',
    args: [
      { op: '=', field: 'a', value: 1 },
      {
        op: 'and',
        args: [
          { op: '=', field: 'b', value: 2 },
          { op: '=', field: 'c', value: 3 },
        ],
      },
    ],
  });
  assert.deepEqual(parseFilter("(a = 1 or b <> 'x') and \"my field\" not in (true, -2.5, 'it''s')"), {
    op: 'and',
    args: [
      {
        op: 'or',
        args: [
          { op: '=', field: 'a', value: 1 },
          { op: '!=', field: 'b', value: 'x' },
        ],
      },
      { op: 'not', arg: { op: 'in', field: 'my field', values: [true, -2.5, "it's"] } },
    ],
  });
  assert.deepEqual(filterFields(parseFilter('b = 1 AND a > 2 AND NOT b < 0')), ['a', 'b']);
});

test('syntax errors say what was expected and where', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['year >=', /expected a value.*column 8/],
    ["lang = 'en' lang = 'de'", /expected AND, OR or the end.*column 13/],
    ['lang = en', /expected a value/],
    ['(a = 1', /expected '\)'/],
    ['a IN 1', /expected '\(' after IN/],
    ['a ; 1', /unexpected character ";" at column 3/],
    ['= 1', /expected a field name/],
  ];
  for (const [src, re] of bad) {
    assert.throws(
      () => parseFilter(src),
      (e) => isShortlistError(e, 'INVALID_ARGUMENT') && re.test(e.message),
      src,
    );
  }
});

test('matches metadata with SQL semantics for missing values', () => {
  const m = { year: 2021, lang: 'en', draft: false };
  const yes = ["year >= 2020 AND lang IN ('en', 'de')", 'draft = false', "NOT lang = 'fr'", 'year > 2020.5', "lang < 'fr'"];
  const no = ['year < 2021', "lang != 'en'", 'missing = 1', "year = '2021'", "lang NOT IN ('en')"];
  for (const f of yes) assert.equal(matchFilter(parseFilter(f), m), true, f);
  for (const f of no) assert.equal(matchFilter(parseFilter(f), m), false, f);
  assert.equal(matchFilter(parseFilter('missing != 1'), m), false, 'a missing value is not unequal either');
  assert.equal(matchFilter(parseFilter('year = 1'), undefined), false);
});

test('unknown fields and wrong value types are errors naming the known fields', () => {
  const fields: Record<string, FieldType> = {};
  mergeFields(fields, { year: 2020, lang: 'en', tags: ['a'], x: 1 });
  mergeFields(fields, { x: 'one', n: null });
  assert.deepEqual(fields, { year: 'number', lang: 'string', tags: 'json', x: 'mixed' });
  assert.throws(
    () => checkFilter(parseFilter("lang = 'en' AND yr = 2020"), fields),
    (e) => isShortlistError(e, 'INVALID_ARGUMENT') && /unknown field "yr".*lang, tags, x, year/.test(e.message),
  );
  assert.throws(() => checkFilter(parseFilter("year = '2020'"), fields), /number field "year" with the string/);
  assert.throws(() => checkFilter(parseFilter("tags = 'a'"), fields), /lists or objects/);
  checkFilter(parseFilter("x = 1 OR x = 'one'"), fields);
  assert.throws(() => checkFilter(parseFilter('a = 1'), {}), /no stored document has metadata/);
});

test('fingerprint differences are listed by path', () => {
  const fp = { models: { dense: { id: 'bge', revision: 'r1', dims: 384 } }, analyzer: 'english@1', chunking: { size: 256, overlap: 32 } };
  assert.deepEqual(diffJson(fp, structuredClone(fp)), []);
  const other = { ...fp, models: { dense: { id: 'bge', revision: 'r2', dims: 384 } }, chunking: { size: 128, overlap: 32 } };
  assert.deepEqual(diffJson(fp, other), ['chunking.size: stored 256, given 128', 'models.dense.revision: stored "r1", given "r2"']);
  assert.throws(
    () => checkFingerprint(fp, other, '/c'),
    (e) => isShortlistError(e, 'INDEX_MISMATCH') && /models\.dense\.revision/.test(e.message) && /\/c/.test(e.message),
  );
  checkFingerprint(
    fp,
    { chunking: { overlap: 32, size: 256 }, analyzer: 'english@1', models: { dense: { dims: 384, revision: 'r1', id: 'bge' } } },
    '/c',
  );
});
